// Exec credential plugins against the demo fleet's real HTTPS API: a plugin runs only for a context
// that is used, once until its credential expires, and gets KUBERNETES_EXEC_INFO as from kubectl.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { VersionApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoFleet, type DemoFleet } from '../../electron/demo/index.js';
import { createClustersService, type ClustersService } from '../../electron/core/clusters/index.js';
import { waitFor } from './clusters-fixture.js';

// Long enough for the opened context to sync on a busy machine before the credential expires.
const CREDENTIAL_SECONDS = 8;
let fleet: DemoFleet;
let dir: string;
let counter: string;
let service: ClustersService | undefined;

/** One line per plugin run: the user it ran for, then KUBERNETES_EXEC_INFO. */
const runs = () => (existsSync(counter) ? readFileSync(counter, 'utf8').trim().split('\n').filter(Boolean) : []);
const runsFor = (user: string) => runs().filter((line) => line.startsWith(`${user} `));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startDemoFleet({ nodes: 2, pods: 4, seed: 3 });
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-exec-'));
  counter = join(dir, 'runs.log');
  const plugin = join(dir, 'token-plugin.sh');
  // $1 = user, $2 = token; prints a credential valid for CREDENTIAL_SECONDS.
  writeFileSync(
    plugin,
    [
      '#!/bin/sh',
      `printf '%s %s\\n' "$1" "$KUBERNETES_EXEC_INFO" >> '${counter}'`,
      `exp=$(date -u -d "+${CREDENTIAL_SECONDS} seconds" +%Y-%m-%dT%H:%M:%SZ)`,
      'printf \'{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\' "$2" "$exp"',
    ].join('\n'),
  );
  chmodSync(plugin, 0o755);
  // A plugin whose token (no expiry) comes from a file: the file is fixed after a 401.
  const rotating = join(dir, 'rotating-plugin.sh');
  writeFileSync(
    rotating,
    [
      '#!/bin/sh',
      `printf 'delta %s\n' "$KUBERNETES_EXEC_INFO" >> '${counter}'`,
      `printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' "$(cat '${join(dir, 'token')}')"`,
    ].join('\n'),
  );
  chmodSync(rotating, 0o755);
  const demo = YAML.parse(fleet.kubeconfig) as { clusters: { name: string; cluster: Record<string, unknown> }[] };
  const users = ['alpha', 'beta', 'gamma'];
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'exec-alpha',
    clusters: demo.clusters,
    users: [
      ...users.map((u) => ({
        name: u,
        user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, args: [u, fleet.adminToken], interactiveMode: 'Never' } },
      })),
      { name: 'delta', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: rotating } } },
    ],
    contexts: [...users, 'delta'].map((u) => ({ name: `exec-${u}`, context: { cluster: demo.clusters[0].name, user: u } })),
  };
  writeFileSync(join(dir, 'config'), YAML.stringify(kubeconfig));
}, 60_000);

afterAll(async () => {
  service?.stop();
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('exec credential plugins', () => {
  it('runs a plugin only for the context in use, once until its credential expires, with KUBERNETES_EXEC_INFO', async () => {
    // Probe every 100 ms: many probe rounds pass while nothing is opened.
    service = createClustersService({ explicitPath: join(dir, 'config'), useHomeConfig: false }, { probeIntervalMs: 100 });
    await sleep(1_000);
    expect(runs(), 'no plugin runs at start-up or over probe intervals').toEqual([]);

    const listed = await service.handlers['clusters.list']({}, { session: { kind: 'ipc', readOnly: false } });
    expect(listed.contexts.map((c) => c.execCommand)).toEqual([...Array(3).fill(join(dir, 'token-plugin.sh')), join(dir, 'rotating-plugin.sh')]);

    const opened = service.contextCaches('exec-alpha');
    opened.startAll();
    await waitFor('exec-alpha synced', () => opened.allSynced(), 20_000);
    await waitFor('exec-alpha live', () => service!.monitor.statuses().find((s) => s.context === 'exec-alpha')?.state === 'live');
    // Eleven lists, eleven watches and some extra calls, one credential.
    await service.configFor('exec-alpha').makeApiClient(VersionApi).getCode();
    await sleep(500);
    expect(runsFor('alpha')).toHaveLength(1);
    expect(runsFor('beta')).toHaveLength(0);
    expect(runsFor('gamma')).toHaveLength(0);
    expect(JSON.parse(runsFor('alpha')[0].slice('alpha '.length))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });

    // After the expiry the next request runs the plugin again, exactly once.
    await sleep(CREDENTIAL_SECONDS * 1000);
    await Promise.all([1, 2, 3].map(() => service!.configFor('exec-alpha').makeApiClient(VersionApi).getCode()));
    expect(runsFor('alpha')).toHaveLength(2);
    expect(runsFor('beta')).toHaveLength(0);
    expect(runsFor('gamma')).toHaveLength(0);
    expect(runsFor('delta')).toHaveLength(0);
    service.stop();
  }, 40_000);

  it('runs the plugin again after the server refuses its credential (401), as kubectl does', async () => {
    writeFileSync(join(dir, 'token'), 'revoked-token');
    service = createClustersService({ explicitPath: join(dir, 'config'), useHomeConfig: false }, { probeIntervalMs: 600_000, backoff: { initialMs: 100, maxMs: 400 } });
    const status = () => service!.monitor.statuses().find((s) => s.context === 'exec-delta');
    service.contextCaches('exec-delta').startAll();
    await waitFor('401', () => /401|Unauthorized/i.test(status()?.reason ?? ''), 10_000);
    writeFileSync(join(dir, 'token'), fleet.adminToken);
    await waitFor('live with the new credential', () => status()?.state === 'live', 10_000);
    expect(runsFor('delta').length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(runsFor('delta')[0].slice('delta '.length)).apiVersion).toBe('client.authentication.k8s.io/v1beta1');
  }, 30_000);
});
