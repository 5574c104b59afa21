// The simulated event recorder: repeats aggregate (count, lastTimestamp) per involved object,
// reason, message, component and field path; the number of Events is bounded, oldest out first.
import { describe, expect, it } from 'vitest';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import { EventRecorder } from '../../electron/demo/controllers/events.js';
import { sameJson } from '../../electron/demo/controllers/endpoints.js';

const pod = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` } });
const kubelet = { component: 'kubelet', host: 'n1' };
const events = (store: ObjectStore) => [...store.peek('events')] as (KubeObject & { reason: string; message: string; count: number })[];

describe('demo EventRecorder', () => {
  it('aggregates a repeat into one Event and keeps different messages, paths and objects apart', () => {
    const store = new ObjectStore();
    const rec = new EventRecorder(store, createClock());
    rec.record(pod('a'), 'Warning', 'BackOff', 'Back-off', kubelet, 'spec.containers{c}');
    rec.record(pod('a'), 'Warning', 'BackOff', 'Back-off', kubelet, 'spec.containers{c}');
    rec.record(pod('a'), 'Warning', 'BackOff', 'Back-off', kubelet, 'spec.containers{d}');
    rec.record(pod('a'), 'Warning', 'BackOff', 'Other', kubelet, 'spec.containers{c}');
    rec.record(pod('b'), 'Warning', 'BackOff', 'Back-off', kubelet, 'spec.containers{c}');
    const all = events(store);
    expect(all).toHaveLength(4);
    expect(all.map((e) => e.count).sort()).toEqual([1, 1, 1, 2]);
  });

  it('starts a new Event when the aggregated one was deleted', () => {
    const store = new ObjectStore();
    const rec = new EventRecorder(store, createClock());
    rec.record(pod('a'), 'Normal', 'Pulled', 'pulled', kubelet);
    store.delete('events', 'default', events(store)[0].metadata.name);
    rec.record(pod('a'), 'Normal', 'Pulled', 'pulled', kubelet);
    rec.record(pod('a'), 'Normal', 'Pulled', 'pulled', kubelet);
    expect(events(store).map((e) => e.count)).toEqual([2]);
  });

  it('keeps at most maxEvents, dropping the oldest, over many evictions', () => {
    const store = new ObjectStore();
    const rec = new EventRecorder(store, createClock(), 10);
    for (let i = 0; i < 3000; i++) rec.record(pod(`p${i}`), 'Normal', 'Started', 'started', kubelet);
    const left = events(store).map((e) => e.metadata.name.split('.')[0]).sort();
    expect(left).toEqual(Array.from({ length: 10 }, (_, i) => `p${2990 + i}`).sort());
    // An evicted object's repeat is a new Event, not a lost write.
    rec.record(pod('p0'), 'Normal', 'Started', 'started', kubelet);
    expect(events(store).some((e) => e.metadata.name.startsWith('p0.'))).toBe(true);
    expect(events(store)).toHaveLength(10);
  });
});

describe('endpoints sameJson', () => {
  it('compares as JSON: key order ignored, undefined members absent, arrays in order', () => {
    expect(sameJson({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, u: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(sameJson([1, 2], [2, 1])).toBe(false);
    expect(sameJson({ a: [] }, { a: {} })).toBe(false);
    expect(sameJson({ a: '1' }, { a: 1 })).toBe(false);
  });
});
