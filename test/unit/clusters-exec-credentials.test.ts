// The exec credential store on its own: caching rules, what the plugin is told, and errors a person
// can act on. Plugins are small shell scripts, as real ones (aws, gke-gcloud-auth-plugin) are programs.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Cluster } from '@kubernetes/client-node';
import { ExecCredentials } from '../../electron/core/clusters/exec-credentials.js';
import { contextSecurity, loadKubeconfig } from '../../electron/core/clusters/kubeconfig-sources.js';

const dir = mkdtempSync(join(tmpdir(), 'flightdeck-exec-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let scripts = 0;
/** A plugin script; every run appends KUBERNETES_EXEC_INFO to its own log. Returns [command, log]. */
const plugin = (body: string): [string, string] => {
  const path = join(dir, `plugin-${++scripts}.sh`);
  const log = `${path}.log`;
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$KUBERNETES_EXEC_INFO" >> '${log}'\n${body}\n`);
  chmodSync(path, 0o755);
  return [path, log];
};
const runs = (log: string) => readFileSync(log, 'utf8').trim().split('\n');
const CREDENTIAL = `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok"}}'`;
const cluster: Cluster = { name: 'c', server: 'https://10.0.0.1:6443', caData: 'Q0E=', skipTLSVerify: false };

describe('exec credentials', () => {
  it('keeps a credential without expirationTimestamp until it is invalidated, and runs once for concurrent requests', async () => {
    const [command, log] = plugin(CREDENTIAL);
    const store = new ExecCredentials();
    const got = await Promise.all([1, 2, 3].map(() => store.get('u', { command, apiVersion: 'client.authentication.k8s.io/v1' }, cluster)));
    expect(got.map((c) => c.status.token)).toEqual(['tok', 'tok', 'tok']);
    await store.get('u', { command }, cluster);
    expect(runs(log)).toHaveLength(1);
    store.invalidate('u');
    await store.get('u', { command }, cluster);
    expect(runs(log)).toHaveLength(2);
  });

  it('keeps a credential younger than minAgeMs through an invalidation (401s of older requests)', async () => {
    const [command, log] = plugin(CREDENTIAL);
    let now = 1_000_000;
    const store = new ExecCredentials({ now: () => now });
    await store.get('u', { command }, cluster);
    store.invalidate('u', 2_000);
    await store.get('u', { command }, cluster);
    expect(runs(log)).toHaveLength(1);
    now += 2_000;
    store.invalidate('u', 2_000);
    await store.get('u', { command }, cluster);
    expect(runs(log)).toHaveLength(2);
  });

  it('tells the plugin the exec apiVersion, non-interactive, the cluster when provideClusterInfo is set, and the kubeconfig env', async () => {
    const [command, log] = plugin(`echo "$FROM_KUBECONFIG" >> '${join(dir, 'env.log')}'\n${CREDENTIAL}`);
    const store = new ExecCredentials();
    await store.get('u', { command, apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: true, env: [{ name: 'FROM_KUBECONFIG', value: 'yes' }] }, cluster);
    expect(JSON.parse(runs(log)[0])).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      kind: 'ExecCredential',
      spec: { interactive: false, cluster: { server: 'https://10.0.0.1:6443', 'certificate-authority-data': 'Q0E=' } },
    });
    expect(readFileSync(join(dir, 'env.log'), 'utf8').trim()).toBe('yes');
  });

  it('explains a failing plugin, a missing one, bad output and a plugin that hangs', async () => {
    const store = new ExecCredentials({ timeoutMs: 300 });
    const [failing] = plugin(`echo 'token expired: run "aws sso login"' >&2\nexit 3`);
    await expect(store.get('alice', { command: failing }, cluster)).rejects.toThrow(`The exec credential plugin "${failing}" of user "alice" exited with code 3: token expired: run "aws sso login"`);
    await expect(store.get('alice', { command: join(dir, 'no-such-plugin') }, cluster)).rejects.toThrow(/could not be started: .*ENOENT/);
    const [noJson] = plugin('echo hello');
    await expect(store.get('alice', { command: noJson }, cluster)).rejects.toThrow('printed no JSON ExecCredential');
    const [noToken] = plugin(`echo '{"kind":"ExecCredential","status":{}}'`);
    await expect(store.get('alice', { command: noToken }, cluster)).rejects.toThrow('neither a token nor a client certificate and key');
    const [hangs] = plugin('sleep 5');
    await expect(store.get('alice', { command: hangs }, cluster)).rejects.toThrow('did not finish within 0.3 s');
    await expect(store.get('alice', { args: [] }, cluster)).rejects.toThrow(/exec plugin of user "alice" in the kubeconfig is invalid: command/);
  });

  it('resolves a relative plugin path against its kubeconfig file, and reports exec and insecure-skip-tls-verify per context', () => {
    const file = join(dir, 'config');
    writeFileSync(
      file,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: lab',
        '  cluster: { server: "https://127.0.0.1:6443", insecure-skip-tls-verify: true }',
        '- name: prod',
        '  cluster: { server: "https://127.0.0.1:6444" }',
        'users:',
        '- name: sso',
        '  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ./bin/token } }',
        '- name: cli',
        '  user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: aws } }',
        'contexts:',
        '- name: lab',
        '  context: { cluster: lab, user: sso }',
        '- name: prod',
        '  context: { cluster: prod, user: cli }',
      ].join('\n'),
    );
    const loaded = loadKubeconfig({ explicitPath: file, useHomeConfig: false });
    expect(contextSecurity(loaded, 'lab')).toEqual({ execCommand: join(dir, 'bin', 'token'), insecureSkipTlsVerify: true });
    // A bare program name is looked up on PATH, as kubectl does.
    expect(contextSecurity(loaded, 'prod')).toEqual({ execCommand: 'aws', insecureSkipTlsVerify: false });
  });
});
