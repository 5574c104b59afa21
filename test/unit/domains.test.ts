// Domains as modules (issue #12): the DOMAINS list in app.ts serves every contract method and stream
// exactly once, a list that drifts from shared/contract.ts refuses to start, and a domain added to
// the list is served (methods, action handlers, stop) with nothing else changed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, DOMAINS, type App, type AppConfig } from '../../electron/core/app.js';
import type { Domain, DomainParts } from '../../electron/core/domain.js';
import { defineActionHandler, type ActionHandler } from '../../electron/core/actions/index.js';
import { methods, streams, type MethodName } from '../../shared/contract.js';

const session = { kind: 'console', readOnly: false } as const;
const apps: App[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
});

const config = (domains?: readonly Domain[]): AppConfig => ({
  mode: 'browser',
  dataDir: mkdtempSync(join(tmpdir(), 'domains-')),
  kubeconfig: { useHomeConfig: false },
  demo: false,
  version: 'test',
  log: () => undefined,
  reviewer: { review: async (_context, checks) => checks.map(() => ({ allowed: true })), userOf: () => 'tester' },
  domains,
});
const start = async (domains?: readonly Domain[]) => {
  const app = await createApp(config(domains));
  apps.push(app);
  return app;
};
const without = (name: string) => DOMAINS.filter((d) => d.name !== name);

describe('the DOMAINS list', () => {
  it('serves every contract method and stream exactly once, and nothing the contract lacks', async () => {
    const created: { name: string; parts: DomainParts }[] = [];
    const recording = DOMAINS.map((d): Domain => ({ name: d.name, create: (deps) => { const parts = d.create(deps); created.push({ name: d.name, parts }); return parts; } }));
    await start(recording);
    const servers = (name: string, table: 'handlers' | 'streams') => created.filter(({ parts }) => Object.hasOwn(parts[table] ?? {}, name)).map((c) => c.name);
    for (const name of Object.keys(methods)) expect({ name, by: servers(name, 'handlers') }).toEqual({ name, by: [expect.any(String)] });
    for (const name of Object.keys(streams)) expect({ name, by: servers(name, 'streams') }).toEqual({ name, by: [expect.any(String)] });
    const served = created.flatMap(({ parts }) => [...Object.keys(parts.handlers ?? {}), ...Object.keys(parts.streams ?? {})]);
    expect(served.filter((name) => !Object.hasOwn(methods, name) && !Object.hasOwn(streams, name))).toEqual([]);
    expect(new Set(DOMAINS.map((d) => d.name)).size).toBe(DOMAINS.length);
  });

  it('refuses to start when a contract method or stream has no handler', async () => {
    await expect(start(without('problems'))).rejects.toThrow('contract method problems.list has no handler in any domain');
    await expect(start(without('audit'))).rejects.toThrow('contract stream audit.events has no handler in any domain');
  });

  it('refuses a handler the contract does not declare, and a method served by two domains', async () => {
    const stray: Domain = { name: 'stray', create: () => ({ handlers: { 'stray.method': async () => ({}) } as DomainParts['handlers'] }) };
    await expect(start([...DOMAINS, stray])).rejects.toThrow('stray serves method stray.method, which shared/contract.ts does not declare');
    const twice: Domain = { name: 'twice', create: () => ({ handlers: { 'app.info': async () => { throw new Error('never called'); } } }) };
    await expect(start([...DOMAINS, twice])).rejects.toThrow('method app.info is served by both app and twice');
  });

  it('a domain added to the list is served: its method, its action handler on the road, its stop', async () => {
    let stopped = 0;
    const at = '2026-01-01T00:00:00.000Z';
    const fake: Domain = {
      name: 'fake',
      create: ({ call }) => ({
        handlers: { 'problems.list': async () => ({ problems: [{ id: 'fake/1', severity: 'P2', source: 'staleness', what: `app is ${(await call('app.info', {})).name}`, where: 'here', link: { label: 'Open Topology', view: 'topology' } }], at }) },
        actionHandlers: [
          defineActionHandler({
            action: 'fake.poke',
            kinds: ['FakeKind'],
            params: z.object({}),
            access: () => [{ verb: 'get', group: 'fake.example', resource: 'fakekinds', name: 'x' }],
            plan: async () => ({ summary: 'poke', requests: [], access: [] }),
            execute: async () => ({ message: 'poked' }),
          }) as ActionHandler<never>,
        ],
        stop: () => void stopped++,
      }),
    };
    const app = await start([...without('problems'), fake]);
    expect(await app.server.call('problems.list', {}, session)).toEqual({ problems: [expect.objectContaining({ id: 'fake/1', what: 'app is Flightdeck' })], at });
    expect(await app.server.call('actions.available', { context: 'c', target: { kind: 'FakeKind', name: 'x' } }, session)).toEqual({ actions: [{ action: 'fake.poke', allowed: true }] });
    apps.splice(apps.indexOf(app), 1);
    await app.stop();
    expect(stopped).toBe(1);
  });

  it('names in the contract are checked by the compiler too', () => {
    // @ts-expect-error a name the contract does not declare is not a MethodName
    const bogus: MethodName = 'no.such.method';
    const real: MethodName = 'problems.list';
    expect([bogus, real].filter((name) => Object.hasOwn(methods, name))).toEqual(['problems.list']);
  });
});
