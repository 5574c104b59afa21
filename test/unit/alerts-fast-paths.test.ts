// The alerts refresh's hand-written fast paths agree with what they replace: parseAmAlert with
// amAlertSchema (same acceptance, defaults and output), jsonEqual with comparing JSON.stringify
// forms (for values built alike), and a delta built with it carries exactly the changed groups.
import { describe, expect, it } from 'vitest';
import { amAlertSchema, parseAmAlert } from '../../electron/core/alerts/alertmanager-wire.js';
import { jsonEqual } from '../../shared/model/json-equal.js';

const wire = (i: number): Record<string, unknown> => ({
  fingerprint: `f${i}`,
  labels: { alertname: `A${i % 3}`, severity: 'warning', namespace: 'ns' },
  annotations: { summary: `s${i}` },
  startsAt: '2026-12-02T10:00:00Z',
  endsAt: '2026-12-02T11:00:00Z',
  generatorURL: 'http://prom/graph?g0.expr=up&g0.tab=1',
  receivers: [{ name: 'null' }],
  status: { state: 'active', silencedBy: [], inhibitedBy: [] },
});

/** Each a small change to one valid alert: missing, wrong-typed, null and extra fields. */
const variants: Array<(a: Record<string, unknown>) => void> = [
  () => undefined,
  (a) => delete a.annotations,
  (a) => delete a.generatorURL,
  (a) => (a.status = { state: 'suppressed', silencedBy: ['s1'] }),
  (a) => (a.status = { state: 'unprocessed' }),
  (a) => (a.extra = { anything: 1 }),
  (a) => ((a.status as Record<string, unknown>).extra = 'x'),
  (a) => delete a.fingerprint,
  (a) => (a.fingerprint = 7),
  (a) => delete a.labels,
  (a) => (a.labels = { alertname: 5 }),
  (a) => (a.labels = ['x']),
  (a) => (a.labels = null),
  (a) => (a.annotations = null),
  (a) => (a.annotations = { summary: null }),
  (a) => (a.generatorURL = null),
  (a) => delete a.startsAt,
  (a) => (a.status = { state: 'firing' }),
  (a) => (a.status = { state: 'active', silencedBy: [1] }),
  (a) => (a.status = { state: 'active', inhibitedBy: 'x' }),
  (a) => (a.status = null),
  (a) => delete a.status,
];

describe('parseAmAlert', () => {
  it('accepts, fills and drops exactly what amAlertSchema does', () => {
    variants.forEach((change, n) => {
      const alert = wire(2);
      change(alert);
      const zod = amAlertSchema.safeParse(structuredClone(alert));
      const fast = parseAmAlert(structuredClone(alert));
      expect(fast, `variant ${n}`).toEqual(zod.success ? zod.data : undefined);
    });
    for (const alert of [undefined, null, {}, 'x', 1, []]) expect(parseAmAlert(alert)).toEqual(amAlertSchema.safeParse(alert).data);
  });
});

describe('jsonEqual', () => {
  it('answers as comparing JSON.stringify of values built alike', () => {
    const base = { key: 'k', n: 1, flag: true, list: [{ a: 'x', b: [1, 2] }, 'y'], nested: { labels: { a: '1', b: '2' } }, none: null };
    const same = structuredClone(base);
    expect(jsonEqual(base, same)).toBe(true);
    const changes: Array<(v: typeof base) => void> = [
      (v) => (v.n = 2),
      (v) => (v.flag = false),
      (v) => v.list.push('z'),
      (v) => (v.list[0] = { a: 'x', b: [1, 3] }),
      (v) => ((v.nested.labels as Record<string, string>).c = '3'),
      (v) => delete (v.nested.labels as Partial<Record<string, string>>).a,
      (v) => ((v as Record<string, unknown>).none = undefined),
      (v) => ((v as Record<string, unknown>).list = {}),
      (v) => ((v as Record<string, unknown>).nested = []),
      (v) => ((v as Record<string, unknown>).n = '1'),
    ];
    for (const change of changes) {
      const other = structuredClone(base);
      change(other);
      expect(jsonEqual(base, other)).toBe(JSON.stringify(base) === JSON.stringify(other));
      expect(jsonEqual(other, base)).toBe(JSON.stringify(base) === JSON.stringify(other));
    }
    // An undefined member is an absent one, as in JSON.
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual(undefined, { a: 1 })).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });
});
