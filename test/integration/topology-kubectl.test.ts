// The topology graph against the demo fleet, checked with the real kubectl: every pod's node and
// status equal `kubectl get pods -A -o wide`, and a `kubectl set image` rollout shows up live in
// the `topology.delta` stream (new ReplicaSet, pods moving to it, the old one scaled to 0).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, type ClustersService } from '../../electron/core/clusters/index.js';
import type { TopoElement } from '../../shared/contract/topology.js';
import { seedFleet, waitFor } from './clusters-fixture.js';

const run = promisify(execFile);
const CONTEXT = 'demo-admin';
let fleet: DemoFleet;
let service: ClustersService;
let dir: string;
let kubeconfig: string;
const graph = new Map<string, TopoElement>();
let stopStream: () => void;

const kubectl = async (...args: string[]) => (await run('kubectl', ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;

beforeAll(async () => {
  // Ten times real time, as the other kubectl tests on the fleet: the set-image rollout's pods start
  // and the old ReplicaSet scales down in seconds rather than half a minute, through the same controllers.
  fleet = await startDemoFleet({ nodes: 8, pods: 80, seed: 11, prometheus: false, speed: 10 });
  seedFleet(fleet.store, { nodes: 8, pods: 80 });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-topology-kubectl-'));
  kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, fleet.kubeconfig);
  service = createClustersService({ explicitPath: kubeconfig }, { probeIntervalMs: 600_000 });
  // Exactly what the renderer does with the stream: replace on `full`, then apply deltas.
  stopStream = service.streams['topology.delta']({ context: CONTEXT }, (delta) => {
    if (delta.full) graph.clear();
    for (const id of delta.removals) graph.delete(id);
    for (const e of delta.upserts) graph.set(e.id, e);
  }, { session: { kind: 'ipc', readOnly: false } });
  await waitFor('first sync', () => service.contextCaches(CONTEXT).allSynced() && [...graph.values()].some((e) => e.k === 'pod'), 30_000);
}, 60_000);

afterAll(async () => {
  stopStream?.();
  service?.stop();
  await fleet?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface WideRow {
  namespace: string;
  name: string;
  status: string;
  node: string | undefined;
}

/** `kubectl get pods -A -o wide`, parsed by its header's column positions. */
function parseWide(text: string): WideRow[] {
  const [header, ...lines] = text.trimEnd().split('\n');
  const col = (name: string) => header.indexOf(name);
  const cut = (line: string, name: string, next: string) => line.slice(col(name), col(next) > 0 ? col(next) : undefined).trim();
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    const node = cut(line, 'NODE', 'NOMINATED NODE');
    return { namespace: cells[0], name: cells[1], status: cut(line, 'STATUS', 'RESTARTS').split(/\s+/)[0], node: node === '<none>' ? undefined : node };
  });
}

/** kubectl's STATUS column against our phase and reason (it prints the waiting reason, "Completed", …). */
function sameStatus(kubectlStatus: string, pod: TopoElement): boolean {
  if (kubectlStatus === pod.ph) return !pod.r || !/BackOff|Err|Invalid|Terminating/.test(pod.r);
  if (kubectlStatus === 'Completed') return pod.ph === 'Succeeded';
  if (kubectlStatus === 'Terminating') return pod.r === 'Terminating';
  if (kubectlStatus === 'ContainerCreating' || kubectlStatus === 'PodInitializing') return pod.ph === 'Pending';
  return pod.r === kubectlStatus || (pod.ph === 'Failed' && pod.r === kubectlStatus);
}

function compare(rows: WideRow[]): string[] {
  const problems: string[] = [];
  const pods = new Map([...graph.values()].filter((e) => e.k === 'pod').map((e) => [`${e.ns}/${e.n}`, e]));
  for (const row of rows) {
    const pod = pods.get(`${row.namespace}/${row.name}`);
    if (!pod) {
      problems.push(`${row.namespace}/${row.name} is missing from the graph`);
      continue;
    }
    const node = pod.on?.slice('node//'.length);
    if (node !== row.node) problems.push(`${row.namespace}/${row.name}: graph puts it on ${node}, kubectl on ${row.node}`);
    if (!sameStatus(row.status, pod)) problems.push(`${row.namespace}/${row.name}: graph says ${pod.ph}/${pod.r ?? ''}, kubectl says ${row.status}`);
    pods.delete(`${row.namespace}/${row.name}`);
  }
  for (const key of pods.keys()) problems.push(`${key} is in the graph but not in kubectl's list`);
  return problems;
}

describe('topology against kubectl', () => {
  it('places every pod on the node kubectl shows, with the same status', async () => {
    // The fleet is alive (pods start, restart, finish): compare until one snapshot agrees.
    let problems: string[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      const rows = parseWide(await kubectl('get', 'pods', '-A', '-o', 'wide'));
      expect(rows.length).toBe(fleet.store.count('pods'));
      await new Promise((r) => setTimeout(r, 250)); // one coalescing window
      problems = compare(rows);
      if (problems.length === 0) break;
    }
    expect(problems).toEqual([]);
    const gpuPods = [...graph.values()].filter((e) => e.k === 'pod' && (e.g ?? 0) > 0 && e.on && e.ph !== 'Succeeded' && e.ph !== 'Failed');
    for (const pod of gpuPods) {
      const held = [...graph.values()].filter((g) => g.k === 'gpu' && g.by === pod.id);
      expect(held.length, `${pod.id} holds ${pod.g} GPUs`).toBe(pod.g);
      expect(held.every((g) => g.on === pod.on)).toBe(true);
    }
  }, 60_000);

  it('follows a kubectl set image rollout live', async () => {
    const deploy = fleet.store
      .list('deployments.apps')
      .find((d) => ((d.spec as { replicas?: number }).replicas ?? 0) >= 2 && !(d.spec as { paused?: boolean }).paused)!;
    const ns = deploy.metadata.namespace!;
    const name = deploy.metadata.name;
    const container = (deploy.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec.containers[0].name;
    const deployId = `deploy/${ns}/${name}`;
    const replicaSets = () => [...graph.values()].filter((e) => e.k === 'rs' && e.o === deployId);
    const before = new Set(replicaSets().map((e) => e.id));
    expect(before.size).toBeGreaterThan(0);

    await kubectl('-n', ns, 'set', 'image', `deployment/${name}`, `${container}=registry.example/flightdeck-rollout-test:2`);
    await waitFor('a new ReplicaSet in the graph', () => replicaSets().some((e) => !before.has(e.id)), 20_000);
    const fresh = replicaSets().find((e) => !before.has(e.id))!;
    await waitFor('pods of the new ReplicaSet in the graph', () => [...graph.values()].some((e) => e.k === 'pod' && e.o === fresh.id), 30_000);
    await waitFor('old ReplicaSets scaled to 0', () => replicaSets().filter((e) => before.has(e.id)).every((e) => e.rdy?.endsWith('/0')), 60_000);
    const replicas = (deploy.spec as { replicas: number }).replicas;
    await waitFor('all replicas on the new ReplicaSet', () => [...graph.values()].filter((e) => e.k === 'pod' && e.o === fresh.id && e.ph === 'Running').length >= replicas, 60_000);
    const pods = parseWide(await kubectl('get', 'pods', '-A', '-o', 'wide')).filter((r) => r.namespace === ns && r.name.startsWith(`${fresh.n}-`));
    expect(pods.length).toBeGreaterThanOrEqual(replicas);
  }, 120_000);
});
