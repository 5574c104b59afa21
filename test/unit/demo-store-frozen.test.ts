// Stored objects are shared, frozen and replaced on every write (no copies on reads): these tests
// pin what that contract promises readers and writers.
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject, StoreEvent } from '../../electron/demo/store.js';
import { copyJson, settle } from '../../electron/demo/json-values.js';
import { objectJson } from '../../electron/demo/api/http-util.js';

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' }, annotations: { a: '1' } },
  spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
});

describe('demo store: frozen stored objects', () => {
  it('a reader can not change a stored object, at any depth, through any read path', () => {
    const store = new ObjectStore();
    const created = store.create('pods', pod('p1'));
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const updated = store.mutate('pods', 'default', 'p1', (p) => {
      (p.status as { phase: string }).phase = 'Running';
    }) as KubeObject;
    const peeked = store.peekOne('pods', 'default', 'p1') as KubeObject;
    for (const obj of [created, updated, peeked, events[0].object, events[0].old as KubeObject]) {
      expect(() => {
        obj.metadata.name = 'x';
      }).toThrow(TypeError);
      expect(() => {
        (obj.metadata.labels as Record<string, string>).app = 'x';
      }).toThrow(TypeError);
      expect(() => {
        (obj.spec as { containers: { image: string }[] }).containers[0].image = 'x';
      }).toThrow(TypeError);
      expect(() => (obj.status as { conditions: unknown[] }).conditions.push({})).toThrow(TypeError);
    }
    expect(store.peekOne('pods', 'default', 'p1')?.metadata.labels).toEqual({ app: 'web' });
    // get() and list() hand out copies that the caller may change freely.
    const copy = store.get('pods', 'default', 'p1') as KubeObject;
    copy.metadata.name = 'changed';
    (copy.metadata.labels as Record<string, string>).app = 'changed';
    store.list('pods')[0].metadata.name = 'changed too';
    expect(store.peekOne('pods', 'default', 'p1')?.metadata).toMatchObject({ name: 'p1', labels: { app: 'web' } });
  });

  it('the caller keeps its input: create and update copy it, and later changes to it do not leak in', () => {
    const store = new ObjectStore();
    const input = pod('p1');
    store.create('pods', input);
    (input.metadata.labels as Record<string, string>).app = 'after';
    expect(Object.isFrozen(input.metadata)).toBe(false);
    expect(store.peekOne('pods', 'default', 'p1')?.metadata.labels).toEqual({ app: 'web' });
    const next = store.get('pods', 'default', 'p1') as KubeObject;
    next.metadata.resourceVersion = undefined;
    (next.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
    store.update('pods', next);
    (next.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:3';
    expect((store.peekOne('pods', 'default', 'p1')?.spec as { containers: { image: string }[] }).containers[0].image).toBe('nginx:2');
  });

  it('a write shares unchanged subtrees with the previous version and stamps a new resourceVersion', () => {
    const store = new ObjectStore();
    const before = store.create('pods', pod('p1'));
    const after = store.mutate('pods', 'default', 'p1', (p) => {
      p.metadata.annotations = { ...(p.metadata.annotations ?? {}), b: '2' };
    }) as KubeObject;
    expect(after).not.toBe(before);
    expect(after.spec).toBe(before.spec);
    expect(after.status).toBe(before.status);
    expect(after.metadata.labels).toBe(before.metadata.labels);
    expect(after.metadata.annotations).toEqual({ a: '1', b: '2' });
    expect(Number(after.metadata.resourceVersion)).toBe(Number(before.metadata.resourceVersion) + 1);
    // The previous version is untouched (watch history and `old` still show it).
    expect(before.metadata.annotations).toEqual({ a: '1' });
    expect(before.metadata.resourceVersion).not.toBe(after.metadata.resourceVersion);
  });

  it('generation moves only when something outside metadata and status changes', () => {
    const store = new ObjectStore();
    store.create('pods', pod('p1'));
    const meta = store.mutate('pods', 'default', 'p1', (p) => {
      p.metadata.labels = { app: 'web', extra: 'y' };
    });
    expect(meta?.metadata.generation).toBe(1);
    const status = store.mutate('pods', 'default', 'p1', (p) => {
      p.status = { phase: 'Running' };
    });
    expect(status?.metadata.generation).toBe(1);
    // Same spec, written as a new object with the same content: still no bump.
    const rewritten = store.mutate('pods', 'default', 'p1', (p) => {
      p.spec = JSON.parse(JSON.stringify(p.spec)) as unknown;
    });
    expect(rewritten?.metadata.generation).toBe(1);
    const spec = store.mutate('pods', 'default', 'p1', (p) => {
      (p.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
    });
    expect(spec?.metadata.generation).toBe(2);
  });

  it('mutate with ifChanged writes nothing when the change changed nothing', () => {
    const store = new ObjectStore();
    store.create('pods', pod('p1'));
    const events: StoreEvent[] = [];
    store.subscribe((e) => events.push(e));
    const rv = store.latestRv();
    const same = store.mutate('pods', 'default', 'p1', (p) => {
      (p.status as { phase: string }).phase = 'Pending';
      p.metadata.labels = { app: 'web' };
    }, { ifChanged: true });
    expect(same).toBe(store.peekOne('pods', 'default', 'p1'));
    expect(store.latestRv()).toBe(rv);
    expect(events).toHaveLength(0);
    // Without ifChanged a no-op write still produces a version, as a PUT of the same object does.
    store.mutate('pods', 'default', 'p1', () => undefined);
    expect(store.latestRv()).toBe(rv + 1);
    expect(events.map((e) => e.type)).toEqual(['MODIFIED']);
  });

  it('a status write changes nothing but status', () => {
    const store = new ObjectStore();
    store.create('pods', pod('p1'));
    const out = store.mutate('pods', 'default', 'p1', (p) => {
      p.metadata.labels = { hacked: 'yes' };
      (p.status as { phase: string }).phase = 'Running';
    }, { subresource: 'status' }) as KubeObject;
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect((out.status as { phase: string }).phase).toBe('Running');
  });

  it('gives every created object a distinct, UUID-shaped uid', () => {
    const store = new ObjectStore();
    const uids = Array.from({ length: 2000 }, (_, i) => store.create('pods', pod(`u${i}`)).metadata.uid as string);
    expect(new Set(uids).size).toBe(2000);
    for (const uid of uids.slice(0, 50)) expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('delete returns the last state stamped with the deletion version, frozen', () => {
    const store = new ObjectStore();
    store.create('pods', pod('p1'));
    const gone = store.delete('pods', 'default', 'p1');
    expect(gone.metadata.resourceVersion).toBe(String(store.latestRv()));
    expect(Object.isFrozen(gone)).toBe(true);
  });
});

describe('JSON values: copyJson and settle', () => {
  const samples: unknown[] = [
    { a: 1, b: undefined, c: [1, undefined, () => 1, { d: NaN }], e: { f: Infinity, g: null }, h: 'x' },
    { when: new Date(0), nested: { list: [[1], [2, { z: undefined }]] } },
    JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}'),
    { plain: { toJSON: () => 'as text', ignored: 1 }, list: [{ toJSON: () => 42 }] },
    [],
    {},
  ];

  it('copyJson gives what a JSON round trip gives', () => {
    for (const s of samples) expect(copyJson(s)).toStrictEqual(JSON.parse(JSON.stringify(s)));
    const proto = copyJson(samples[2]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('settle gives the JSON round trip, deep-frozen, and reuses equal subtrees of the previous value', () => {
    for (const s of samples) {
      const out = settle(copyJson(s));
      expect(JSON.stringify(out)).toBe(JSON.stringify(s));
      expect(out).toStrictEqual(JSON.parse(JSON.stringify(s)));
    }
    const dropped = settle({ a: 1, b: undefined, c: { d: 2 } });
    expect(Object.keys(dropped)).toEqual(['a', 'c']);
    expect(Object.isFrozen(dropped) && Object.isFrozen(dropped.c)).toBe(true);
    const prev = settle({ a: { x: 1 }, b: [1, 2], c: { y: 1 } });
    expect(settle({ a: { x: 1 }, b: [1, 2], c: { y: 1 } }, prev)).toBe(prev);
    const next = settle({ a: { x: 1 }, b: [1, 2], c: { y: 2 } }, prev);
    expect(next).not.toBe(prev);
    expect(next.a).toBe(prev.a);
    expect(next.b).toBe(prev.b);
    // Key order counts, as it does for the JSON a client sees.
    const reordered = settle({ c: { y: 1 }, a: { x: 1 }, b: [1, 2] }, prev);
    expect(reordered).not.toBe(prev);
    expect(JSON.stringify(reordered)).toBe('{"c":{"y":1},"a":{"x":1},"b":[1,2]}');
  });
});

describe('objectJson of stored objects', () => {
  it('equals JSON.stringify of the object, for every version, though it reuses unchanged parts', () => {
    const store = new ObjectStore();
    const versions: KubeObject[] = [store.create('pods', pod('p1'))];
    const change = (fn: (p: KubeObject) => void) => versions.push(store.mutate('pods', 'default', 'p1', fn) as KubeObject);
    change((p) => {
      p.metadata.annotations = { a: '2', 'quote"d': 'back\\slash' };
    });
    change((p) => {
      (p.status as { phase: string }).phase = 'Running';
    });
    change((p) => {
      (p.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:2';
      p.extra = { list: [1, 'two', null, { deep: true }] };
    });
    change((p) => {
      delete p.status;
    });
    for (const v of versions) {
      expect(objectJson(v)).toBe(JSON.stringify(v));
      expect(objectJson(v)).toBe(objectJson(v));
    }
    expect(versions[1].spec).toBe(versions[0].spec);
  });
});
