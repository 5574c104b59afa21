// The patch engines behind PATCH: strategic merge (lists by merge key, $ directives), JSON merge
// and JSON patch, as kubectl and client-node send them.
import { describe, expect, it } from 'vitest';
import { applyPatch, decodePatch, mergePatch, patchTypeOf, strategicMerge } from '../../electron/demo/api/patch.js';
import { ApiError } from '../../electron/demo/api/status.js';

const deployment = () => ({
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'app:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
          { name: 'sidecar', image: 'side:1' },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

describe('strategic merge patch', () => {
  it('merges containers and env by name instead of replacing the lists', () => {
    const out = strategicMerge(deployment(), {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] } } },
    });
    const [app, sidecar] = out.spec.template.spec.containers;
    expect(app.image).toBe('app:2');
    expect(app.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    expect(app.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(sidecar).toEqual({ name: 'sidecar', image: 'side:1' });
  });

  it('honours $setElementOrder, $patch: delete and $patch: replace', () => {
    const out = strategicMerge(deployment(), {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
            containers: [{ name: 'app', env: [{ name: 'A', $patch: 'delete' }] }],
            volumes: [{ name: 'cache', emptyDir: {} }, { $patch: 'replace' }],
          },
        },
      },
    });
    expect(out.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['sidecar', 'app']);
    expect(out.spec.template.spec.containers[1].env).toEqual([{ name: 'B', value: '2' }]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'cache', emptyDir: {} }]);
  });

  it('deletes keys set to null and keeps $retainKeys only', () => {
    const out = strategicMerge({ spec: { paused: true, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } }, {
      spec: { paused: null, strategy: { $retainKeys: ['type'], type: 'Recreate' } },
    });
    expect(out).toEqual({ spec: { strategy: { type: 'Recreate' } } });
  });

  it('merges ports by containerPort and service ports by port', () => {
    const pod = strategicMerge({ ports: [{ containerPort: 80, name: 'http' }] }, { ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] });
    expect(pod.ports).toEqual([{ containerPort: 80, name: 'web' }, { containerPort: 443 }]);
    const svc = strategicMerge({ ports: [{ port: 80, targetPort: 8080 }] }, { ports: [{ port: 80, targetPort: 9090 }] });
    expect(svc.ports).toEqual([{ port: 80, targetPort: 9090 }]);
  });
});

describe('merge patch and JSON patch', () => {
  it('JSON merge patch replaces lists and deletes nulls', () => {
    expect(mergePatch({ a: [1, 2], b: { c: 1, d: 2 } }, { a: [3], b: { c: null } })).toEqual({ a: [3], b: { d: 2 } });
  });

  it('JSON patch applies operations and rejects a failing test op with 422', () => {
    const doc = { spec: { replicas: 1 } };
    expect(applyPatch('json', doc, [{ op: 'replace', path: '/spec/replicas', value: 3 }])).toEqual({ spec: { replicas: 3 } });
    expect(doc.spec.replicas).toBe(1);
    expect(() => applyPatch('json', doc, [{ op: 'test', path: '/spec/replicas', value: 9 }])).toThrow(ApiError);
  });

  it('maps content types, 415 for unknown ones and 400 for undecodable bodies', () => {
    expect(patchTypeOf('application/strategic-merge-patch+json')).toBe('strategic');
    expect(patchTypeOf('application/apply-patch+yaml; charset=utf-8')).toBe('apply');
    expect(() => patchTypeOf('text/plain')).toThrow(expect.objectContaining({ code: 415 }));
    expect(() => decodePatch('merge', '{nope')).toThrow(expect.objectContaining({ code: 400 }));
    expect(() => decodePatch('json', '{"op":"add"}')).toThrow(expect.objectContaining({ code: 400 }));
    expect(decodePatch('apply', 'spec:\n  replicas: 2\n')).toEqual({ spec: { replicas: 2 } });
  });
});
