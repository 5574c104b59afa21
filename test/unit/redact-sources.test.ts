// Where secrets are turned into text or written down, redaction happens first: plan diffs, revision
// history and diffs, offline snapshots (both writers), the audit log; and secrets.reveal hands back
// only what the redactor hides, reads it live, and audits the path but never the value.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../shared/model/kube.js';
import type { AuditLog } from '../../electron/core/audit/audit-log.js';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { readSnapshot, snapshotPath, writeSnapshot, writeSnapshotChunked } from '../../electron/core/clusters/offline-snapshot.js';
import { specDiff } from '../../electron/core/rollouts/plan-kit.js';
import { planUndo } from '../../electron/core/rollouts/workload-plans.js';
import { revisionDiff } from '../../electron/core/rollouts/rollouts-reads.js';
import type { WorkloadReader } from '../../electron/core/rollouts/workload-reader.js';
import { createRedactedLister, createRevealHandler } from '../../electron/core/secrets/reveal.js';

const template = (password: string, image: string) => ({
  metadata: { labels: { app: 'api' } },
  spec: { containers: [{ name: 'api', image, env: [{ name: 'DB_PASSWORD', value: password }, { name: 'MODE', value: 'prod-mode' }], args: ['--token', `tok-${password}`] }] },
});

const deployment = (password: string, revision: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'default', uid: 'd1', generation: revision, labels: { app: 'api' }, annotations: { 'deployment.kubernetes.io/revision': String(revision) } },
  spec: { replicas: 1, selector: { matchLabels: { app: 'api' } }, template: template(password, `api:${revision}`) },
});

const replicaSet = (password: string, revision: number): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: `api-${revision}`, namespace: 'default', labels: { app: 'api' }, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', uid: 'd1', controller: true }] },
  spec: { replicas: 1, template: template(password, `api:${revision}`) },
  status: { replicas: 1 },
});

const OLD = 'old-pw-literal';
const NEW = 'new-pw-literal';
const live = deployment(NEW, 2);
const children = [replicaSet(OLD, 1), replicaSet(NEW, 2)];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flightdeck-redact-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('diffs are built from redacted objects', () => {
  it("undo's plan diff shows that the password changes (fingerprints differ) without either value; the plan keeps the real template", () => {
    const draft = planUndo({ kind: 'Deployment', live, now: new Date(), children }, 0);
    const diff = draft.diff ?? '';
    expect(diff).not.toContain(OLD);
    expect(diff).not.toContain(NEW);
    const removed = diff.split('\n').find((l) => l.startsWith('-') && l.includes('DB_PASSWORD') === false && l.includes('<redacted: 14 chars'));
    const added = diff.split('\n').find((l) => l.startsWith('+') && l.includes('<redacted: 14 chars'));
    expect(removed).toBeDefined();
    expect(added).toBeDefined();
    expect(removed?.slice(1)).not.toBe(added?.slice(1));
    expect(JSON.stringify(draft.requests)).toContain(OLD); // what execute sends: the real revision 1
    expect(specDiff(live, [])).not.toContain(NEW);
  });

  it('revision history templates and their diff carry no value', async () => {
    const reader: WorkloadReader = { get: async () => live, list: async () => children };
    const diff = await revisionDiff(reader, 'c', { kind: 'Deployment', namespace: 'default', name: 'api' }, 1, 2);
    const text = JSON.stringify(diff);
    for (const literal of [OLD, NEW, 'prod-mode', `tok-${OLD}`]) expect(text).not.toContain(literal);
    expect(diff.rows.some((r) => r.change === 'changed' && r.left?.includes('<redacted: 14 chars') && r.left !== r.right)).toBe(true);
  });
});

describe('nothing secret is written to disk', () => {
  const snapshot = { context: 'ctx', asOf: '2026-01-01T00:00:00Z', objects: { deployments: [live], replicasets: children } };

  it('offline snapshots, written at once or in chunks, hold markers not values, and keep labels and selectors', async () => {
    writeSnapshot(join(dir, 'a'), snapshot);
    await writeSnapshotChunked(join(dir, 'b'), snapshot, () => true, 1);
    for (const sub of ['a', 'b']) {
      const text = readFileSync(snapshotPath(join(dir, sub), 'ctx'), 'utf8');
      for (const literal of [OLD, NEW, 'prod-mode']) expect(text).not.toContain(literal);
      const read = readSnapshot(join(dir, sub), 'ctx');
      expect(read?.objects.deployments?.[0].spec).toMatchObject({ selector: { matchLabels: { app: 'api' } } });
      expect(read?.objects.deployments?.[0].metadata.labels).toEqual({ app: 'api' });
    }
    expect(JSON.stringify(live)).toContain(NEW); // the caches' objects are untouched
  });

  it('the audit log file holds no value of a planned request', () => {
    const audit = openAuditLog(join(dir, 'audit.log'));
    // Shallow enough to survive the record bounds (deep templates are cut there anyway).
    const requests = [{ method: 'PATCH' as const, path: '/apis/apps/v1/namespaces/default/deployments/api', body: [{ op: 'replace', path: '/spec/template/spec/containers/0/env/0/value', value: OLD }] }];
    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', action: 'set-env', requests, error: `dial postgres://app:${NEW}@db failed` });
    const text = readFileSync(join(dir, 'audit.log'), 'utf8');
    expect(text).toContain('"action":"set-env"');
    expect(text).not.toContain(OLD);
    expect(text).not.toContain(NEW);
    expect(requests[0].body[0].value).toBe(OLD);
  });
});

describe('secrets.reveal and secrets.redacted', () => {
  let server: Server;
  let kc: KubeConfig;
  const appended: unknown[] = [];
  const audit = { path: '', list: () => ({ records: [], total: 0, totalIsEstimate: false }), append: (entry: object) => (appended.push(entry), { id: `a${appended.length}`, time: 't', ...entry }) } as unknown as AuditLog;

  beforeAll(async () => {
    const objects: Record<string, unknown> = {
      '/apis/apps/v1/namespaces/default/deployments/api': { ...live, metadata: { ...live.metadata, annotations: { note: 'see postgres://app:urlpw-literal@db/x' } } },
    };
    server = createServer((req, res) => {
      const body = objects[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body ?? { kind: 'Status', message: 'not found', reason: 'NotFound' }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const deps = () => ({ configFor: () => kc, audit, userOf: () => 'alice' });
  const session = { kind: 'console', readOnly: false } as const;
  const ref = { context: 'c', kind: 'Deployment', namespace: 'default', name: 'api' };

  it('lists where the env literals are, showing markers only', async () => {
    const { values } = await createRedactedLister(deps())(ref);
    expect(values.map((v) => [v.container, v.env, v.path])).toEqual([
      ['api', 'DB_PASSWORD', '/spec/template/spec/containers/0/env/0/value'],
      ['api', 'MODE', '/spec/template/spec/containers/0/env/1/value'],
    ]);
    expect(JSON.stringify(values)).not.toContain(NEW);
  });

  it('reveals an env value and a URL password, auditing who, what and where but never the value', async () => {
    const reveal = createRevealHandler(deps());
    await expect(reveal({ ...ref, path: '/spec/template/spec/containers/0/env/0/value' }, session)).resolves.toMatchObject({ value: NEW });
    await expect(reveal({ ...ref, path: '/metadata/annotations/note' }, session)).resolves.toMatchObject({ value: 'see postgres://app:urlpw-literal@db/x' });
    expect(appended[0]).toMatchObject({ outcome: 'succeeded', user: 'alice', session: 'console', action: 'reveal-secret', target: { kind: 'Deployment', name: 'api' }, params: { path: '/spec/template/spec/containers/0/env/0/value' } });
    expect(JSON.stringify(appended)).not.toContain(NEW);
    expect(JSON.stringify(appended)).not.toContain('urlpw-literal');
  });

  it('refuses what is not redacted, Secrets, and missing objects (each attempt audited)', async () => {
    const reveal = createRevealHandler(deps());
    const before = appended.length;
    await expect(reveal({ ...ref, path: '/spec/template/spec/containers/0/image' }, session)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(reveal({ ...ref, kind: 'Secret', path: '/data/password' }, session)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(reveal({ ...ref, name: 'gone', path: '/spec/template/spec/containers/0/env/0/value' }, session)).rejects.toMatchObject({ code: 'not_found' });
    expect(appended.slice(before).map((e) => (e as { outcome: string }).outcome)).toEqual(['failed', 'failed', 'failed']);
  });
});
