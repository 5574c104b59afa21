// A hung API server (process stopped, sockets still open) against the demo fleet's real HTTPS API:
// the context must leave `live` quickly, and resources.list must say its cached rows are stale.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, DEFAULT_HEARTBEAT, type ClustersService } from '../../electron/core/clusters/index.js';
import { kubeconfigVia, seedSmallFleet, waitFor } from './clusters-fixture.js';

const CONTEXT = 'demo-admin';
const CALL = { session: { kind: 'ipc' as const, readOnly: false } };

interface FreezableProxy {
  port: number;
  /** Like SIGSTOP on the API server: connections stay open (and new ones are accepted), no byte moves. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

async function startFreezableProxy(targetPort: number): Promise<FreezableProxy> {
  let frozen = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => (frozen ? held.push(() => to.write(chunk)) : to.write(chunk)));
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    freeze: () => void (frozen = true),
    thaw() {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let fleet: DemoFleet;
let proxy: FreezableProxy;
let service: ClustersService;

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 3, pods: 12, seed: 11 });
  seedSmallFleet(fleet.store);
  proxy = await startFreezableProxy(Number(new URL(fleet.apiUrl).port));
  service = createClustersService(
    { demoKubeconfig: kubeconfigVia(fleet.kubeconfig, proxy.port), useHomeConfig: false },
    { heartbeat: { everyMs: 400, timeoutMs: 600 }, backoff: { initialMs: 50, maxMs: 400 }, offlineAfterMs: 2_000, probeIntervalMs: 600_000 },
  );
  service.contextCaches(CONTEXT).startAll();
  await waitFor('first sync', () => service.contextCaches(CONTEXT).allSynced() && status()?.state === 'live');
}, 60_000);

afterAll(async () => {
  service?.stop();
  await proxy?.close();
  await fleet?.stop();
});

const status = () => service.monitor.statuses().find((s) => s.context === CONTEXT);
const pods = () => service.handlers['resources.list']({ context: CONTEXT, table: 'pods' }, CALL);

describe('a hung API server', () => {
  it('notices it within 60 s by default: one heartbeat interval plus its timeout', () => {
    expect(DEFAULT_HEARTBEAT.everyMs + DEFAULT_HEARTBEAT.timeoutMs).toBeLessThanOrEqual(60_000);
    expect(DEFAULT_HEARTBEAT.timeoutMs).toBeLessThanOrEqual(10_000);
  });

  it('leaves live within one heartbeat interval plus timeout, says since when, and marks cached rows stale until it answers again', async () => {
    const fresh = await pods();
    expect(fresh.rows.length).toBeGreaterThan(0);
    expect(fresh.stale).toBeUndefined();

    const frozenAt = Date.now();
    proxy.freeze();
    await waitFor('not live', () => status()?.state !== 'live', 5_000);
    // One interval plus one timeout, with slack for a busy machine.
    expect(Date.now() - frozenAt).toBeLessThan(400 + 600 + 3_000);
    expect(status()?.reason).toMatch(/API server not answering since \d\d:\d\d/);

    const stale = await pods();
    expect(stale.rows).toEqual(fresh.rows);
    expect(stale.stale).toBe(true);
    expect(stale.since).toBe(status()?.staleSince);
    expect(Date.parse(stale.since ?? '')).toBeGreaterThanOrEqual(frozenAt - 5);

    // Still stale, since the same moment, after it went on to offline.
    await waitFor('offline', () => status()?.state === 'offline', 5_000);
    expect((await pods()).since).toBe(stale.since);

    proxy.thaw();
    await waitFor('live again', () => status()?.state === 'live', 10_000);
    const again = await pods();
    expect(again.stale).toBeUndefined();
    expect(again.since).toBeUndefined();
  }, 30_000);
});
