// The kubeconfig changes while the console runs (a new token after a cluster restart): contexts
// reconnect without a restart; a broken file keeps the previous config and says which file.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, type ClustersService } from '../../electron/core/clusters/index.js';
import { waitFor } from './clusters-fixture.js';

const CALL = { session: { kind: 'ipc' as const, readOnly: false } };
let fleet: DemoFleet;
let dir: string;
let service: ClustersService | undefined;

/** The demo cluster with users whose tokens we choose. */
const kubeconfigWith = (adminToken: string) => {
  const doc = YAML.parse(fleet.kubeconfig) as { users: { name: string; user: { token: string } }[] };
  for (const u of doc.users) if (u.name === 'demo-admin') u.user.token = adminToken;
  return YAML.stringify(doc);
};

/** Like an editor or `aws eks update-kubeconfig`: write a temporary file, rename it over the old one. */
const replaceFile = (path: string, text: string) => {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
};

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 2, pods: 4, seed: 5 });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-reload-'));
}, 60_000);

afterAll(async () => {
  service?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kubeconfig reload', () => {
  it('reconnects with the new token when the file changes, and keeps the old config when the new one is broken', async () => {
    const other = join(dir, 'other.yaml');
    const demo = join(dir, 'demo.yaml');
    writeFileSync(other, YAML.stringify({ apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'gone', cluster: { server: 'https://127.0.0.1:1' } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'u' } }] }));
    writeFileSync(demo, kubeconfigWith('wrong-token'));
    service = createClustersService({ envKubeconfig: [other, demo].join(delimiter), useHomeConfig: false }, { kubeconfigDebounceMs: 100, backoff: { initialMs: 100, maxMs: 500 }, probeIntervalMs: 600_000 });
    const revisions: number[] = [];
    const stopStream = service.streams['clusters.status']({}, (e) => revisions.push(e.kubeconfigRevision ?? 0), CALL);
    const status = (context: string) => service!.monitor.statuses().find((s) => s.context === context);

    const caches = service.contextCaches('demo-admin');
    caches.startAll();
    await waitFor('401 on the watched context', () => /401|Unauthorized/i.test(status('demo-admin')?.reason ?? ''), 10_000);
    expect(status('demo-admin')?.state).not.toBe('live');

    replaceFile(demo, kubeconfigWith(fleet.adminToken));
    await waitFor('live with the new token', () => status('demo-admin')?.state === 'live' && caches.allSynced(), 10_000);
    expect(caches.list('nodes').length).toBeGreaterThan(0);
    expect(Math.max(...revisions)).toBe(1);

    // A half-written file: the working config stays, and clusters.list says which file is wrong.
    writeFileSync(demo, 'clusters: [ {{{ not yaml');
    await waitFor('reload problem reported', () => revisions.length > 0 && /not applied/.test(String(latestProblem())), 5_000);
    const listed = await service.handlers['clusters.list']({}, CALL);
    expect(listed.reloadProblem).toContain(demo);
    expect(listed.contexts.map((c) => c.name)).toEqual(['gone', 'demo-admin', 'demo-viewer']);
    expect(status('demo-admin')?.state).toBe('live');
    stopStream();

    function latestProblem(): string | undefined {
      let problem: string | undefined;
      service!.streams['clusters.status']({}, (e) => (problem = e.kubeconfigProblem), CALL)();
      return problem;
    }
  }, 40_000);
});
