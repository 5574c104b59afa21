// The topology bench's expectations (test/bench/_screen-mirror.ts): which store changes the canvas
// must redraw, and on which drawn items. A wrong expectation would count invisible changes as
// missed, or leave visible ones untimed.
import { describe, expect, it } from 'vitest';
import { ScreenMirror, withoutFlickers } from '../bench/_screen-mirror.js';
import type { KubeObject, StoreEvent } from '../../electron/demo/store.js';

const node = (name: string, ready: 'True' | 'False', annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, annotations },
  status: { conditions: [{ type: 'Ready', status: ready }], capacity: { cpu: '8' } },
});

const pod = (name: string, opts: { ready?: boolean; restarts?: number; phase?: string } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ml', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true }] },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] },
  status: {
    phase: opts.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    containerStatuses: [{ name: 'c', ready: opts.ready !== false, restartCount: opts.restarts ?? 0 }],
  },
});

const deployment = (ready: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ml' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  status: { replicas: 3, readyReplicas: ready, availableReplicas: ready, updatedReplicas: 3 },
});

function mirrorWith(objects: Record<string, KubeObject[]>): ScreenMirror {
  return new ScreenMirror((resource) => objects[resource] ?? []);
}

const event = (resource: string, type: StoreEvent['type'], object: KubeObject, old?: KubeObject): StoreEvent => ({ resource, type, object, old, rv: 1 });

describe("the topology bench's screen mirror", () => {
  it('expects a new pod on its own item or its group, and its deletion likewise', () => {
    const mirror = mirrorWith({ nodes: [node('n1', 'True')] });
    const created = mirror.apply(event('pods', 'ADDED', pod('a')), 100);
    expect(created).toMatchObject([{ at: 100, op: 'create', k: 'pod', ids: ['pod/ml/a', 'group/rs/ml/web-1'] }]);
    expect(mirror.apply(event('pods', 'DELETED', pod('a')), 200)).toMatchObject([{ at: 200, op: 'delete', k: 'pod', ids: ['pod/ml/a', 'group/rs/ml/web-1'] }]);
  });

  it("does not expect a redraw for what the canvas does not draw (a restart count, a grouped pod's reason)", () => {
    const pods = Array.from({ length: 10 }, (_, i) => pod(`p${i}`));
    const mirror = mirrorWith({ nodes: [node('n1', 'True')], pods });
    // Below the restart warning: same health, no reason: nothing drawn changes.
    expect(mirror.apply(event('pods', 'MODIFIED', pod('p0', { restarts: 1 }), pods[0]), 1)).toEqual([]);
    // Health changes: the group's counts change.
    expect(mirror.apply(event('pods', 'MODIFIED', pod('p1', { ready: false }), pods[1]), 2)).toMatchObject([{ at: 2, op: 'update', k: 'pod', ids: ['pod/ml/p1', 'group/rs/ml/web-1'] }]);
  });

  it('expects a node going NotReady on the node, not an annotation change', () => {
    const mirror = mirrorWith({ nodes: [node('n1', 'True')] });
    expect(mirror.apply(event('nodes', 'MODIFIED', node('n1', 'True', { beat: '2' }), node('n1', 'True')), 1)).toEqual([]);
    expect(mirror.apply(event('nodes', 'MODIFIED', node('n1', 'False'), node('n1', 'True')), 2)).toMatchObject([{ at: 2, op: 'update', k: 'node', ids: ['node//n1'] }]);
  });

  it("expects a workload's ready count under its name", () => {
    const mirror = mirrorWith({ 'deployments.apps': [deployment(2)] });
    const changes = mirror.apply(event('deployments.apps', 'MODIFIED', deployment(3), deployment(2)), 5);
    expect(changes.map((c) => [c.op, c.ids])).toContainEqual(['update', ['deploy/ml/web']]);
  });

  // Seen in the bench at 1,000 pods: a Deployment scaled up and back within 34 ms (ok -> 2/5
  // warning -> failing -> 2/2 ok); the console sent only the last state, the canvas stayed correct.
  it('does not expect a flicker back to the drawn state within the coalescing interval', () => {
    const mirror = mirrorWith({ 'deployments.apps': [deployment(3)] });
    const flicker = [
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(1), deployment(3)), 1000),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(3), deployment(1)), 1034),
    ];
    expect(flicker.map((c) => c.element)).toEqual(['deploy/ml/web', 'deploy/ml/web']);
    expect(withoutFlickers(flicker, 100)).toEqual({ expected: [], flickers: 2 });
  });

  it('still expects a flicker whose states lasted longer than the interval, and a run that ends elsewhere', () => {
    const mirror = mirrorWith({ 'deployments.apps': [deployment(3)] });
    const slow = [
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(1), deployment(3)), 1000),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(3), deployment(1)), 1400),
    ];
    expect(withoutFlickers(slow, 100)).toEqual({ expected: slow, flickers: 0 });
    const elsewhere = [
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(1), deployment(3)), 2000),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(2), deployment(1)), 2030),
    ];
    expect(withoutFlickers(elsewhere, 100)).toEqual({ expected: elsewhere, flickers: 0 });
  });

  it('times the whole excursion, not the gaps: short steps that add up to more than the interval stay expected', () => {
    const mirror = mirrorWith({ 'deployments.apps': [deployment(3)] });
    const steps = [
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(1), deployment(3)), 0),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(2), deployment(1)), 90),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(3), deployment(2)), 180),
    ];
    expect(withoutFlickers(steps, 100)).toEqual({ expected: steps, flickers: 0 });
    // A blip inside a longer history: only the blip goes.
    const blip = [
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(1), deployment(3)), 1000),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(3), deployment(1)), 1010),
      ...mirror.apply(event('deployments.apps', 'MODIFIED', deployment(2), deployment(3)), 1090),
    ];
    expect(withoutFlickers(blip, 100)).toEqual({ expected: [blip[2]], flickers: 2 });
  });

  it("keeps each element's runs apart: a pod created and deleted at once is a flicker, its neighbour's change is not", () => {
    const mirror = mirrorWith({ nodes: [node('n1', 'True')], pods: [pod('b')] });
    const changes = [
      ...mirror.apply(event('pods', 'ADDED', pod('a')), 10),
      ...mirror.apply(event('pods', 'MODIFIED', pod('b', { ready: false }), pod('b')), 20),
      ...mirror.apply(event('pods', 'DELETED', pod('a')), 30),
    ];
    const { expected, flickers } = withoutFlickers(changes, 100);
    expect(flickers).toBe(2);
    expect(expected.map((c) => [c.op, c.element])).toEqual([['update', 'pod/ml/b']]);
  });

  // Seen in the bench: in a collapsed group (counts only), one pod went not-ready as another came back
  // within a millisecond; the group's item drew the same counts, the bench counted both as missed.
  it('judges a grouped pod by its group: two pods trading health at once are a flicker of the group', () => {
    const pods = Array.from({ length: 10 }, (_, i) => pod(`p${i}`, { ready: i !== 2 }));
    const mirror = mirrorWith({ nodes: [node('n1', 'True')], pods });
    const traded = [
      ...mirror.apply(event('pods', 'MODIFIED', pod('p1', { ready: false }), pods[1]), 1000),
      ...mirror.apply(event('pods', 'MODIFIED', pod('p2'), pods[2]), 1001),
    ];
    expect(traded.map((c) => c.element)).toEqual(['group/rs/ml/web-1', 'group/rs/ml/web-1']);
    expect(withoutFlickers(traded, 100)).toEqual({ expected: [], flickers: 2 });
    // A pod that only goes not-ready changes the counts: expected.
    const lone = mirror.apply(event('pods', 'MODIFIED', pod('p3', { ready: false }), pods[3]), 2000);
    expect(withoutFlickers(lone, 100).expected).toEqual(lone);
  });
});
