// Real kubectl (1.32 on PATH) against the demo fleet's authentication and RBAC (issue #20):
// `kubectl auth whoami` (SelfSubjectReview), `kubectl auth can-i` and `--list` (SelfSubjectAccess-
// and SelfSubjectRulesReview), impersonation with `--as` / `--as-group`, and SubjectAccessReview,
// all evaluated against the demo's ClusterRoleBindings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet } from './demo-kubectl-helpers.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

beforeAll(async () => {
  t = await startTestFleet({ pods: 0 });
  k = kubectlRunner(t);
});

afterAll(async () => {
  await t?.cleanup();
});

const ADMIN = 'system:serviceaccount:flightdeck-demo:demo-admin';
const VIEWER = 'system:serviceaccount:flightdeck-demo:demo-viewer';
const SA_GROUPS = '[system:serviceaccounts system:serviceaccounts:flightdeck-demo system:authenticated]';

/** `kubectl auth whoami` as ATTRIBUTE/VALUE pairs. */
const whoami = async (args: string[], context = 'demo-admin') =>
  Object.fromEntries((await k.ok(['auth', 'whoami', ...args], { context })).trim().split('\n').slice(1).map((l) => [l.split(/\s+/)[0], l.replace(/^\S+\s+/, '')]));

describe('kubectl auth whoami (SelfSubjectReview)', () => {
  it('names the service account behind each context, and the impersonated user with --as', async () => {
    expect(await whoami([])).toEqual({ Username: ADMIN, Groups: SA_GROUPS });
    expect(await whoami([], 'demo-viewer')).toEqual({ Username: VIEWER, Groups: SA_GROUPS });
    expect(await whoami(['--as=bob', '--as-group=team-a'])).toEqual({ Username: 'bob', Groups: '[team-a system:authenticated]' });
    expect(await whoami([`--as=${VIEWER}`])).toEqual({ Username: VIEWER, Groups: SA_GROUPS });
  });
});

describe('kubectl auth can-i against the demo RBAC', () => {
  it('evaluates the impersonated user, not the caller', async () => {
    const bob = await k.run(['auth', 'can-i', 'get', 'pods', '--as=bob']);
    expect([bob.code, bob.stdout.trim()]).toEqual([1, 'no']);
    expect((await k.run(['auth', 'can-i', 'get', 'pods', `--as=${VIEWER}`])).stdout.trim()).toBe('yes');
    expect((await k.run(['auth', 'can-i', 'delete', 'pods', `--as=${VIEWER}`])).stdout.trim()).toBe('no');
    expect((await k.run(['auth', 'can-i', 'delete', 'pods', '--as=bob', '--as-group=system:masters'])).stdout.trim()).toBe('yes');
    // Only those RBAC lets impersonate may: the viewer may not.
    const r = await k.run(['get', 'pods', '--as=bob'], { context: 'demo-viewer' });
    expect(r.stderr).toContain('Error from server (Forbidden): users "bob" is forbidden: User "system:serviceaccount:flightdeck-demo:demo-viewer" cannot impersonate resource "users" in API group "" at the cluster scope');
    expect((await k.run(['get', 'pods', '--as=bob'])).stderr).toContain('pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('--list prints the rules of the caller\'s bindings', async () => {
    const viewer = await k.ok(['auth', 'can-i', '--list'], { context: 'demo-viewer' });
    const row = (name: string) => viewer.split('\n').find((l) => l.split(/\s+/)[0] === name)?.trim().split(/\s{2,}/);
    expect(row('pods')).toEqual(['pods', '[]', '[]', '[get list watch]']);
    expect(row('pods/log')).toEqual(['pods/log', '[]', '[]', '[get list watch]']);
    expect(row('deployments.apps/scale')).toEqual(['deployments.apps/scale', '[]', '[]', '[get list watch]']);
    expect(row('selfsubjectreviews.authentication.k8s.io')).toEqual(['selfsubjectreviews.authentication.k8s.io', '[]', '[]', '[create]']);
    expect(row('secrets')).toBeUndefined();
    expect(row('pods/exec')).toBeUndefined();
    expect(viewer).toMatch(/\[\/version\]\s+\[\]\s+\[get\]/);
    const admin = await k.ok(['auth', 'can-i', '--list']);
    expect(admin).toMatch(/^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    const nobody = await k.ok(['auth', 'can-i', '--list', '--as=bob']);
    expect(nobody).not.toMatch(/^pods\s/m);
    expect(nobody).toMatch(/^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
  });
});

const sar = (spec: string) => `apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
${spec}`;

describe('SubjectAccessReview', () => {
  it('answers for the user and groups it names, only to callers RBAC lets create it', async () => {
    const ask = async (spec: string, context = 'demo-admin') => k.run(['create', '-o', 'json', '-f', k.writeManifest('sar.yaml', sar(spec))], { context });
    const viewerDelete = JSON.parse((await ask(`  user: ${VIEWER}\n  resourceAttributes: {namespace: default, verb: delete, resource: pods}\n`)).stdout);
    expect(viewerDelete.status).toEqual({ allowed: false });
    const viewerList = JSON.parse((await ask(`  user: ${VIEWER}\n  resourceAttributes: {namespace: default, verb: list, resource: pods}\n`)).stdout);
    expect(viewerList.status).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "demo-viewer" of ClusterRole "view" to ServiceAccount "demo-viewer/flightdeck-demo"' });
    const masters = JSON.parse((await ask('  user: alice\n  groups: [system:masters]\n  resourceAttributes: {verb: delete, group: apps, resource: deployments}\n')).stdout);
    expect(masters.status.reason).toBe('RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"');
    const discovery = JSON.parse((await ask('  groups: [system:authenticated]\n  nonResourceAttributes: {verb: get, path: /apis/apps}\n')).stdout);
    expect(discovery.status.allowed).toBe(true);

    const nobody = await ask('  resourceAttributes: {verb: get, resource: pods}\n');
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('spec.user: Invalid value: "": at least one of user or group must be specified');
    const refused = await ask(`  user: ${ADMIN}\n  resourceAttributes: {verb: get, resource: pods}\n`, 'demo-viewer');
    expect(refused.stderr).toContain('subjectaccessreviews.authorization.k8s.io is forbidden: User "system:serviceaccount:flightdeck-demo:demo-viewer" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope');
  });
});
