// StatefulSets: Flightdeck on twin sts-a and kubectl on sts-b (scale, restart) end equal, and
// the console's progress says what `kubectl rollout status` says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, startRig, until, type RolloutsRig } from './rollouts-helpers.js';

const manifest = (name: string, image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 2
  serviceName: ${name}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: db, image: "${image}"}]
`;

let rig: RolloutsRig;

beforeAll(async () => {
  rig = await startRig({ speed: 10 });
  for (const image of ['postgres:16.1', 'postgres:16.2']) {
    for (const name of ['sts-a', 'sts-b']) await rig.kubectl(['apply', '-f', '-'], manifest(name, image));
    for (const name of ['sts-a', 'sts-b']) await rig.kubectl(['rollout', 'status', `statefulset/${name}`, '--timeout=60s']);
  }
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

async function state(name: string) {
  const sts = JSON.parse(await rig.kubectl(['get', 'statefulset', name, '-o', 'json'])) as { spec: unknown };
  const neutral = (t: string) => t.replaceAll(name, 'TWIN').replace(/"kubectl\.kubernetes\.io\/restartedAt":"[^"]+"/g, '"restartedAt"');
  return { spec: neutral(JSON.stringify(sts.spec)), history: neutral(await rig.kubectl(['rollout', 'history', `statefulset/${name}`])) };
}

async function consoleMessage(name: string) {
  const res = await rig.call('rollouts.list', { context: 'demo-admin', namespace: 'default' });
  return (res.body.workloads as { kind: string; name: string; progress: { message: string; done: boolean } }[]).find((w) => w.kind === 'StatefulSet' && w.name === name)?.progress;
}

async function settle() {
  for (const name of ['sts-a', 'sts-b']) await rig.kubectl(['rollout', 'status', `statefulset/${name}`, '--timeout=60s']);
  const kubectl = (await rig.kubectl(['rollout', 'status', 'statefulset/sts-a', '--watch=false'])).trim();
  await until('the console to agree with kubectl rollout status', async () => ((await consoleMessage('sts-a'))?.message === kubectl ? true : undefined));
}

const A = { kind: 'StatefulSet', namespace: 'default', name: 'sts-a' };

describe('StatefulSet twins', () => {
  it('scale', async () => {
    await act(rig, 'demo-admin', A, 'scale', { replicas: 3 });
    await rig.kubectl(['scale', 'statefulset/sts-b', '--replicas=3']);
    await settle();
    expect(await state('sts-a')).toEqual(await state('sts-b'));
  }, 90_000);

  it('restart', async () => {
    await act(rig, 'demo-admin', A, 'restart');
    await rig.kubectl(['rollout', 'restart', 'statefulset/sts-b']);
    await settle();
    expect(await state('sts-a')).toEqual(await state('sts-b'));
  }, 90_000);

  // The demo's StatefulSet controller keeps no ControllerRevisions, so there is no history to undo
  // to: both sides must refuse, and say so.
  it('undo without history is refused by both', async () => {
    const plan = await rig.call('actions.prepare', { context: 'demo-admin', target: A, action: 'undo', params: { toRevision: 1 } });
    expect(plan.status).toBe(400);
    expect((plan.body.error as { message: string }).message).toMatch(/Revision 1 is not in the history of statefulset "sts-a"/);
    await expect(rig.kubectl(['rollout', 'undo', 'statefulset/sts-b', '--to-revision=1'])).rejects.toThrow(/revision|history/);
    expect(await state('sts-a')).toEqual(await state('sts-b'));
  }, 90_000);
});
