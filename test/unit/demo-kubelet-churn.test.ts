// The kubelet simulation under pod churn: bare pods bound to one node go Pending (no IP) then
// Running with their IP in one status write, get distinct IPs while many start at once, and a
// deleted pod's IP is free for the next one.
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject, StoreEvent } from '../../electron/demo/store.js';
import { startFleet, waitFor, type Fleet } from './demo-controllers.helpers.js';

let fleet: Fleet;
afterEach(() => fleet?.stop());

type Status = { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
const st = (p: KubeObject | undefined) => (p?.status ?? {}) as Status;
const barePod = (name: string, node: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx:1.25' }] },
});

describe('kubelet under churn', () => {
  it('reports Pending without an IP, then Running with the IP and PodReadyToStartContainers in the same write', async () => {
    fleet = startFleet({ speed: 500 });
    const node = fleet.store.list('nodes')[0].metadata.name;
    const seen: Status[] = [];
    fleet.store.subscribe((e: StoreEvent) => {
      if (e.resource === 'pods' && e.object.metadata.name === 'p-0' && e.type !== 'DELETED') seen.push(st(e.object));
    });
    fleet.store.create('pods', barePod('p-0', node));
    await waitFor('running', () => st(fleet.store.peekOne('pods', 'default', 'p-0')).phase === 'Running');
    const pending = seen.filter((s) => s.phase === 'Pending' && s.conditions);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending.every((s) => s.podIP === undefined)).toBe(true);
    const firstWithIp = seen.find((s) => s.podIP);
    expect(firstWithIp?.phase).toBe('Running');
    expect(firstWithIp?.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('True');
    const reasons = fleet.store.list('events', 'default').filter((e) => (e.involvedObject as { name: string }).name === 'p-0').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulling', 'Pulled', 'Created', 'Started']));
  });

  it('gives pods starting together on one node distinct IPs, and re-uses a deleted pod\'s IP', async () => {
    fleet = startFleet({ speed: 500 });
    const node = fleet.store.list('nodes')[0].metadata.name;
    const names = Array.from({ length: 60 }, (_, i) => `q-${i}`);
    for (const n of names) fleet.store.create('pods', barePod(n, node));
    const ips = await waitFor('all running', () => {
      const pods = names.map((n) => fleet.store.peekOne('pods', 'default', n));
      return pods.every((p) => st(p).phase === 'Running') && pods.map((p) => st(p).podIP as string);
    }, 8000);
    expect(new Set(ips).size).toBe(names.length);
    // Fill the node's /24 (250 addresses): the last pods only fit if deleted pods' IPs come back.
    for (const n of names) fleet.store.delete('pods', 'default', n);
    const more = Array.from({ length: 240 }, (_, i) => `r-${i}`);
    for (const n of more) fleet.store.create('pods', barePod(n, node));
    const moreIps = await waitFor('all running again', () => {
      const pods = more.map((n) => fleet.store.peekOne('pods', 'default', n));
      return pods.every((p) => st(p).phase === 'Running') && pods.map((p) => st(p).podIP as string);
    }, 15000);
    const others = fleet.store.list('pods').filter((p) => (p.spec as { nodeName?: string }).nodeName === node && !p.metadata.name.startsWith('r-'));
    expect(new Set([...moreIps, ...others.map((p) => st(p).podIP)].filter(Boolean)).size).toBe(moreIps.length + others.filter((p) => st(p).podIP).length);
  }, 30000);
});
