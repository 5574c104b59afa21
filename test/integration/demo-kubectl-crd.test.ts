// CustomResourceDefinitions on the demo fleet, driven by the machine's kubectl as its users drive
// them: apply a CRD, then get/explain/watch/scale its custom resources; unknown fields pruned (and
// refused under kubectl's default strict validation); printer columns evaluated server-side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet, waitFor } from './demo-kubectl-helpers.js';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wg]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Size, type: string, jsonPath: .spec.size}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
    - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
    schema:
      openAPIV3Schema:
        type: object
        description: A widget made to order.
        properties:
          spec:
            type: object
            description: What the widget should be.
            required: [size]
            properties:
              size: {type: string, enum: [small, large], description: How big the widget is.}
              replicas: {type: integer, minimum: 0, description: How many widgets.}
              color: {type: string, description: The widget's color.}
              shape: {type: string, default: round}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
          status:
            type: object
            properties:
              replicas: {type: integer}
              conditions:
                type: array
                items: {type: object, properties: {type: {type: string}, status: {type: string}}}
`;

const widget = (name: string, spec: string) => `apiVersion: example.com/v1
kind: Widget
metadata: {name: ${name}, namespace: default}
spec: ${spec}
`;

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

beforeAll(async () => {
  t = await startTestFleet({ nodes: 1, pods: 2 });
  k = kubectlRunner(t);
  await k.ok(['apply', '-f', k.writeManifest('crd.yaml', CRD)]);
  await k.ok(['wait', '--for', 'condition=established', '--timeout=20s', 'crd/widgets.example.com']);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

describe('kubectl with a CustomResourceDefinition', () => {
  it('lists the CRD and serves its kind in discovery with its short name', async () => {
    expect(await k.ok(['get', 'crd'])).toMatch(/^widgets\.example\.com\s+\d{4}-\d\d-\d\dT/m);
    const resources = await k.ok(['api-resources', '--api-group=example.com']);
    expect(resources).toMatch(/^widgets\s+wg\s+example\.com\/v1\s+true\s+Widget$/m);
  });

  it('prints the additionalPrinterColumns, evaluating their JSONPaths (wide adds priority 1)', async () => {
    await k.ok(['apply', '-f', k.writeManifest('w1.yaml', widget('w1', '{size: large, replicas: 3, color: blue}'))]);
    await k.ok(['patch', 'widget', 'w1', '--subresource=status', '--type=merge', '-p', '{"status":{"conditions":[{"type":"Ready","status":"True"}]}}']);
    const out = await k.ok(['get', 'widgets']);
    expect(out.split('\n')[0]).toMatch(/^NAME\s+SIZE\s+REPLICAS\s+READY$/);
    expect(out).toMatch(/^w1\s+large\s+3\s+True$/m);
    expect(await k.ok(['get', 'wg', 'w1', '-o', 'wide'])).toMatch(/^w1\s+large\s+3\s+True\s+blue$/m);
  });

  it('prunes unknown fields, and kubectl\'s default strict validation refuses them', async () => {
    const manifest = k.writeManifest('w2.yaml', widget('w2', '{size: small, bogus: 1, extra: {anything: goes}}'));
    const strict = await k.run(['apply', '-f', manifest]);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.bogus"');
    const warned = await k.run(['create', '--validate=warn', '--dry-run=server', '-f', manifest]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('unknown field "spec.bogus"');
    // Server-side apply refuses undeclared fields whatever the directive, as for built-in kinds.
    const ssa = await k.run(['apply', '--server-side', '--validate=false', '-f', manifest]);
    expect(ssa.stderr).toContain('.spec.bogus: field not declared in schema');
    await k.ok(['apply', '--validate=false', '-f', manifest]);
    const stored = JSON.parse(await k.ok(['get', 'widget', 'w2', '-o', 'json']));
    // Pruned, and defaulted from the schema.
    expect(stored.spec).toEqual({ size: 'small', extra: { anything: 'goes' }, shape: 'round' });
  });

  it('validates values against the schema (enum, required) with a 422', async () => {
    const bad = await k.run(['apply', '-f', k.writeManifest('w3.yaml', widget('w3', '{size: huge}'))]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const missing = await k.run(['apply', '-f', k.writeManifest('w4.yaml', widget('w4', '{color: red}'))]);
    expect(missing.stderr).toContain('spec.size: Required value');
  });

  it('explains the custom kind from its schema', async () => {
    const out = await k.ok(['explain', 'widgets.spec']);
    expect(out).toMatch(/^GROUP:\s+example\.com$/m);
    expect(out).toMatch(/^KIND:\s+Widget$/m);
    expect(out).toContain('What the widget should be.');
    expect(out).toMatch(/^\s+size\t<string> -required-$/m);
    expect(out).toMatch(/^\s+replicas\t<integer>$/m);
  });

  it('scales through the scale subresource', async () => {
    expect(await k.ok(['scale', 'widget/w1', '--replicas=5'])).toContain('widget.example.com/w1 scaled');
    expect(await k.ok(['get', 'widget', 'w1', '-o', 'jsonpath={.spec.replicas}'])).toBe('5');
  });

  it('keeps status out of main-resource writes (status subresource)', async () => {
    await k.ok(['patch', 'widget', 'w1', '--type=merge', '-p', '{"status":{"replicas":9}}']);
    expect(await k.ok(['get', 'widget', 'w1', '-o', 'jsonpath={.status.replicas}'])).toBe('');
  });

  it('get --watch sees a custom resource change', async () => {
    const child = k.spawn(['get', 'widgets', '--watch', '--output-watch-events']);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await waitFor('initial list', () => /ADDED\s+w1/.test(out));
      await k.ok(['patch', 'widget', 'w1', '--type=merge', '-p', '{"spec":{"size":"small"}}']);
      await waitFor('the change', () => /MODIFIED\s+w1\s+small/.test(out));
    } finally {
      child.kill();
    }
  });

  it('deleting the CRD removes its kind and its objects', async () => {
    await k.ok(['delete', 'crd', 'widgets.example.com']);
    expect(t.fleet.store.count('widgets.example.com')).toBe(0);
    const gone = await k.run(['get', 'widgets.example.com']);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/the server doesn't have a resource type "widgets"/);
  });
});

describe('the Argo Rollouts kinds as installed CRDs', () => {
  it('lists rollouts.argoproj.io among the CRDs, Established, with the Rollout printer columns', async () => {
    const crd = JSON.parse(await k.ok(['get', 'crd', 'rollouts.argoproj.io', '-o', 'json']));
    expect(crd.spec.names).toMatchObject({ kind: 'Rollout', plural: 'rollouts', shortNames: ['ro'] });
    expect(crd.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    expect(crd.spec.versions[0].additionalPrinterColumns.map((c: { name: string }) => c.name)).toEqual(['Desired', 'Current', 'Up-to-date', 'Available', 'Age']);
    // The pod template is inlined (a CRD schema has no references).
    expect(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.template.properties.spec.properties.containers.type).toBe('array');
    expect(await k.ok(['get', 'crd'])).toMatch(/^analysisruns\.argoproj\.io\s/m);
  });

  it('serves rollouts only while their CRD exists', async () => {
    expect((await k.run(['get', 'rollouts', '-A'])).code).toBe(0);
    await k.ok(['delete', 'crd', 'rollouts.argoproj.io']);
    const gone = await k.run(['get', 'rollouts.argoproj.io', '-A']);
    expect(gone.stderr).toMatch(/the server doesn't have a resource type "rollouts"/);
  });
});
