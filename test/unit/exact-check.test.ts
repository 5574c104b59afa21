// The exact check compiled from a zod schema never vouches for a value the schema would refuse or
// change: for a valid alerts.list answer and each small break of it, and for each kind of schema
// node, an accepted value is one the schema accepts and returns equal. The contract server then
// sends the handler's own object, not a copy, and still strips what the check refuses.
import { describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract.js';
import { z } from 'zod';
import { exactCheckOf } from '../../shared/contract/exact-check.js';
import { createContractServer, type MethodHandlers, type StreamHandlers } from '../../electron/core/contract-server.js';

const schema = methods['alerts.list'].response;
const isExactAlertList = exactCheckOf(schema);

const alert = (i: number): Record<string, unknown> => ({
  fingerprint: `f${i}`,
  name: 'KubePodCrashLooping',
  state: 'active',
  priority: 'P1',
  severity: 'critical',
  labels: { alertname: 'KubePodCrashLooping', namespace: 'inference', severity: 'critical' },
  annotations: { summary: 'crash', runbook_url: 'https://runbooks.example/x' },
  startsAt: '2026-12-02T10:00:00Z',
  silencedBy: [],
  inhibitedBy: [],
  expr: 'up == 0',
  runbookUrl: 'https://runbooks.example/x',
});

const answer = (): Record<string, unknown> => ({
  source: { kind: 'alertmanager', url: 'http://am:9093', detail: 'set in Settings' },
  groups: [
    { key: 'k1', alertname: 'KubePodCrashLooping', namespace: 'inference', service: 'llm', priority: 'P1', active: 2, silenced: 0, inhibited: 0, pending: 0, since: '2026-12-02T10:00:00Z', alerts: [alert(1), alert(2)] },
    { key: 'k2', alertname: 'Watchdog', priority: 'P4', active: 1, silenced: 0, inhibited: 0, pending: 0, since: '2026-12-02T09:00:00Z', alerts: [alert(3)] },
  ],
  fetchedAt: '2026-12-02T10:01:00Z',
  revision: 'abc-1',
  delta: false,
  removed: [],
  order: [],
});

type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test data edited by path

/** Each one small change to a valid answer: optional fields gone, wrong types, undeclared keys, bad enums. */
const variants: Array<(a: Answer) => void> = [
  () => undefined,
  (a) => delete a.groups[0].alerts[0].expr,
  (a) => delete a.groups[0].alerts[0].severity,
  (a) => delete a.groups[0].namespace,
  (a) => delete a.source.url,
  (a) => (a.source.problem = 'no Alertmanager'),
  (a) => (a.groups = []),
  (a) => (a.delta = true),
  (a) => (a.removed = ['k9']),
  (a) => (a.groups[0].alerts[0].runbookId = 'gpu-xid'),
  (a) => (a.groups[0].alerts[0].state = 'pending'),
  // each of these breaks the schema or is changed by it
  (a) => (a.extra = 1),
  (a) => (a.source.extra = 1),
  (a) => (a.groups[0].extra = 1),
  (a) => (a.groups[0].alerts[0].extra = 1),
  (a) => (a.source.kind = 'loki'),
  (a) => delete a.source.detail,
  (a) => (a.groups[0].priority = 'P0'),
  (a) => (a.groups[0].alerts[1].priority = 'p1'),
  (a) => (a.groups[0].alerts[0].state = 'firing'),
  (a) => (a.groups[0].active = '2'),
  (a) => (a.groups[0].active = Number.NaN),
  (a) => (a.groups[0].silenced = Number.POSITIVE_INFINITY),
  (a) => delete a.groups[0].since,
  (a) => (a.groups[0].alerts[0].labels = { alertname: 5 }),
  (a) => (a.groups[0].alerts[0].labels = ['x']),
  (a) => (a.groups[0].alerts[0].annotations = null),
  (a) => (a.groups[0].alerts[0].silencedBy = [1]),
  (a) => (a.groups[0].alerts[0].inhibitedBy = 'x'),
  (a) => (a.groups[0].alerts[0].fingerprint = 7),
  (a) => (a.groups[0].alerts[0].expr = null),
  (a) => (a.groups[0].alerts = {}),
  (a) => (a.groups[1] = null),
  (a) => (a.order = [1]),
  (a) => (a.delta = 'no'),
  (a) => delete a.revision,
  (a) => delete a.fetchedAt,
];

describe('the exact check of alerts.list', () => {
  it('accepts only values the schema accepts and returns equal', () => {
    let accepted = 0;
    let refused = 0;
    variants.forEach((change, n) => {
      const value = answer();
      change(value);
      const zod = schema.safeParse(structuredClone(value));
      if (isExactAlertList(value)) {
        accepted++;
        expect(zod.success, `variant ${n}: accepted by the check, refused by the schema`).toBe(true);
        expect(zod.data, `variant ${n}: the schema changes what the check accepted`).toEqual(value);
      } else {
        refused++;
        // Refusing a value the schema would pass unchanged is allowed (the schema decides), but none of these is one.
        expect(zod.success && JSON.stringify(zod.data) === JSON.stringify(value), `variant ${n}: refused a value the schema passes unchanged`).toBe(false);
      }
    });
    expect(accepted).toBe(11);
    expect(refused).toBe(variants.length - 11);
    for (const value of [undefined, null, 'x', [], 1]) expect(isExactAlertList(value)).toBe(false);
  });

  it('lets the contract server send the handler’s own answer, and still strips what the check refuses', async () => {
    const own = answer();
    const server = createContractServer({ handlers: { 'alerts.list': async () => own } as unknown as MethodHandlers, streams: {} as StreamHandlers });
    const session = { kind: 'console', readOnly: false } as const;
    expect(await server.call('alerts.list', { context: 'c' }, session)).toBe(own);
    const withExtra = { ...answer(), internal: 'not for the renderer' };
    const served = createContractServer({ handlers: { 'alerts.list': async () => withExtra } as unknown as MethodHandlers, streams: {} as StreamHandlers });
    expect(await served.call('alerts.list', { context: 'c' }, session)).not.toHaveProperty('internal');
  });
});

/** Holds a check to its schema for each value: accepted means the schema accepts it and gives it back equal. */
const agrees = (schema: z.ZodType, values: unknown[]) =>
  values.map((value) => {
    const exact = exactCheckOf(schema)(value);
    const parsed = schema.safeParse(structuredClone(value));
    if (exact) {
      expect(parsed.success, JSON.stringify(value)).toBe(true);
      expect(parsed.data, JSON.stringify(value)).toEqual(value);
    }
    return exact;
  });

describe('the exact check of each kind of schema', () => {
  it('primitives, literals, enums, optional, nullable, checks that change or refuse a value', () => {
    expect(agrees(z.string(), ['a', 1, null, undefined])).toEqual([true, false, false, false]);
    expect(agrees(z.number(), [1, -0, Number.NaN, Number.POSITIVE_INFINITY, '1'])).toEqual([true, true, false, false, false]);
    expect(agrees(z.number().int(), [1, 1.5])).toEqual([true, false]);
    expect(agrees(z.string().max(3), ['abc', 'abcd'])).toEqual([true, false]);
    expect(agrees(z.string().trim(), ['a', ' a '])).toEqual([true, false]);
    expect(agrees(z.literal('x'), ['x', 'y'])).toEqual([true, false]);
    expect(agrees(z.enum(['a', 'b']), ['a', 'c'])).toEqual([true, false]);
    expect(agrees(z.string().optional(), [undefined, 'a', 1])).toEqual([true, true, false]);
    expect(agrees(z.string().nullable(), [null, 'a', undefined])).toEqual([true, true, false]);
    expect(agrees(z.string().default('d'), ['a', undefined])).toEqual([true, false]);
    expect(agrees(z.string().transform((s) => s.length), ['a'])).toEqual([false]);
    expect(agrees(z.unknown(), [{ any: ['thing'] }, undefined])).toEqual([true, true]);
  });

  it('objects strip, refuse or keep unknown keys; arrays and records check each element', () => {
    const plain = z.object({ a: z.string(), b: z.number().optional() });
    expect(agrees(plain, [{ a: 'x' }, { a: 'x', b: 1 }, { a: 'x', c: 1 }, { b: 1 }, ['a'], null])).toEqual([true, true, false, false, false, false]);
    expect(agrees(plain.strict(), [{ a: 'x' }, { a: 'x', c: 1 }])).toEqual([true, false]);
    expect(agrees(plain.passthrough(), [{ a: 'x', c: { deep: 1 } }])).toEqual([true]);
    expect(agrees(z.object({ a: z.string() }).catchall(z.number()), [{ a: 'x', c: 1 }])).toEqual([false]);
    expect(agrees(z.array(plain), [[{ a: 'x' }], [{ a: 'x' }, { a: 1 }], {}])).toEqual([true, false, false]);
    expect(agrees(z.array(z.string()).max(1), [['a']])).toEqual([false]);
    expect(agrees(z.record(z.string(), z.number()), [{ x: 1 }, { x: '1' }, [1]])).toEqual([true, false, false]);
    expect(agrees(z.record(z.enum(['x', 'y']), z.number()), [{ x: 1, y: 2 }])).toEqual([false]);
  });

  it('unions answer through the option the schema picks', () => {
    // The first option accepts {a, b} by stripping b: the schema gives back {a}, so no.
    const ordered = z.union([z.object({ a: z.string() }), z.object({ a: z.string(), b: z.string() })]);
    expect(agrees(ordered, [{ a: 'x' }, { a: 'x', b: 'y' }, { b: 'y' }])).toEqual([true, false, false]);
    const tagged = z.discriminatedUnion('t', [z.object({ t: z.literal('a'), n: z.number() }), z.object({ t: z.literal('b'), s: z.string() })]);
    expect(agrees(tagged, [{ t: 'a', n: 1 }, { t: 'b', s: 'x' }, { t: 'a', s: 'x' }, { t: 'c' }, { n: 1 }])).toEqual([true, true, false, false, false]);
  });

  it('follows lazy (recursive) schemas', () => {
    type Tree = { name: string; children: Tree[] };
    const tree: z.ZodType<Tree> = z.lazy(() => z.object({ name: z.string(), children: z.array(tree) }));
    expect(agrees(tree, [{ name: 'r', children: [{ name: 'c', children: [] }] }, { name: 'r', children: [{ name: 1, children: [] }] }])).toEqual([true, false]);
  });
});
