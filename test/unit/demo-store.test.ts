import { describe, expect, it } from 'vitest';
import { ObjectStore, StoreError } from '../../electron/demo/store.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });

describe('demo object store history', () => {
  it('keeps at least the configured history, and answers Expired for what it dropped', () => {
    const store = new ObjectStore({ historyPerResource: 8 });
    const rvs: number[] = [];
    for (let i = 0; i < 40; i++) rvs.push(Number(store.create('configmaps', cm(`c${i}`)).metadata.resourceVersion));
    const last = rvs[rvs.length - 1];
    // The newest 8 changes are always resumable, in order.
    expect(store.eventsSince('configmaps', last - 8).map((e) => e.rv)).toEqual(rvs.slice(-8));
    // The oldest are gone: resuming from before them is the apiserver's 410.
    const error = (() => {
      try {
        store.eventsSince('configmaps', rvs[0]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ reason: 'Expired' });
  });
});
