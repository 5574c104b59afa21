// `kubectl explain` and client-side `kubectl apply` against the demo fleet's OpenAPI documents,
// with the three kubectl versions on the machine. explain reads /openapi/v3 in all three; apply
// computes its strategic-merge patch from our v3 schemas in 1.32/1.33 (1.27 from its built-in
// types), so the result on the server is what proves the patch metadata right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlRunner, startTestFleet } from './demo-kubectl-helpers.js';

const VERSIONS = ['1.27', '1.32', '1.33'];

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;

beforeAll(async () => {
  t = await startTestFleet({ nodes: 2, pods: 8 });
  k = kubectlRunner(t);
});

afterAll(async () => {
  await t?.cleanup();
});

/** The `name <type>` lines of explain's FIELDS section, as a map. */
function fields(out: string): Map<string, string> {
  const section = out.slice(out.indexOf('FIELDS:'));
  const found = new Map<string, string>();
  for (const m of section.matchAll(/^\s{2,}(\w+)\t<([^>]+)>/gm)) found.set(m[1], m[2]);
  return found;
}

function header(out: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const m of out.matchAll(/^(GROUP|KIND|VERSION|FIELD):\s+(.+)$/gm)) h[m[1]] = m[2].trim();
  return h;
}

describe.each(VERSIONS)('kubectl %s explain', (version) => {
  it('explains a kind with its description and typed fields', async () => {
    const out = await k.ok(['explain', 'pods'], { version });
    expect(header(out)).toMatchObject({ KIND: 'Pod', VERSION: 'v1' });
    expect(out).toMatch(/DESCRIPTION:\n\s+Pod is a collection of containers/);
    const f = fields(out);
    expect(f.get('metadata')).toBe('ObjectMeta');
    expect(f.get('spec')).toBe('PodSpec');
    expect(f.get('status')).toBe('PodStatus');
    expect(f.get('apiVersion')).toBe('string');
  });

  it('walks nested fields down to named types (Quantity maps, arrays of objects)', async () => {
    const out = await k.ok(['explain', 'pods.spec.containers.resources'], { version });
    expect(header(out)).toMatchObject({ KIND: 'Pod', VERSION: 'v1', FIELD: 'resources <ResourceRequirements>' });
    expect(out).toMatch(/DESCRIPTION:\n\s+\S/);
    const f = fields(out);
    expect(f.get('limits')).toBe('map[string]Quantity');
    expect(f.get('requests')).toBe('map[string]Quantity');
    expect(f.get('claims')).toBe('[]ResourceClaim');
    const containers = await k.ok(['explain', 'pods.spec.containers'], { version });
    expect(containers).toMatch(/^\s+name\t<string> -required-/m);
    expect(fields(containers).get('ports')).toBe('[]ContainerPort');
    expect(fields(containers).get('env')).toBe('[]EnvVar');
  });

  it('explains apps/v1 Deployment strategy, also --recursive', async () => {
    const out = await k.ok(['explain', 'deployments.spec.strategy'], { version });
    expect(header(out)).toMatchObject({ GROUP: 'apps', KIND: 'Deployment', VERSION: 'v1', FIELD: 'strategy <DeploymentStrategy>' });
    const f = fields(out);
    expect(f.get('rollingUpdate')).toBe('RollingUpdateDeployment');
    expect(f.get('type')).toBe('string');
    expect(out).toMatch(/Recreate/);
    const rec = await k.ok(['explain', 'deployments.spec.strategy', '--recursive'], { version });
    expect(rec).toMatch(/^\s+rollingUpdate\t<RollingUpdateDeployment>\n\s+maxSurge\t<IntOrString>\n\s+maxUnavailable\t<IntOrString>\n\s+type\t<string>/m);
  });

  it('explains the Argo Rollout custom resource', async () => {
    const out = await k.ok(['explain', 'rollouts.spec', '--api-version=argoproj.io/v1alpha1'], { version });
    expect(header(out)).toMatchObject({ GROUP: 'argoproj.io', KIND: 'Rollout', VERSION: 'v1alpha1' });
    const f = fields(out);
    expect(f.get('template')).toBe('PodTemplateSpec');
    expect(f.get('selector')).toBe('LabelSelector');
    expect(f.get('replicas')).toBe('integer');
    expect(f.get('strategy')).toBe('Object');
    const canary = await k.ok(['explain', 'rollouts.spec.strategy.canary.steps', '--api-version=argoproj.io/v1alpha1'], { version });
    expect(fields(canary).get('setWeight')).toBe('integer');
    // The pod template is the core type: explain follows the reference.
    const tpl = await k.ok(['explain', 'rollouts.spec.template.spec.containers.image', '--api-version=argoproj.io/v1alpha1'], { version });
    expect(tpl).toMatch(/FIELD: image <string>/);
  });

  it('names an unknown field', async () => {
    const r = await k.run(['explain', 'pods.spec.nope'], { version });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/nope/);
  });
});

interface Container {
  name: string;
  image: string;
  ports?: { containerPort: number; name?: string }[];
  env?: { name: string; value?: string }[];
}

function deployment(name: string, port: number, env: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: registry.example/web:1.0
        ports: [{containerPort: ${port}}, {containerPort: 9090, name: metrics}]
        env: [${env}]
      - name: side
        image: registry.example/side:1.0
`;
}

describe.each(VERSIONS)('kubectl %s apply', (version) => {
  it('applies changed env vars and a changed container port as a merge by key', async () => {
    const name = `explain-apply-${version.replace('.', '-')}`;
    await k.ok(['apply', '-f', k.writeManifest(`${name}-1.yaml`, deployment(name, 8080, '{name: MODE, value: one}, {name: DROP, value: x}, {name: KEEP, value: "yes"}'))], { version });
    const second = await k.run(['apply', '-f', k.writeManifest(`${name}-2.yaml`, deployment(name, 8081, '{name: MODE, value: two}, {name: KEEP, value: "yes"}'))], { version });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/configured/);
    expect(second.stderr).not.toMatch(/error calculating patch/);
    const obj = t.fleet.store.peekOne('deployments.apps', 'default', name) as { spec: { template: { spec: { containers: Container[] } } } } | undefined;
    const containers = obj?.spec.template.spec.containers ?? [];
    expect(containers.map((c) => c.name)).toEqual(['web', 'side']);
    const web = containers[0];
    // 8080 is gone, likewise only through a delete by containerPort.
    expect(web.ports?.map((p) => p.containerPort)).toEqual([8081, 9090]);
    expect(web.ports?.[1].name).toBe('metrics');
    // DROP is gone: kubectl sent a by-name delete, which it only does with the env merge key
    // (a replaced list would have been merged by name on the server and kept DROP).
    expect(web.env).toEqual([{ name: 'MODE', value: 'two' }, { name: 'KEEP', value: 'yes' }]);
    // A third apply with nothing changed is a no-op.
    const third = await k.ok(['apply', '-f', k.writeManifest(`${name}-3.yaml`, deployment(name, 8081, '{name: MODE, value: two}, {name: KEEP, value: "yes"}'))], { version });
    expect(third).toMatch(/unchanged/);
  });
});

function rollout(name: string, image: string, weight: number): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: ${name}, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: app, image: ${image}, env: [{name: A, value: "1"}]}]
  strategy:
    canary:
      steps: [{setWeight: ${weight}}, {pause: {}}]
`;
}

describe.each(VERSIONS)('kubectl %s apply of a custom resource', (version) => {
  it('re-applies a Rollout with a JSON merge patch (no strategic merge for custom resources)', async () => {
    const name = `ro-${version.replace('.', '-')}`;
    await k.ok(['apply', '-f', k.writeManifest(`${name}-1.yaml`, rollout(name, 'registry.example/app:1', 20))], { version });
    const second = await k.run(['apply', '-v=8', '-f', k.writeManifest(`${name}-2.yaml`, rollout(name, 'registry.example/app:2', 40))], { version });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/Content-Type: application\/merge-patch\+json/);
    const obj = t.fleet.store.peekOne('rollouts.argoproj.io', 'default', name) as { spec: { template: { spec: { containers: Container[] } }; strategy: { canary: { steps: unknown[] } } } } | undefined;
    expect(obj?.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'app', image: 'registry.example/app:2', env: [{ name: 'A', value: '1' }] })]);
    expect(obj?.spec.strategy.canary.steps).toEqual([{ setWeight: 40 }, { pause: {} }]);
  });
});
