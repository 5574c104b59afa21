// Real kubectl (1.32 on PATH; 1.27 and 1.33 for a subset) against the demo fleet's write path:
// server-side apply with field ownership and conflicts, and server-side field validation
// (kubectl >= 1.27 sends fieldValidation=Strict by default).
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

const deployment = (name: string, replicas: number, image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  subresource?: string;
  fieldsV1: Record<string, unknown>;
}
const managed = async (name: string, version?: string): Promise<Entry[]> =>
  JSON.parse(await k.ok(['get', 'deploy', name, '-o', 'json', '--show-managed-fields'], { version })).metadata.managedFields ?? [];

describe.each([{ version: undefined, label: '1.32' }, { version: '1.27', label: '1.27' }, { version: '1.33', label: '1.33' }])('kubectl $label apply --server-side', ({ version, label }) => {
  const name = `ssa-${label.replace('.', '')}`;
  // kubectl scale names no field manager: the apiserver takes the User-Agent's product, which is
  // the binary's file name (kubectl.1.27 for the versioned binaries).
  const scaler = version ? `kubectl.${version}` : 'kubectl';

  it('creates, updates, conflicts with kubectl scale, and --force-conflicts takes ownership', async () => {
    const v1 = k.writeManifest(`${name}-a.yaml`, deployment(name, 2));
    expect(await k.ok(['apply', '--server-side', '-f', v1], { version })).toContain(`deployment.apps/${name} serverside-applied`);
    let entries = await managed(name, version);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    const container = (entries[0].fieldsV1 as Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>)['f:spec']['f:template']['f:spec']['f:containers'];
    expect(Object.keys(container)).toEqual(['k:{"name":"web"}']);

    // A second apply with a changed field updates the object.
    const v2 = k.writeManifest(`${name}-b.yaml`, deployment(name, 2, 'nginx:1.28'));
    await k.ok(['apply', '--server-side', '-f', v2], { version });
    expect(await k.ok(['get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'], { version })).toBe('nginx:1.28');

    // Another manager changes replicas; applying a different value conflicts.
    await k.ok(['scale', `deploy/${name}`, '--replicas=5'], { version });
    entries = await managed(name, version);
    expect(entries.map((e) => e.manager + '/' + e.operation + (e.subresource ? '/' + e.subresource : ''))).toEqual(['kubectl/Apply', `${scaler}/Update/scale`]);
    const v3 = k.writeManifest(`${name}-c.yaml`, deployment(name, 3, 'nginx:1.28'));
    const refused = await k.run(['apply', '--server-side', '-f', v3], { version });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`Apply failed with 1 conflict: conflict with "${scaler}" with subresource "scale" using apps/v1: .spec.replicas`);
    expect(refused.stderr).toContain('--force-conflicts');
    expect(await k.ok(['get', 'deploy', name, '-o', 'jsonpath={.spec.replicas}'], { version })).toBe('5');

    // Forced: the applier owns replicas; the scale entry, left with nothing, goes.
    await k.ok(['apply', '--server-side', '--force-conflicts', '-f', v3], { version });
    expect(await k.ok(['get', 'deploy', name, '-o', 'jsonpath={.spec.replicas}'], { version })).toBe('3');
    entries = await managed(name, version);
    expect(entries.map((e) => e.manager)).toEqual(['kubectl']);
  });
});

describe('field ownership as kubectl shows it (1.32)', () => {
  it('--show-managed-fields lists both managers; plain -o yaml hides them', async () => {
    const file = k.writeManifest('own.yaml', deployment('own', 1));
    await k.ok(['apply', '--server-side', '--field-manager=team-a', '-f', file]);
    await k.ok(['label', 'deploy/own', 'tier=front']);
    const shown = await k.ok(['get', 'deploy', 'own', '-o', 'yaml', '--show-managed-fields']);
    expect(shown).toMatch(/manager: team-a\n\s+operation: Apply/);
    expect(shown).toMatch(/f:tier: \{\}/);
    expect(shown).toMatch(/manager: kubectl-label\n\s+operation: Update/);
    expect(await k.ok(['get', 'deploy', 'own', '-o', 'yaml'])).not.toContain('managedFields');
  });

  it('a field dropped from the applied configuration is removed when nobody else owns it', async () => {
    const withEnv = deployment('drop', 1).replace('        ports:', '        env: [{name: MODE, value: fast}, {name: KEEP, value: "1"}]\n        ports:');
    await k.ok(['apply', '--server-side', '-f', k.writeManifest('drop-a.yaml', withEnv)]);
    const env = async () => JSON.parse(await k.ok(['get', 'deploy', 'drop', '-o', 'jsonpath={.spec.template.spec.containers[0].env}']));
    expect(await env()).toEqual([{ name: 'MODE', value: 'fast' }, { name: 'KEEP', value: '1' }]);
    await k.ok(['apply', '--server-side', '-f', k.writeManifest('drop-b.yaml', withEnv.replace('{name: MODE, value: fast}, ', ''))]);
    expect(await env()).toEqual([{ name: 'KEEP', value: '1' }]);
  });

  it('client-side apply and create record Update entries under their own managers', async () => {
    await k.ok(['apply', '-f', k.writeManifest('csa.yaml', deployment('csa', 1))]);
    const entries = await managed('csa');
    expect(entries[0]).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1' });
    expect(JSON.stringify(entries[0].fieldsV1)).toContain('"f:kubectl.kubernetes.io/last-applied-configuration":{}');
    // Moving to server-side apply with a changed value takes the fields over without a conflict.
    await k.ok(['apply', '--server-side', '-f', k.writeManifest('csa2.yaml', deployment('csa', 4))]);
    expect(await k.ok(['get', 'deploy', 'csa', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
    // ...but a plain Update by another manager still conflicts.
    await k.ok(['patch', 'deploy/csa', '-p', '{"spec":{"replicas":6}}']);
    const r = await k.run(['apply', '--server-side', '-f', k.writeManifest('csa3.yaml', deployment('csa', 2))]);
    expect(r.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas');
  });
});

const badConfigMap = (name: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: ${name}, namespace: default}
data: {a: "1"}
dataa: {x: "1"}
`;

describe.each([{ version: undefined, label: '1.32' }, { version: '1.27', label: '1.27' }, { version: '1.33', label: '1.33' }])('field validation, kubectl $label', ({ version, label }) => {
  const name = `cm-${label.replace('.', '')}`;
  it('create -f and apply -f with an unknown field fail with the strict decoding error', async () => {
    const file = k.writeManifest(`${name}.yaml`, badConfigMap(name));
    for (const verb of ['create', 'apply']) {
      const r = await k.run([verb, '-f', file], { version });
      expect(r.code, r.stdout).not.toBe(0);
      expect(r.stderr).toContain('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"');
    }
    expect((await k.run(['get', 'cm', name], { version })).code).not.toBe(0);
  });
});

describe('field validation modes (1.32)', () => {
  it('--validate=warn creates the object, prints the warning and drops the field', async () => {
    const r = await k.run(['apply', '--validate=warn', '-f', k.writeManifest('warn.yaml', badConfigMap('cm-warn'))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: unknown field "dataa"');
    const cm = JSON.parse(await k.ok(['get', 'cm', 'cm-warn', '-o', 'json']));
    expect(cm.data).toEqual({ a: '1' });
    expect(cm.dataa).toBeUndefined();
  });

  it('--validate=false creates the object silently', async () => {
    const r = await k.run(['create', '--validate=false', '-f', k.writeManifest('off.yaml', badConfigMap('cm-off'))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('Warning');
    expect(JSON.parse(await k.ok(['get', 'cm', 'cm-off', '-o', 'json'])).dataa).toBeUndefined();
  });

  it('apply -f of an existing object patched with an unknown field is refused (strategic merge patch)', async () => {
    await k.ok(['apply', '-f', k.writeManifest('cm-p.yaml', badConfigMap('cm-p').replace('dataa: {x: "1"}\n', ''))]);
    const r = await k.run(['apply', '-f', k.writeManifest('cm-p2.yaml', badConfigMap('cm-p'))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('strict decoding error: unknown field "dataa"');
  });

  it('apply --server-side refuses an unknown field with the typed-patch error', async () => {
    const r = await k.run(['apply', '--server-side', '-f', k.writeManifest('cm-s.yaml', badConfigMap('cm-s'))]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('failed to create typed patch object (/v1, Kind=ConfigMap): .dataa: field not declared in schema');
  });
});
