// A status write (mutate with subresource 'status') copies only status: the stored spec is shared
// with the previous version, only status changes reach the store, and editing the spec in such a
// write fails loudly rather than being silently dropped.
import { describe, expect, it } from 'vitest';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';

const pod = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'a' } },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
  status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
});

describe('demo store status writes', () => {
  it('change status, keep spec and metadata subtrees, bump the resourceVersion', () => {
    const store = new ObjectStore();
    const before = store.create('pods', pod());
    const after = store.mutate('pods', 'default', 'p', (p) => {
      (p.status as { phase: string }).phase = 'Running';
      p.metadata.resourceVersion = 'ignored';
    }, { subresource: 'status' }) as KubeObject;
    expect((after.status as { phase: string }).phase).toBe('Running');
    expect((before.status as { phase: string }).phase).toBe('Pending');
    expect(after.spec).toBe(before.spec);
    expect(after.metadata.labels).toBe(before.metadata.labels);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    expect((after.status as { conditions: unknown[] }).conditions).toBe((before.status as { conditions: unknown[] }).conditions);
  });

  it('an unchanged status with ifChanged writes nothing; an object without status gets one', () => {
    const store = new ObjectStore();
    const before = store.create('pods', pod());
    expect(store.mutate('pods', 'default', 'p', () => undefined, { subresource: 'status', ifChanged: true })).toBe(before);
    const bare = store.create('pods', { ...pod(), metadata: { name: 'q', namespace: 'default' }, status: undefined });
    const withStatus = store.mutate('pods', 'default', 'q', (p) => {
      p.status = { phase: 'Running' };
    }, { subresource: 'status' }) as KubeObject;
    expect(withStatus.status).toEqual({ phase: 'Running' });
    expect(withStatus.spec).toBe(bare.spec);
  });

  it('refuses a spec edit inside a status write', () => {
    const store = new ObjectStore();
    store.create('pods', pod());
    expect(() => store.mutate('pods', 'default', 'p', (p) => {
      (p.spec as { nodeName?: string }).nodeName = 'n1';
    }, { subresource: 'status' })).toThrow(TypeError);
    expect((store.get('pods', 'default', 'p')?.spec as { nodeName?: string }).nodeName).toBeUndefined();
  });
});
