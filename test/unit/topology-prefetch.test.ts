// The shells start listing the opening context's topology at launch (createApp's prefetchTopology):
// the context the renderer will open is chosen the same way, a prefetched feed answers its first
// subscriber with the whole graph, and a context whose user runs a credential plugin is never
// prefetched (the plugin may open a browser or cost money: it runs only once someone opens it).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService } from '../../electron/core/clusters/index.js';
import type { TopologyDelta } from '../../shared/contract/topology.js';

const ctx = { session: { kind: 'console' as const, readOnly: false } };
const dir = mkdtempSync(join(tmpdir(), 'flightdeck-prefetch-'));
let fleet: DemoFleet;

const waitFor = async (what: string, check: () => boolean, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 2, pods: 6, seed: 5, prometheus: false, log: () => undefined });
}, 60_000);

afterAll(async () => {
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const kubeconfig = (contexts: { name: string; user: string }[], current: string, users: string[]) =>
  [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current}`,
    'clusters:',
    '- name: c',
    '  cluster:',
    '    server: https://127.0.0.1:1',
    'users:',
    ...users,
    'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', '    cluster: c', `    user: ${c.user}`]),
  ].join('\n');

describe('topology prefetch at launch', () => {
  it('opens on the saved context while it exists, else the current one, else the first', () => {
    const path = join(dir, 'three.yaml');
    writeFileSync(path, kubeconfig([{ name: 'a', user: 'u' }, { name: 'b', user: 'u' }, { name: 'c', user: 'u' }], 'b', ['- name: u', '  user:', '    token: t']));
    const service = createClustersService({ explicitPath: path, useHomeConfig: false }, { probeIntervalMs: 600_000, watchKubeconfig: false });
    try {
      expect(service.openingContext('c')).toBe('c');
      expect(service.openingContext('gone')).toBe('b');
      expect(service.openingContext(null)).toBe('b');
    } finally {
      service.stop();
    }
    const noCurrent = join(dir, 'none.yaml');
    writeFileSync(noCurrent, kubeconfig([{ name: 'a', user: 'u' }, { name: 'b', user: 'u' }], '""', ['- name: u', '  user:', '    token: t']));
    const other = createClustersService({ explicitPath: noCurrent, useHomeConfig: false }, { probeIntervalMs: 600_000, watchKubeconfig: false });
    try {
      expect(other.openingContext(undefined)).toBe('a');
    } finally {
      other.stop();
    }
  });

  it('lists before anyone subscribes; the first subscriber gets the whole graph in its first delta; the watches stop after the grace period', async () => {
    const baseline = fleet.watchCount();
    const service = createClustersService({ demoKubeconfig: fleet.kubeconfig, useHomeConfig: false }, { probeIntervalMs: 600_000, watchKubeconfig: false, watchIdleStopMs: 3_000 });
    try {
      const context = service.openingContext(undefined)!;
      expect(service.prefetch(context)).toBe(true);
      const caches = service.contextCaches(context);
      await waitFor('every kind listed without a subscriber', () => caches.allSynced());
      const deltas: TopologyDelta[] = [];
      const stop = service.streams['topology.delta']({ context }, (d) => deltas.push(d), ctx);
      expect(deltas[0].full).toBe(true);
      expect(deltas[0].synced).toBe(true);
      expect(deltas[0].upserts.filter((e) => e.k === 'pod').length).toBe(fleet.store.count('pods'));
      stop();
      await waitFor('the watches closed after the grace periods', () => fleet.watchCount() === baseline && !caches.watching, 20_000);
    } finally {
      service.stop();
    }
  }, 60_000);

  it('never prefetches a context whose user runs a credential plugin', () => {
    const marker = join(dir, 'plugin-ran');
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(plugin, `#!/bin/sh\ntouch ${marker}\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"t"}}'\n`, { mode: 0o755 });
    const path = join(dir, 'exec.yaml');
    writeFileSync(path, kubeconfig([{ name: 'sso', user: 'sso' }], 'sso', ['- name: sso', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1', `      command: ${plugin}`, '      interactiveMode: Never']));
    const service = createClustersService({ explicitPath: path, useHomeConfig: false }, { probeIntervalMs: 600_000, watchKubeconfig: false });
    try {
      expect(service.prefetch('sso')).toBe(false);
      expect(service.topology.feed('sso').listening).toBe(false);
      expect(existsSync(marker)).toBe(false);
      expect(service.prefetch('nope')).toBe(false);
    } finally {
      service.stop();
    }
  });
});
