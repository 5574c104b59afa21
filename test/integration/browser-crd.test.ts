// The resource browser against the demo fleet, with a CRD created by kubectl: discovery lists it,
// the live table pages in with limit/continue and carries the CRD's printer columns, watch changes
// arrive coalesced, details show conditions, and edit (server-side apply, dry run first) and delete
// go through the action road over HTTP, a field-manager conflict shown in the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableEvent, TableRow } from '../../shared/contract/browser.js';
import { startLiveTable } from '../../electron/core/browser/index.js';
import { act, startRig, until, type RolloutsRig } from './rollouts-helpers.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: modelservers.serving.example.com}
spec:
  group: serving.example.com
  scope: Namespaced
  names: {plural: modelservers, singular: modelserver, kind: ModelServer, shortNames: [ms]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Model, type: string, jsonPath: .spec.model}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              model: {type: string}
              replicas: {type: integer}
          status:
            type: object
            properties:
              conditions:
                type: array
                items:
                  type: object
                  properties: {type: {type: string}, status: {type: string}, reason: {type: string}, message: {type: string}}
`;

const server = (name: string, model: string, replicas: number) =>
  `apiVersion: serving.example.com/v1\nkind: ModelServer\nmetadata: {name: ${name}, namespace: default}\nspec: {model: ${model}, replicas: ${replicas}}\n`;

const KIND = 'modelservers.v1.serving.example.com';
const ref = { group: 'serving.example.com', version: 'v1', plural: 'modelservers', namespace: 'default' };
let rig: RolloutsRig;

beforeAll(async () => {
  rig = await startRig();
  await rig.kubectl(['apply', '-f', '-'], CRD);
  await until('the CRD established', async () => ((await rig.kubectl(['get', 'crd', 'modelservers.serving.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Established")].status}'])) === 'True' ? true : undefined));
  await rig.kubectl(['apply', '-f', '-'], [server('alpha', 'llama', 1), server('beta', 'mistral', 2), server('gamma', 'qwen', 3)].join('---\n'));
}, 120_000);

afterAll(async () => {
  await rig?.stop();
});

describe('resource browser on a CRD', () => {
  it('discovery lists the custom kind in its group', async () => {
    const { status, body } = await rig.call('browser.kinds', { context: 'demo-admin' });
    expect(status).toBe(200);
    const kinds = body.kinds as Array<{ group: string; kind: string; plural: string; namespaced: boolean }>;
    expect(kinds).toContainEqual(expect.objectContaining({ group: 'serving.example.com', kind: 'ModelServer', plural: 'modelservers', namespaced: true }));
    expect(kinds[0].group).toBe('');
  });

  it('pages the Table in with limit/continue, printer columns included, then streams coalesced watch changes', async () => {
    const events: TableEvent[] = [];
    const stop = startLiveTable(rig.app.clusters.configFor('demo-admin'), ref, (e) => events.push(e), { pageSize: 2, coalesceMs: 200 });
    try {
      await until('all pages', async () => (events.some((e) => e.type === 'page' && e.complete) ? true : undefined));
      const reset = events[0];
      expect(reset.type).toBe('reset');
      if (reset.type !== 'reset') return;
      expect(reset.columns.map((c) => c.name)).toEqual(['Name', 'Model', 'Replicas']);
      expect(reset.rows).toHaveLength(2);
      expect(reset.complete).toBe(false);
      const rows = events.flatMap((e) => (e.type === 'reset' || e.type === 'page' ? e.rows : []));
      expect(rows.map((r) => r.key).sort()).toEqual(['default/alpha', 'default/beta', 'default/gamma']);
      const model = reset.columns.findIndex((c) => c.name === 'Model');
      expect(rows.find((r) => r.name === 'beta')?.cells[model]).toBe('mistral');

      // Three writes to one object inside the window arrive as one row in its last state.
      for (const replicas of [5, 6, 7]) await rig.kubectl(['patch', 'modelserver', 'alpha', '--type=merge', '-p', JSON.stringify({ spec: { replicas } })]);
      await rig.kubectl(['delete', 'modelserver', 'gamma']);
      const replicasAt = reset.columns.findIndex((c) => c.name === 'Replicas');
      const seen = await until('the changes', async () => {
        const changes = events.filter((e) => e.type === 'changes');
        const upserts = changes.flatMap((e) => (e.type === 'changes' ? e.upserts : [])).filter((r: TableRow) => r.name === 'alpha');
        const deleted = changes.some((e) => e.type === 'changes' && e.deletes.includes('default/gamma'));
        return upserts.at(-1)?.cells[replicasAt] === 7 && deleted ? upserts : undefined;
      });
      expect(seen.length).toBeLessThan(3);
    } finally {
      stop();
    }
  });

  it('shows details with conditions and redacted YAML', async () => {
    await rig.kubectl(['patch', 'modelserver', 'beta', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'False', reason: 'ModelLoading', message: 'pulling weights' }] } })]);
    const { status, body } = await rig.call('browser.details', { context: 'demo-admin', resource: ref, name: 'beta' });
    expect(status).toBe(200);
    expect(body.conditions).toEqual([expect.objectContaining({ type: 'Ready', status: 'False', reason: 'ModelLoading' })]);
    expect(body.yaml).toContain('model: mistral');
    expect(body.yaml).not.toContain('managedFields');
    expect(body.editableYaml).not.toContain('managedFields');
    expect(body.editableYaml).not.toContain('status:');
  });

  it('never shows a Secret\'s data in details or the editable YAML', async () => {
    await rig.kubectl(['create', 'secret', 'generic', 'hf-token', '--from-literal=token=hf_s3cr3t_value']);
    const { status, body } = await rig.call('browser.details', { context: 'demo-admin', resource: { group: '', version: 'v1', plural: 'secrets', namespace: 'default' }, name: 'hf-token' });
    expect(status).toBe(200);
    const text = JSON.stringify(body);
    expect(text).not.toContain(Buffer.from('hf_s3cr3t_value').toString('base64'));
    expect(text).not.toContain('hf_s3cr3t_value');
    expect(body.yaml).toContain('hf-token');
  });

  it('edits YAML through server-side apply on the action road: dry-run diff and kubectl\'s conflicting ownership first, then the forced write', async () => {
    const details = await rig.call('browser.details', { context: 'demo-admin', resource: ref, name: 'beta' });
    expect(details.body.editableYaml).not.toContain('last-applied-configuration');
    const yaml = String(details.body.editableYaml).replace('model: mistral', 'model: mixtral');
    const target = { kind: KIND, namespace: 'default', name: 'beta' };
    // kubectl apply (client side) owns spec.model: applying another value conflicts, shown before any write.
    const conflicted = await rig.call('actions.prepare', { context: 'demo-admin', target, action: 'resource.apply', params: { yaml } });
    expect(conflicted.status).toBe(200);
    expect((conflicted.body.warnings as string[]).join(' ')).toMatch(/conflict.*kubectl-client-side-apply[\s\S]*\.spec\.model/);
    expect(conflicted.body.diff).toContain('+  model: mixtral');
    const failed = await rig.call('actions.execute', { token: conflicted.body.token });
    expect(failed.body).toMatchObject({ error: { code: 'conflict' } });
    expect(await rig.kubectl(['get', 'modelserver', 'beta', '-o', 'jsonpath={.spec.model}'])).toBe('mistral');

    const { plan } = await act(rig, 'demo-admin', target, 'resource.apply', { yaml, force: true });
    expect(plan.warnings).toEqual([]);
    expect(plan.diff).toContain('-  model: mistral');
    expect(plan.diff).toContain('+  model: mixtral');
    expect(await rig.kubectl(['get', 'modelserver', 'beta', '-o', 'jsonpath={.spec.model}'])).toBe('mixtral');
    const managers = await rig.kubectl(['get', 'modelserver', 'beta', '--show-managed-fields', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    expect(managers).toContain('flightdeck');
  });

  it('applies without force where flightdeck owns the fields', async () => {
    const target = { kind: KIND, namespace: 'default', name: 'beta' };
    const details = await rig.call('browser.details', { context: 'demo-admin', resource: ref, name: 'beta' });
    const yaml = String(details.body.editableYaml).replace('model: mixtral', 'model: mixtral-8x7b');
    const { plan } = await act(rig, 'demo-admin', target, 'resource.apply', { yaml });
    expect(plan.warnings).toEqual([]);
    expect(await rig.kubectl(['get', 'modelserver', 'beta', '-o', 'jsonpath={.spec.model}'])).toBe('mixtral-8x7b');
  });

  it('refuses YAML that would write a redaction marker, and deletes through the road', async () => {
    const target = { kind: KIND, namespace: 'default', name: 'alpha' };
    const refused = await rig.call('actions.prepare', { context: 'demo-admin', target, action: 'resource.apply', params: { yaml: 'apiVersion: serving.example.com/v1\nkind: ModelServer\nmetadata: {name: alpha, namespace: default}\nspec: {model: "<redacted: 5 chars #abc123>"}\n' } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/redacted values/);
    const available = await rig.call('actions.available', { context: 'demo-admin', target });
    expect((available.body.actions as Array<{ action: string; allowed: boolean }>).map((a) => a.action).sort()).toEqual(['resource.apply', 'resource.delete']);
    await act(rig, 'demo-admin', target, 'resource.delete');
    await until('alpha gone', async () => ((await rig.kubectl(['get', 'modelservers', '-o', 'name'])).includes('alpha') ? undefined : true));
  });
});
