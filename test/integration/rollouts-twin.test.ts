// The twin test: Flightdeck acts on deployment twin-a through the action road while the real
// kubectl does the same on the identical twin-b; after every action both must be in equal states
// (spec, revision history, ReplicaSets), and the console's rollout progress must say what
// `kubectl rollout status` says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, startRig, until, type RolloutsRig } from './rollouts-helpers.js';

const NS = 'default';
const manifest = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
  annotations: {flightdeck.dev/model-name: llama-3-8b, flightdeck.dev/model-version: "3.1"}
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: server, image: "vllm/vllm-openai:v0.6.1"}]
`;

interface Summary {
  name: string;
  progress: { done: boolean; message: string };
}

let rig: RolloutsRig;

beforeAll(async () => {
  rig = await startRig({ speed: 10 });
  for (const name of ['twin-a', 'twin-b']) await rig.kubectl(['apply', '-f', '-'], manifest(name));
  for (const name of ['twin-a', 'twin-b']) await rig.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=60s']);
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

/** Everything that must be equal between the twins, with each twin's own name taken out. */
async function state(name: string) {
  const neutral = (text: string) => text.replaceAll(name, 'TWIN').replace(/"kubectl\.kubernetes\.io\/restartedAt":"[^"]+"/g, '"kubectl.kubernetes.io/restartedAt":"<time>"');
  const deploy = JSON.parse(await rig.kubectl(['get', 'deployment', name, '-o', 'json'])) as { metadata: { uid: string; annotations?: Record<string, string> }; spec: unknown };
  const rsList = JSON.parse(await rig.kubectl(['get', 'replicasets', '-l', `app=${name}`, '-o', 'json'])) as {
    items: Array<{ metadata: { annotations?: Record<string, string>; ownerReferences?: { uid: string }[] }; spec: { replicas: number; template: { metadata?: { labels?: Record<string, string> } } } }>;
  };
  const replicaSets = rsList.items
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === deploy.metadata.uid))
    .map((rs) => {
      const template = structuredClone(rs.spec.template);
      delete template.metadata?.labels?.['pod-template-hash'];
      return { revision: Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']), replicas: rs.spec.replicas, template: neutral(JSON.stringify(template)) };
    })
    .sort((a, b) => a.revision - b.revision);
  const annotations = { ...deploy.metadata.annotations };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    spec: neutral(JSON.stringify(deploy.spec)),
    annotations: neutral(JSON.stringify(annotations)),
    replicaSets,
    history: neutral(await rig.kubectl(['rollout', 'history', `deployment/${name}`])),
  };
}

async function consoleSummary(name: string): Promise<Summary> {
  const res = await rig.call('rollouts.list', { context: 'demo-admin', namespace: NS });
  const found = (res.body.workloads as Summary[]).find((w) => w.name === name);
  if (!found) throw new Error(`${name} is not in rollouts.list`);
  return found;
}

/** kubectl's one-shot verdict must equal the console's, read just before or just after it. */
async function expectStatusAgrees(name: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await consoleSummary(name);
    const kubectl = (await rig.kubectl(['rollout', 'status', `deployment/${name}`, '--watch=false'])).trim();
    const after = await consoleSummary(name);
    if (kubectl === before.progress.message || kubectl === after.progress.message) return;
  }
  const kubectl = (await rig.kubectl(['rollout', 'status', `deployment/${name}`, '--watch=false'])).trim();
  expect((await consoleSummary(name)).progress.message).toBe(kubectl);
}

async function settle() {
  for (const name of ['twin-a', 'twin-b']) await rig.kubectl(['rollout', 'status', `deployment/${name}`, '--timeout=60s']);
  // The console reads through its watch cache: give it until it reports done too.
  await until('console says twin-a is done', async () => ((await consoleSummary('twin-a')).progress.done ? true : undefined));
  const done = await consoleSummary('twin-a');
  expect(done.progress.message).toBe((await rig.kubectl(['rollout', 'status', 'deployment/twin-a', '--watch=false'])).trim());
}

const A = { kind: 'Deployment', namespace: NS, name: 'twin-a' };

describe('Flightdeck and kubectl leave twin deployments in equal states', () => {
  it('scale', async () => {
    await act(rig, 'demo-admin', A, 'scale', { replicas: 4 });
    await rig.kubectl(['scale', 'deployment/twin-b', '--replicas=4']);
    await expectStatusAgrees('twin-a');
    await settle();
    expect(await state('twin-a')).toEqual(await state('twin-b'));
  }, 90_000);

  it('restart', async () => {
    const { plan } = await act(rig, 'demo-admin', A, 'restart');
    expect((plan.requests as { contentType?: string }[])[1].contentType).toBe('application/strategic-merge-patch+json');
    await rig.kubectl(['rollout', 'restart', 'deployment/twin-b']);
    await expectStatusAgrees('twin-a');
    await settle();
    const [a, b] = [await state('twin-a'), await state('twin-b')];
    expect(a).toEqual(b);
    expect(a.replicaSets).toHaveLength(2);
  }, 90_000);

  it('pause, change the image while paused, resume', async () => {
    await act(rig, 'demo-admin', A, 'pause');
    await rig.kubectl(['rollout', 'pause', 'deployment/twin-b']);
    for (const name of ['twin-a', 'twin-b']) await rig.kubectl(['set', 'image', `deployment/${name}`, 'server=vllm/vllm-openai:v0.6.2']);
    expect(await state('twin-a')).toEqual(await state('twin-b'));
    expect((await consoleSummary('twin-a')) as unknown).toMatchObject({ paused: true });
    await act(rig, 'demo-admin', A, 'resume');
    await rig.kubectl(['rollout', 'resume', 'deployment/twin-b']);
    await expectStatusAgrees('twin-a');
    await settle();
    expect(await state('twin-a')).toEqual(await state('twin-b'));
  }, 90_000);

  it('undo to the previous revision', async () => {
    await act(rig, 'demo-admin', A, 'undo', { toRevision: 0 });
    await rig.kubectl(['rollout', 'undo', 'deployment/twin-b']);
    await expectStatusAgrees('twin-a');
    await settle();
    expect(await state('twin-a')).toEqual(await state('twin-b'));
  }, 90_000);

  it('undo to a chosen revision, shown first as a template diff', async () => {
    const diff = await rig.call('rollouts.diff', { context: 'demo-admin', target: A, from: 1, to: 4 });
    expect(diff.status).toBe(200);
    expect(diff.body.unified as string).toContain('restartedAt');
    await act(rig, 'demo-admin', A, 'undo', { toRevision: 1 });
    await rig.kubectl(['rollout', 'undo', 'deployment/twin-b', '--to-revision=1']);
    await settle();
    const a = await state('twin-a');
    expect(a).toEqual(await state('twin-b'));
    // Revision 1's ReplicaSet is reused and renumbered, exactly as kubectl's undo does it.
    expect(a.history).toMatch(/^5\s/m);
    expect(a.history).not.toMatch(/^1\s/m);
  }, 90_000);
});
