// Reference-counted watches against the demo fleet's API, counted on the server: a context's watches
// open with the first subscriber (topology, rollouts), stay through the grace period, and close once
// the last one leaves; a one-shot read (rollouts.list) holds them only for the grace period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, type ClustersService } from '../../electron/core/clusters/index.js';
import { createRolloutsService, type RolloutsService } from '../../electron/core/rollouts/index.js';
import { WATCHED_KINDS } from '../../shared/model/kube.js';
import { waitFor } from './clusters-fixture.js';

const CONTEXT = 'demo-admin';
const GRACE_MS = 800;
const ctx = { session: { kind: 'console' as const, readOnly: false } };
let fleet: DemoFleet;
let clusters: ClustersService;
let rollouts: RolloutsService;
let baseline = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openWatches = () => fleet.watchCount() - baseline;

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 2, pods: 6, seed: 3 });
  baseline = fleet.watchCount();
  clusters = createClustersService(
    { demoKubeconfig: fleet.kubeconfig, useHomeConfig: false },
    { watchIdleStopMs: GRACE_MS, heartbeat: { everyMs: 100, timeoutMs: 2_000 }, probeIntervalMs: 600_000, watchKubeconfig: false },
  );
  rollouts = createRolloutsService({ configFor: (c) => clusters.configFor(c), caches: (c) => clusters.caches(c) });
}, 60_000);

afterAll(async () => {
  clusters?.stop();
  await fleet?.stop();
});

describe('watch reference counting', () => {
  it('opens the watches with the first subscriber and closes them all after the last leaves', async () => {
    expect(openWatches()).toBe(0);
    const stopTopology = clusters.streams['topology.delta']({ context: CONTEXT, coalesceMs: 50 }, () => undefined, ctx);
    const stopRollouts = rollouts.streams['rollouts.watch']({ context: CONTEXT, intervalMs: 250 }, () => undefined, ctx);
    await waitFor('every kind watched', () => openWatches() === WATCHED_KINDS.length);
    const caches = clusters.contextCaches(CONTEXT);
    expect(caches.references).toBeGreaterThan(0);

    stopTopology();
    // The rollouts stream still listens: nothing closes, however long we wait.
    await sleep(GRACE_MS * 3);
    expect(openWatches()).toBe(WATCHED_KINDS.length);
    const listsBefore = Object.values(caches.stats()).reduce((n, s) => n + s.lists, 0);

    stopRollouts();
    // Within the grace period the watches stay; a subscriber coming back reuses them (no relist).
    await sleep(GRACE_MS / 4);
    expect(openWatches()).toBe(WATCHED_KINDS.length);
    const again = clusters.streams['topology.delta']({ context: CONTEXT }, () => undefined, ctx);
    await sleep(GRACE_MS / 4);
    expect(Object.values(caches.stats()).reduce((n, s) => n + s.lists, 0)).toBe(listsBefore);
    again();

    await waitFor('every watch closed', () => openWatches() === 0, 15_000);
    expect(caches.references).toBe(0);
    expect(caches.watching).toBe(false);
    // And they stay closed: no heartbeat or retry reopens them.
    await sleep(GRACE_MS);
    expect(openWatches()).toBe(0);
  }, 60_000);

  it('a one-shot read holds the watches for the grace period only', async () => {
    expect(openWatches()).toBe(0);
    const list = await rollouts.handlers['rollouts.list']({ context: CONTEXT }, ctx);
    expect(list.workloads.length).toBeGreaterThan(0);
    expect(openWatches()).toBeGreaterThan(0);
    expect(clusters.contextCaches(CONTEXT).references).toBe(0);
    await waitFor('watches closed after the grace period', () => openWatches() === 0, 15_000);
    expect(clusters.contextCaches(CONTEXT).watching).toBe(false);
  }, 60_000);
});
