// Issue 11, end to end: a Deployment holding every kind of secret (literal env values, a URL password,
// `--flag=value` and `--flag value` args, an annotation DSN, a change-cause from `kubectl set env`,
// and kubectl's last-applied-configuration copy of all of them) goes through history, diff, undo
// prepare and execute, audit, details, resource tables, streams and an offline snapshot, over real
// HTTP and WebSocket with both tokens. Every byte the console sent and every file under its data
// dir is searched for each literal. Undo must still restore the real values on the cluster, and
// only secrets.reveal (console token, audited) hands a value back.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, until, type RolloutsRig } from './rollouts-helpers.js';

const CONTEXT = 'demo-admin';
const NAME = 'vault-client';
const TARGET = { kind: 'Deployment', namespace: 'default', name: NAME };

/** One literal per kind of secret; each must appear nowhere the console wrote. */
const SECRETS = {
  'env value (revision 1)': 'envpw-Q7x1rev1',
  'env value (revision 2)': 'envpw-Z9k2rev2',
  'env token': 'hf_envtok_R4m8',
  'URL password in an arg': 'urlpw-K3j5',
  '--flag=value arg': 'argkey-P2v6',
  '--flag value arg': 'argpw-L8n4',
  'URL password in an annotation': 'annpw-V6c9',
  'change-cause assignment': 'causetok-T5w3',
} as const;

const manifest = (dbPassword: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${NAME}
  namespace: default
spec:
  replicas: 1
  selector: {matchLabels: {app: ${NAME}}}
  template:
    metadata:
      labels: {app: ${NAME}}
      annotations: {example.com/dsn: "mysql://root:${SECRETS['URL password in an annotation']}@db:3306/app"}
    spec:
      containers:
      - name: api
        image: ${image}
        args: ["--db-url=postgres://app:${SECRETS['URL password in an arg']}@db:5432/app", "--api-key=${SECRETS['--flag=value arg']}", "--password", "${SECRETS['--flag value arg']}", "--port=8080"]
        env:
        - {name: DB_PASSWORD, value: "${dbPassword}"}
        - {name: HF_TOKEN, value: "${SECRETS['env token']}"}
        - name: FROM_SECRET
          valueFrom: {secretKeyRef: {name: db-creds, key: password}}
`;

/** Everything the console sent: HTTP bodies and WebSocket frames, with where each came from. */
const captured: Array<{ where: string; text: string }> = [];
/** secrets.reveal's own answers: the one place a literal is meant to be. */
const revealed: string[] = [];
let rig: RolloutsRig;
let dataDir = '';

async function call(method: string, request: unknown, token: string, label = method): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${rig.http.url}/api/v1/call/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(request) });
  const text = await res.text();
  if (method === 'secrets.reveal' && res.status === 200) revealed.push(text);
  else captured.push({ where: `HTTP ${label} (${token === rig.http.consoleToken ? 'console' : 'readonly'} token)`, text });
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

function openStreams(token: string, who: string): { close(): Promise<void>; frames: () => number } {
  const ws = new WebSocket(`${rig.http.url.replace('http', 'ws')}/api/v1/stream?token=${token}`);
  let frames = 0;
  ws.on('message', (data: Buffer) => {
    frames++;
    captured.push({ where: `WebSocket frame (${who} token)`, text: data.toString('utf8') });
  });
  ws.on('open', () => {
    const subscribe = (id: string, stream: string, params: unknown) => ws.send(JSON.stringify({ op: 'subscribe', id, stream, params }));
    subscribe('1', 'clusters.status', {});
    subscribe('2', 'rollouts.watch', { context: CONTEXT, intervalMs: 250 });
    subscribe('3', 'topology.delta', { context: CONTEXT, coalesceMs: 50 });
  });
  return {
    frames: () => frames,
    close: () => new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    }),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function deploymentJson(): Promise<{ metadata: { annotations?: Record<string, string> }; spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }>; image: string }> } } } }> {
  return JSON.parse(await rig.kubectl(['get', 'deployment', NAME, '-n', 'default', '-o', 'json']));
}

let undoRestoredEnv: Array<{ name: string; value?: string }> = [];
let revealedValue = '';
let diffRows: Array<{ left: string | null; right: string | null; change: string }> = [];
let fileTexts: Array<{ where: string; text: string }> = [];

beforeAll(async () => {
  rig = await startRig({ speed: 10 });
  dataDir = rig.dir;
  const { consoleToken, readonlyToken } = rig.http;
  // Revision 1, then revision 2 (a changed DB_PASSWORD and image) through kubectl's client-side apply,
  // which copies the whole manifest into last-applied-configuration.
  await rig.kubectl(['apply', '-f', '-'], manifest(SECRETS['env value (revision 1)'], 'vault-client:1'));
  await rig.kubectl(['annotate', 'deployment', NAME, `kubernetes.io/change-cause=kubectl set env deployment/${NAME} HF_TOKEN=${SECRETS['change-cause assignment']}`]);
  await rig.kubectl(['apply', '-f', '-'], manifest(SECRETS['env value (revision 2)'], 'vault-client:2'));
  const history = await until('two revisions', async () => {
    const res = await call('rollouts.history', { context: CONTEXT, target: TARGET }, consoleToken);
    const revisions = res.body.revisions as Array<{ revision: number }> | undefined;
    return revisions && revisions.length >= 2 ? revisions : undefined;
  });
  expect(history.map((r) => r.revision)).toEqual([2, 1]);

  const streams = [openStreams(consoleToken, 'console'), openStreams(readonlyToken, 'readonly')];
  await until('stream frames', async () => (streams.every((s) => s.frames() >= 3) ? true : undefined));

  for (const token of [consoleToken, readonlyToken]) {
    await call('app.info', {}, token);
    await call('clusters.list', {}, token);
    await call('rollouts.list', { context: CONTEXT }, token);
    await call('rollouts.history', { context: CONTEXT, target: TARGET }, token);
    const diff = await call('rollouts.diff', { context: CONTEXT, target: TARGET, from: 1, to: 2 }, token);
    diffRows = diff.body.rows as typeof diffRows;
    await call('actions.available', { context: CONTEXT, target: TARGET }, token);
    const pods = await until('the pod row', async () => {
      const res = await call('resources.list', { context: CONTEXT, table: 'pods' }, token);
      const rows = (res.body.rows as Array<Array<string | number>>).filter((row) => String(row.at(-1)).includes(NAME));
      return rows.length ? rows : undefined;
    });
    for (const table of ['nodes', 'workloads', 'events']) await call('resources.list', { context: CONTEXT, table }, token);
    await call('topology.details', { context: CONTEXT, kind: 'deploy', namespace: 'default', name: NAME }, token);
    const podName = String(pods[0].at(-1)).split('/').pop() as string;
    await call('topology.details', { context: CONTEXT, kind: 'pod', namespace: 'default', name: podName }, token, 'topology.details pod');
    const replicaSets = (await rig.kubectl(['get', 'replicasets', '-n', 'default', '-l', `app=${NAME}`, '-o', 'name'])).trim().split('\n');
    for (const rs of replicaSets) await call('topology.details', { context: CONTEXT, kind: 'rs', namespace: 'default', name: rs.split('/')[1] }, token, 'topology.details rs');
    await call('secrets.redacted', { context: CONTEXT, kind: 'Deployment', namespace: 'default', name: NAME }, token);
    // Refused to the read-only token (and that refusal is audited); prepared for the console.
    await call('actions.prepare', { context: CONTEXT, target: TARGET, action: 'undo', params: {} }, token);
    await call('secrets.reveal', { context: CONTEXT, kind: 'Deployment', namespace: 'default', name: NAME, path: '/spec/template/spec/containers/0/env/0/value' }, token);
  }

  // Undo for real: the plan the server kept must carry the real revision-1 values.
  const plan = await call('actions.prepare', { context: CONTEXT, target: TARGET, action: 'undo', params: {} }, consoleToken, 'actions.prepare (executed)');
  const executed = await call('actions.execute', { token: plan.body.token }, consoleToken);
  expect(executed.status, JSON.stringify(executed.body)).toBe(200);
  undoRestoredEnv = (await deploymentJson()).spec.template.spec.containers[0].env;
  const reveal = await call('secrets.reveal', { context: CONTEXT, kind: 'Deployment', namespace: 'default', name: NAME, path: '/spec/template/spec/containers/0/env/0/value' }, consoleToken);
  revealedValue = String(reveal.body.value);
  await until('the rolled back revision in history', async () => {
    const res = await call('rollouts.history', { context: CONTEXT, target: TARGET }, consoleToken, 'rollouts.history after undo');
    return (res.body.revisions as Array<{ revision: number }>).some((r) => r.revision === 3) ? true : undefined;
  });
  for (const token of [consoleToken, readonlyToken]) await call('audit.list', { limit: 1000 }, token);
  await new Promise((r) => setTimeout(r, 500)); // the last stream events after the undo
  await Promise.all(streams.map((s) => s.close()));

  // Stopping writes the offline snapshot; then every file the console wrote is read back.
  await rig.http.close();
  await rig.app.stop();
  fileTexts = filesUnder(dataDir).map((path) => ({ where: `file ${path.slice(dataDir.length + 1)}`, text: readFileSync(path, 'latin1') }));
}, 180_000);

afterAll(async () => {
  await rig?.fleet.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('no literal secret leaves the main process', () => {
  it.each(Object.entries(SECRETS))('%s appears in no response, no WebSocket frame and no file', (_kind, literal) => {
    const leaks = [...captured, ...fileTexts].filter((c) => c.text.includes(literal)).map((c) => c.where);
    expect([...new Set(leaks)]).toEqual([]);
  });

  it('searched what it should have: every method answered, both streams delivered, a snapshot and an audit log were written', () => {
    expect(captured.filter((c) => c.where.startsWith('WebSocket')).length).toBeGreaterThan(6);
    expect(captured.some((c) => c.where.includes('topology.details pod') && c.text.includes('<redacted: '))).toBe(true);
    expect(fileTexts.some((f) => f.where.includes('snapshots') && f.text.includes(NAME))).toBe(true);
    expect(fileTexts.some((f) => f.where.includes('audit') && f.text.includes('"action":"undo"'))).toBe(true);
  });

  it('the revision diff still shows that the secret changed (different fingerprints), and that the other did not', () => {
    const changed = diffRows.filter((r) => r.change === 'changed' && r.left?.includes('<redacted: ') && r.right?.includes('<redacted: '));
    expect(changed.length).toBeGreaterThan(0);
    for (const row of changed) expect(row.left).not.toBe(row.right);
    expect(diffRows.some((r) => r.change === 'same' && r.left?.includes('<redacted: 14 chars #'))).toBe(true); // HF_TOKEN unchanged
  });

  it('undo restored the real revision-1 values on the cluster, not the redacted ones', () => {
    expect(undoRestoredEnv.find((e) => e.name === 'DB_PASSWORD')?.value).toBe(SECRETS['env value (revision 1)']);
    expect(undoRestoredEnv.find((e) => e.name === 'HF_TOKEN')?.value).toBe(SECRETS['env token']);
  });

  it('secrets.reveal gives the console the literal value, refuses the read-only token, and audits who/what/where but not the value', () => {
    expect(revealedValue).toBe(SECRETS['env value (revision 1)']);
    const refused = captured.find((c) => c.where === 'HTTP secrets.reveal (readonly token)');
    expect(refused?.text).toContain('read_only');
    const audit = fileTexts.filter((f) => f.where.includes('audit')).map((f) => f.text).join('\n');
    const reveals = audit.split('\n').filter((line) => line.includes('"action":"reveal-secret"'));
    expect(reveals.length).toBeGreaterThanOrEqual(2);
    expect(reveals[0]).toContain('/spec/template/spec/containers/0/env/0/value');
    expect(reveals[0]).toContain(`"name":"${NAME}"`);
  });
});
