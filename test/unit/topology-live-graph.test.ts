// The incremental graph model (what the layout worker keeps) against the definition, buildGraph:
// seeded random delta sequences, compared after every flush, both as the model itself and as what
// a UI thread holds after applying only the reported changes.
import { describe, expect, it, vi } from 'vitest';
import { buildGraph, NO_FILTERS, type Filters, type GraphItem, type GraphModel, type GroupBy } from '../../shared/model/topology-graph.js';
import { LiveGraph, type GraphChanges } from '../../shared/model/topology-graph-live.js';
import type { TopoElement } from '../../shared/contract/topology.js';

/** Mulberry32: small, seeded, good enough to pick test cases. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)], chance: (p: number) => next() < p };
}

const HEALTH = ['ok', 'ok', 'ok', 'warning', 'failing', 'unknown'] as const;
const NAMESPACES = ['ml', 'web'];
const NODES = ['n1', 'n2', 'n3', 'n4'];
const POOLS = ['A100', 'H100', 'cpu'];

type Rng = ReturnType<typeof rng>;

function randomNode(r: Rng, name: string): TopoElement {
  return { id: `node//${name}`, k: 'node', n: name, h: r.pick(HEALTH), pool: r.pick(POOLS), g: 2, ...(r.chance(0.2) ? { r: 'NotReady' } : {}) };
}
function randomGpu(r: Rng, node: string, i: number): TopoElement {
  return { id: `gpu//${node}/${i}`, k: 'gpu', n: `${node}/gpu${i}`, on: `node//${node}`, h: r.pick(HEALTH), ...(r.chance(0.5) ? { by: `pod/ml/p${Math.floor(r.next() * 30)}` } : {}) };
}
function workloads(r: Rng): TopoElement[] {
  const out: TopoElement[] = [];
  for (const ns of NAMESPACES) {
    for (const w of ['a', 'b']) {
      out.push({ id: `deploy/${ns}/${w}`, k: 'deploy', n: w, ns, h: r.pick(HEALTH), rdy: '1/1' });
      out.push({ id: `rs/${ns}/${w}-1`, k: 'rs', n: `${w}-1`, ns, h: r.pick(HEALTH), o: `deploy/${ns}/${w}` });
    }
    out.push({ id: `svc/${ns}/front`, k: 'svc', n: 'front', ns, h: 'ok', to: [`deploy/${ns}/a`] });
    out.push({ id: `svc/${ns}/none`, k: 'svc', n: 'none', ns, h: 'warning', r: 'selects no workload' });
  }
  return out;
}
/** Pods live in their owner's namespace, as Kubernetes has it. */
function randomPod(r: Rng, i: number, ns = r.pick(NAMESPACES)): TopoElement {
  const owner = r.chance(0.15) ? undefined : r.chance(0.1) ? `rs/${ns}/missing` : `rs/${ns}/${r.pick(['a', 'b'])}-1`;
  const node = r.chance(0.1) ? undefined : r.chance(0.05) ? 'node//gone' : `node//${r.pick(NODES)}`;
  const el: TopoElement = { id: `pod/${ns}/p${i}`, k: 'pod', n: `p${i}`, ns, h: r.pick(HEALTH), ph: 'Running' };
  if (owner) el.o = owner;
  if (node) el.on = node;
  if (r.chance(0.3)) el.pool = r.pick(POOLS);
  if (el.h !== 'ok' && r.chance(0.5)) el.r = 'CrashLoopBackOff';
  return el;
}

/** A model in a comparable form: items by id, edges as sorted keys, memberOf sorted. */
function normal(m: GraphModel) {
  const items = [...m.items].sort((a, b) => (a.id < b.id ? -1 : 1)).map((i) => JSON.parse(JSON.stringify(i)) as GraphItem);
  const edges = m.edges.map(([a, b]) => `${a} > ${b}`).sort();
  return { items, edges, memberOf: [...m.memberOf].sort() };
}

/** What a UI thread holds when it only ever applies the reported changes. */
class Mirror {
  items = new Map<string, GraphItem>();
  edges = new Set<string>();
  apply(live: LiveGraph, changes: GraphChanges): void {
    if (changes.structural) {
      const m = live.model();
      // The edge changes are reported for a new shape too (the canvas repaints around them)...
      for (const [a, b] of changes.edgesRemoved) expect(this.edges.delete(`${a} > ${b}`)).toBe(true);
      for (const [a, b] of changes.edgesAdded) {
        expect(this.edges.has(`${a} > ${b}`)).toBe(false);
        this.edges.add(`${a} > ${b}`);
      }
      expect([...this.edges].sort()).toEqual(m.edges.map(([a, b]) => `${a} > ${b}`).sort());
      // ...and an item on screen before and after is the same object unless reported as updated.
      const updated = new Set(changes.updated.map((i) => i.id));
      for (const item of m.items) {
        const before = this.items.get(item.id);
        if (before && !updated.has(item.id)) expect(item).toBe(before);
        if (updated.has(item.id)) expect(before).toBeDefined();
      }
      this.items = new Map(m.items.map((i) => [i.id, i]));
      return;
    }
    for (const item of changes.updated) {
      expect(this.items.has(item.id)).toBe(true);
      this.items.set(item.id, item);
    }
    for (const [a, b] of changes.edgesRemoved) expect(this.edges.delete(`${a} > ${b}`)).toBe(true);
    for (const [a, b] of changes.edgesAdded) {
      expect(this.edges.has(`${a} > ${b}`)).toBe(false);
      this.edges.add(`${a} > ${b}`);
    }
  }
  model(): GraphModel {
    return { items: [...this.items.values()], edges: [...this.edges].map((k) => k.split(' > ') as [string, string]), memberOf: new Map() };
  }
}

function randomView(r: Rng): { filters: Filters; groupBy: GroupBy; expanded: Set<string> } {
  const filters: Filters = r.chance(0.4)
    ? NO_FILTERS
    : { namespace: r.chance(0.4) ? r.pick(NAMESPACES) : '', health: r.pick(['all', 'problems', 'ok', 'failing'] as const), pool: r.chance(0.3) ? r.pick(POOLS) : '' };
  const groupBy: GroupBy = r.chance(0.5) ? 'namespace' : 'node';
  const expanded = new Set<string>(r.chance(0.5) ? [r.pick(['group/rs/ml/a-1', 'group/node/node//n1', 'group/bare:web'])] : []);
  return { filters, groupBy, expanded };
}

/** `podShare`: how many of the changed elements are pods (GPUs 12 %, the rest workloads, Services, nodes). */
function replay(seed: number, steps: number, threshold: number, podShare = 0.85) {
  const r = rng(seed);
  const elements = new Map<string, TopoElement>();
  const live = new LiveGraph(threshold);
  const mirror = new Mirror();
  let view = randomView(r);
  live.setView(view.filters, view.groupBy, view.expanded);
  const initial = [...NODES.map((n) => randomNode(r, n)), ...NODES.flatMap((n) => [randomGpu(r, n, 0), randomGpu(r, n, 1)]), ...workloads(r)];
  for (let i = 0; i < 20; i++) initial.push(randomPod(r, i));
  for (const e of initial) elements.set(e.id, e);
  live.applyDelta({ full: true, upserts: initial, removals: [] });
  mirror.apply(live, live.flush());
  let structural = 0;
  let patches = 0;
  for (let step = 0; step < steps; step++) {
    if (r.chance(0.03)) {
      view = randomView(r);
      live.setView(view.filters, view.groupBy, view.expanded);
    } else {
      // A batch of deltas, mostly pods (as in a busy fleet), sometimes GPUs or anything else.
      const upserts: TopoElement[] = [];
      const removals: string[] = [];
      const batch = 1 + Math.floor(r.next() * 4);
      for (let j = 0; j < batch; j++) {
        const roll = r.next();
        if (roll < podShare) {
          const id = `pod/${r.pick(NAMESPACES)}/p${Math.floor(r.next() * 40)}`;
          if (elements.has(id) && r.chance(0.4)) {
            removals.push(id);
            elements.delete(id);
          } else {
            const e = randomPod(r, Number(id.split('/p')[1]), id.split('/')[1]);
            upserts.push(e);
            elements.set(id, e);
          }
        } else if (roll < podShare + 0.12) {
          const node = r.pick(NODES);
          const i = Math.floor(r.next() * 3);
          if (r.chance(0.2)) {
            removals.push(`gpu//${node}/${i}`);
            elements.delete(`gpu//${node}/${i}`);
          } else {
            const g = randomGpu(r, node, i);
            upserts.push(g);
            elements.set(g.id, g);
          }
        } else {
          const pool = r.chance(0.5) ? workloads(r) : NODES.map((n) => randomNode(r, n));
          const e = r.pick(pool);
          if (r.chance(0.15)) {
            removals.push(e.id);
            elements.delete(e.id);
          } else {
            upserts.push(e);
            elements.set(e.id, e);
          }
        }
      }
      // The delta says where each touched id ended up (the projection never sends an id twice).
      const touched = new Set([...upserts.map((e) => e.id), ...removals]);
      const up = [...touched].filter((id) => elements.has(id)).map((id) => elements.get(id)!);
      const gone = [...touched].filter((id) => !elements.has(id));
      live.applyDelta({ full: false, upserts: up, removals: gone });
    }
    const changes = live.flush();
    if (changes.structural) structural++;
    else patches++;
    mirror.apply(live, changes);
    const expected = normal(buildGraph(elements, view.filters, view.groupBy, view.expanded, threshold));
    const got = normal(live.model());
    expect(got, `seed ${seed}, step ${step}`).toEqual(expected);
    const viaPatches = normal(mirror.model());
    expect(viaPatches.items, `seed ${seed}, step ${step} (patched)`).toEqual(expected.items);
    expect(viaPatches.edges, `seed ${seed}, step ${step} (patched)`).toEqual(expected.edges);
  }
  return { structural, patches };
}

describe('incremental graph model', () => {
  it('a random sequence of deltas gives the same model as building from scratch (many seeds)', () => {
    let patches = 0;
    let structural = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const counts = replay(seed, 100, 3);
      patches += counts.patches;
      structural += counts.structural;
    }
    // The point of it: most flushes are patches, not rebuilds.
    expect(patches).toBeGreaterThan(structural);
    expect(patches).toBeGreaterThan(800);
  }, 30_000);

  it('with the real threshold as well', () => {
    for (let seed = 100; seed < 106; seed++) replay(seed, 100, 8);
  }, 30_000);

  it('with workloads, ReplicaSets and Services coming and going often (patched without filters)', () => {
    for (let seed = 200; seed < 216; seed++) replay(seed, 100, 3, 0.5);
  }, 30_000);

  it('without filters, an owner appearing or going is a patch around its pods, not a rebuild', () => {
    for (const groupBy of ['namespace', 'node'] as const) {
      const live = new LiveGraph(3);
      const rebuild = vi.spyOn(live as unknown as { rebuild(): GraphChanges }, 'rebuild');
      live.setView(NO_FILTERS, groupBy, new Set());
      const elements = new Map<string, TopoElement>();
      const apply = (upserts: TopoElement[], removals: string[] = []) => {
        for (const e of upserts) elements.set(e.id, e);
        for (const id of removals) elements.delete(id);
        live.applyDelta({ full: false, upserts, removals });
        const changes = live.flush();
        expect(normal(live.model())).toEqual(normal(buildGraph(elements, NO_FILTERS, groupBy, new Set(), 3)));
        return changes;
      };
      const deploy: TopoElement = { id: 'deploy/ml/a', k: 'deploy', n: 'a', ns: 'ml', h: 'ok' };
      const rs: TopoElement = { id: 'rs/ml/a-1', k: 'rs', n: 'a-1', ns: 'ml', h: 'ok', o: deploy.id };
      const job: TopoElement = { id: 'job/ml/j', k: 'job', n: 'j', ns: 'ml', h: 'ok' };
      const pod = (i: number, o: string): TopoElement => ({ id: `pod/ml/p${i}`, k: 'pod', n: `p${i}`, ns: 'ml', h: 'ok', o, on: `node//n${i % 2}` });
      const base = [{ id: 'node//n0', k: 'node', n: 'n0', h: 'ok' }, { id: 'node//n1', k: 'node', n: 'n1', h: 'ok' }, { id: 'svc/ml/s', k: 'svc', n: 's', ns: 'ml', h: 'ok', to: [deploy.id] }] as TopoElement[];
      for (const e of base) elements.set(e.id, e);
      live.applyDelta({ full: true, upserts: base, removals: [] });
      live.flush();
      rebuild.mockClear();
      // Pods before their ReplicaSet (a collapsed group), and a Job's two pods after it.
      apply([0, 1, 2, 3, 4].map((i) => pod(i, rs.id)));
      expect(apply([rs]).structural).toBe(true);
      apply([deploy]);
      apply([job, pod(5, job.id), pod(6, job.id)]);
      // The Job goes before its pods (background deletion), then they follow.
      expect(apply([], [job.id]).structural).toBe(true);
      apply([], ['pod/ml/p5', 'pod/ml/p6']);
      // A Deployment going leaves its ReplicaSet and Service; a ReplicaSet going, its pods.
      apply([], [deploy.id]);
      apply([deploy]);
      apply([], [rs.id]);
      expect(rebuild).not.toHaveBeenCalled();
    }
  });

  it('a pod joining a collapsed group updates that group alone, without a re-layout', () => {
    const live = new LiveGraph(3);
    live.setView(NO_FILTERS, 'namespace', new Set());
    const pod = (i: number, h: TopoElement['h'] = 'ok'): TopoElement => ({ id: `pod/ml/p${i}`, k: 'pod', n: `p${i}`, ns: 'ml', h, o: 'rs/ml/a-1', on: 'node//n1' });
    live.applyDelta({
      full: true,
      upserts: [
        { id: 'node//n1', k: 'node', n: 'n1', h: 'ok' },
        { id: 'deploy/ml/a', k: 'deploy', n: 'a', ns: 'ml', h: 'ok' },
        { id: 'rs/ml/a-1', k: 'rs', n: 'a-1', ns: 'ml', h: 'ok', o: 'deploy/ml/a' },
        ...[0, 1, 2, 3, 4].map((i) => pod(i)),
      ],
      removals: [],
    });
    expect(live.flush().structural).toBe(true);
    live.applyDelta({ full: false, upserts: [pod(5, 'failing')], removals: [] });
    const changes = live.flush();
    expect(changes.structural).toBe(false);
    expect(changes.updated).toHaveLength(1);
    expect(changes.updated[0]).toMatchObject({ id: 'group/rs/ml/a-1', h: 'failing', group: { count: 6, ok: 5, failing: 1 } });
    expect(changes.edgesAdded).toEqual([]);
    expect(live.model().memberOf.get('pod/ml/p5')).toBe('group/rs/ml/a-1');
  });

  it('a status change that decides visibility under a health filter is not patched in place', () => {
    const live = new LiveGraph(3);
    const filters: Filters = { ...NO_FILTERS, health: 'failing' };
    live.setView(filters, 'namespace', new Set());
    const deploy = (h: TopoElement['h']): TopoElement => ({ id: 'deploy/ml/a', k: 'deploy', n: 'a', ns: 'ml', h });
    const node = (h: TopoElement['h']): TopoElement => ({ id: 'node//n1', k: 'node', n: 'n1', h });
    const elements = new Map<string, TopoElement>([deploy('ok'), node('ok')].map((e) => [e.id, e]));
    live.applyDelta({ full: true, upserts: [...elements.values()], removals: [] });
    live.flush();
    expect(live.model().items).toEqual([]);
    for (const e of [deploy('failing'), node('failing'), deploy('ok')]) {
      elements.set(e.id, e);
      live.applyDelta({ full: false, upserts: [e], removals: [] });
      expect(live.flush().structural).toBe(true);
      expect(normal(live.model())).toEqual(normal(buildGraph(elements, filters, 'namespace', new Set(), 3)));
    }
    expect(live.model().items.map((i) => i.id)).toEqual(['node//n1']);
    // Without a health filter the same change is a patch of that one item.
    live.setView(NO_FILTERS, 'namespace', new Set());
    live.flush();
    live.applyDelta({ full: false, upserts: [deploy('warning')], removals: [] });
    const changes = live.flush();
    expect(changes.structural).toBe(false);
    expect(changes.updated.map((i) => [i.id, i.h])).toEqual([['deploy/ml/a', 'warning']]);
  });

  it('a rebuild says what it changed: same ids are a patch, unchanged items keep their objects', () => {
    const live = new LiveGraph(3);
    const filters: Filters = { ...NO_FILTERS, health: 'problems' };
    live.setView(filters, 'namespace', new Set());
    const node = (n: string, h: TopoElement['h']): TopoElement => ({ id: `node//${n}`, k: 'node', n, h });
    live.applyDelta({ full: true, upserts: [node('n1', 'warning'), node('n2', 'failing')], removals: [] });
    expect(live.flush().structural).toBe(true);
    const [n1, n2] = live.model().items;
    // Warning -> failing decides visibility under this filter (a rebuild), yet both nodes stay.
    live.applyDelta({ full: false, upserts: [node('n1', 'failing')], removals: [] });
    const changes = live.flush();
    expect(changes).toMatchObject({ structural: false, edgesAdded: [], edgesRemoved: [] });
    expect(changes.updated.map((i) => [i.id, i.h])).toEqual([['node//n1', 'failing']]);
    expect(live.model().items.find((i) => i.id === 'node//n2')).toBe(n2);
    expect(live.model().items.find((i) => i.id === 'node//n1')).not.toBe(n1);
    // A Job appearing is a new shape, with its edges reported.
    live.setView(NO_FILTERS, 'namespace', new Set());
    live.flush();
    live.applyDelta({ full: false, upserts: [{ id: 'job/ml/j', k: 'job', n: 'j', ns: 'ml', h: 'ok' }, { id: 'pod/ml/j-1', k: 'pod', n: 'j-1', ns: 'ml', h: 'ok', o: 'job/ml/j', on: 'node//n1' }], removals: [] });
    const added = live.flush();
    expect(added.structural).toBe(true);
    expect(added.edgesAdded.sort()).toEqual([['job/ml/j', 'pod/ml/j-1'], ['pod/ml/j-1', 'node//n1']]);
    expect(added.edgesRemoved).toEqual([]);
  });
});
