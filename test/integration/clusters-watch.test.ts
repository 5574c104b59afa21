// The watch caches against the demo fleet's real HTTPS API, with faults: the server restarted
// mid-watch, a forced 410, an outage longer than the offline threshold, and no server at start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, type ClustersService, type ResourceCaches } from '../../electron/core/clusters/index.js';
import type { ClusterStatus } from '../../shared/contract/clusters.js';
import type { TopologyDelta } from '../../shared/contract/topology.js';
import { diffCaches, kubeconfigVia, seedSmallFleet, startProxy, waitFor, type Proxy } from './clusters-fixture.js';

const CONTEXT = 'demo-admin';
let fleet: DemoFleet;
let proxy: Proxy;
let service: ClustersService;
let dataDir: string;
const states: ClusterStatus[] = [];

/** Creates, changes and deletes pods directly in the server's store (while the fleet's own controllers also run). */
const churn = (n: number, tag: string) => {
  if (!fleet.store.peekOne('namespaces', undefined, 'churn')) fleet.store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'churn' } });
  const node = fleet.store.list('nodes')[0]?.metadata.name;
  for (let i = 0; i < n; i++) {
    fleet.store.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `churn-${tag}-${i}`, namespace: 'churn', labels: { churn: 'yes' } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Running' } });
  }
  const mine = fleet.store.list('pods', 'churn');
  fleet.store.mutate('pods', 'churn', mine[0].metadata.name, (p) => void ((p.metadata.labels ??= {}).touched = tag));
  fleet.store.delete('pods', 'churn', mine[mine.length - 1].metadata.name);
};

/** The fleet is alive (its controllers keep changing pods), so "equal" means: converges to equal. */
const converged = (caches: ResourceCaches) => diffCaches(caches, fleet.store).length === 0;

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, pods: 12, seed: 7 });
  seedSmallFleet(fleet.store);
  proxy = await startProxy(Number(new URL(fleet.apiUrl).port));
  dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-clusters-'));
  service = createClustersService(
    { demoKubeconfig: kubeconfigVia(fleet.kubeconfig, proxy.port), useHomeConfig: false },
    { dataDir, backoff: { initialMs: 50, maxMs: 400 }, offlineAfterMs: 2_000, snapshotEveryMs: 300, probeIntervalMs: 600_000 },
  );
  service.monitor.onChange((all) => {
    const s = all.find((x) => x.context === CONTEXT);
    if (s) states.push(s);
  });
  service.contextCaches(CONTEXT).startAll();
  await waitFor('first sync', () => service.contextCaches(CONTEXT).allSynced());
}, 60_000);

afterAll(async () => {
  service?.stop();
  await proxy?.close();
  await fleet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const current = () => states.at(-1)?.state;

describe('watch caches against the demo fleet', () => {
  it('lists every kind and ends equal to the server, object by object', async () => {
    const caches = service.caches(CONTEXT);
    expect(caches.list('pods').length).toBeGreaterThan(0);
    await waitFor('equal to the server', () => converged(caches));
    churn(5, 'live');
    await waitFor('live changes', () => converged(caches) && caches.list('pods').some((p) => p.metadata.name === 'churn-live-0'));
    expect(current()).toBe('live');
  });

  it('resumes after the API server restarts mid-watch and ends equal to the server', async () => {
    const caches = service.contextCaches(CONTEXT);
    const before = caches.stats().pods.watches;
    await fleet.restart();
    churn(4, 'restart');
    await waitFor('resume after restart', () => caches.stats().pods.watches > before && converged(caches));
    expect(diffCaches(caches, fleet.store)).toEqual([]);
  });

  it('relists after 410 and ends equal to the server', async () => {
    const caches = service.contextCaches(CONTEXT);
    const expiredBefore = caches.stats().pods.expired;
    const listsBefore = caches.stats().pods.lists;
    // Break the stream while changes pile up, then drop history so resuming answers 410 Expired.
    await proxy.down();
    churn(6, 'expired');
    fleet.store.compact();
    await proxy.up();
    await waitFor('relist after 410', () => caches.stats().pods.expired > expiredBefore && caches.stats().pods.lists > listsBefore && converged(caches));
    expect(diffCaches(caches, fleet.store)).toEqual([]);
  });

  it('goes reconnecting, then offline, during an outage, and back to live with the caches equal to the server', async () => {
    const caches = service.contextCaches(CONTEXT);
    const mark = states.length;
    await proxy.down();
    // The outage outlasts the offline threshold (30 s in production, 2 s here) and the history.
    await waitFor('reconnecting', () => states.slice(mark).some((s) => s.state === 'degraded' && /reconnecting/.test(s.reason ?? '')), 10_000);
    churn(8, 'outage');
    fleet.store.compact();
    await waitFor('offline', () => states.slice(mark).some((s) => s.state === 'offline'), 10_000);
    expect(states.at(-1)?.reason).toMatch(/offline — as of \d{4}-/);
    await proxy.up();
    await waitFor('live again', () => current() === 'live' && converged(caches), 15_000);
    const seen = states.slice(mark).map((s) => s.state);
    expect(seen.indexOf('degraded')).toBeLessThan(seen.indexOf('offline'));
    expect(seen.lastIndexOf('live')).toBeGreaterThan(seen.indexOf('offline'));
    expect(diffCaches(caches, fleet.store)).toEqual([]);
  }, 40_000);

  it('opens the last snapshot read-only when the server is gone at start-up', async () => {
    const podsBefore = service.caches(CONTEXT).list('pods').length;
    service.stop(); // writes a final snapshot
    await proxy.down();
    const offline = createClustersService(
      { demoKubeconfig: kubeconfigVia(fleet.kubeconfig, proxy.port), useHomeConfig: false },
      { dataDir, backoff: { initialMs: 100, maxMs: 1_000 }, probeIntervalMs: 600_000 },
    );
    try {
      const deltas: TopologyDelta[] = [];
      const stop = offline.streams['topology.delta']({ context: CONTEXT }, (d) => deltas.push(d), { session: { kind: 'ipc', readOnly: false } });
      await waitFor('offline snapshot', () => deltas.some((d) => d.offlineAsOf !== undefined && d.upserts.some((e) => e.k === 'pod')) || offline.caches(CONTEXT).list('pods').length > 0, 10_000);
      const status = offline.monitor.statuses().find((s) => s.context === CONTEXT);
      expect(status?.state).toBe('offline');
      expect(status?.reason).toMatch(/offline — as of .*read-only/);
      expect(offline.caches(CONTEXT).list('pods').length).toBe(podsBefore);
      await waitFor('stream marks it offline', () => deltas.at(-1)?.offlineAsOf !== undefined, 5_000);
      stop();
    } finally {
      offline.stop();
      await proxy.up();
    }
  }, 30_000);
});
