// The watch hub renders each event once per form and hands the same bytes to every watcher of that
// form: these tests check that what each watcher receives is exactly what rendering the event for
// that watcher alone gives (Table column definitions once per watcher, selectors, includeObject),
// including watchers that joined late or resumed from history, and that batched writes keep order.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectStore } from '../../electron/demo/store.js';
import type { KubeObject } from '../../electron/demo/store.js';
import { createClock } from '../../electron/demo/clock.js';
import type { DemoClock } from '../../electron/demo/clock.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { createApiServer } from '../../electron/demo/api/server.js';
import type { ApiServer } from '../../electron/demo/api/server.js';
import { eventLine } from '../../electron/demo/api/watch.js';
import type { EventForm } from '../../electron/demo/api/watch.js';
import { findResource } from '../../electron/demo/api/registry.js';

const FIXED_NOW = Date.parse('2026-11-24T12:00:00Z');
// Frozen simulated time, so the Table's AGE column renders the same in the hub and in the test.
const clock: DemoClock = { ...createClock(1, FIXED_NOW), now: () => FIXED_NOW };
const store = new ObjectStore({ nowIso: () => new Date(FIXED_NOW).toISOString().replace('.000Z', 'Z') });
store.setDefaulter(applyDefaults);
const token = 'admin-token';
let server: ApiServer;
let base: string;
/** Every stored version by resourceVersion, as the hub saw it. */
const versions = new Map<string, { type: string; object: KubeObject }>();

const pod = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'img:1' }] },
});

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const META = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json';

interface Stream {
  lines: string[];
  close: () => void;
}

/** Opens a raw watch and collects its lines as sent (no parsing, so byte-level equality can be checked). */
function openWatch(query: string, accept?: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    let buf = '';
    const req = http.get(`${base}/api/v1/namespaces/default/pods?watch=1&${query}`, { headers: { Authorization: `Bearer ${token}`, ...(accept ? { Accept: accept } : {}) } }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          lines.push(buf.slice(0, i + 1));
          buf = buf.slice(i + 1);
        }
      });
      resolve({ lines, close: () => req.destroy() });
    });
    req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  store.subscribe((e) => versions.set(e.object.metadata.resourceVersion ?? '', { type: e.type, object: e.object }));
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  for (let i = 0; i < 4; i++) store.create('pods', pod(`p${i}`, { app: i % 2 ? 'odd' : 'even' }));
  server = createApiServer({ store, clock, tokens: { admin: token, viewer: 'viewer-token' }, sim: {} });
  base = await server.listen(0, '127.0.0.1');
});

afterAll(async () => {
  await server.dispose();
  clock.stop();
});

describe('watch events shared between watchers', () => {
  it('each watcher receives exactly its own rendering of every event', async () => {
    const pods = findResource('', 'v1', 'pods');
    if (!pods) throw new Error('pods resource missing from the registry');
    const start = store.currentResourceVersion();
    const forms: { name: string; form: EventForm; query: string; accept?: string; selects: (o: KubeObject) => boolean }[] = [
      { name: 'json', form: { r: pods, rep: 'object', include: 'Metadata' }, query: '', selects: () => true },
      { name: 'json-even', form: { r: pods, rep: 'object', include: 'Metadata' }, query: 'labelSelector=app%3Deven', selects: (o) => o.metadata.labels?.app === 'even' },
      { name: 'metadata', form: { r: pods, rep: 'metadata', include: 'Metadata' }, query: '', accept: META, selects: () => true },
      { name: 'table', form: { r: pods, rep: 'table', include: 'Metadata' }, query: '', accept: TABLE, selects: () => true },
      { name: 'table-2', form: { r: pods, rep: 'table', include: 'Metadata' }, query: '', accept: TABLE, selects: () => true },
      // Its first event comes in the same flush as other Table watchers' later ones.
      { name: 'table-even', form: { r: pods, rep: 'table', include: 'Metadata' }, query: 'labelSelector=app%3Deven', accept: TABLE, selects: (o) => o.metadata.labels?.app === 'even' },
      { name: 'table-none', form: { r: pods, rep: 'table', include: 'None' }, query: 'includeObject=None', accept: TABLE, selects: () => true },
      { name: 'table-object', form: { r: pods, rep: 'table', include: 'Object' }, query: 'includeObject=Object', accept: TABLE, selects: () => true },
    ];
    const early = await Promise.all(forms.map((f) => openWatch(`resourceVersion=${start}&${f.query}`, f.accept)));
    // Changes in one burst (one flush), then a late watcher resuming from history, then more.
    // p3 is odd: 'table-even' first sees the p0 change, which the other Table watchers see second.
    store.mutate('pods', 'default', 'p3', (p) => {
      p.metadata.annotations = { touched: '1' };
    });
    store.mutate('pods', 'default', 'p0', (p) => {
      p.metadata.annotations = { touched: '1' };
    });
    store.mutate('pods', 'default', 'p1', (p) => {
      p.metadata.labels = { app: 'even' }; // enters the even selector: ADDED there
    });
    store.create('pods', pod('p9', { app: 'odd' }));
    await until(() => early[0].lines.length === 4, 'the first burst');
    const late = await openWatch(`resourceVersion=${start}`, TABLE);
    store.mutate('pods', 'default', 'p1', (p) => {
      p.metadata.labels = { app: 'odd' }; // leaves the even selector: DELETED there
    });
    store.delete('pods', 'default', 'p2');
    await until(() => early[0].lines.length === 6 && late.lines.length === 6, 'the second burst');

    const rvs = [...versions.keys()].filter((rv) => Number(rv) > Number(start));
    expect(rvs).toHaveLength(6);
    const expected = (form: EventForm, selects: (o: KubeObject) => boolean) => {
      const out: string[] = [];
      let columns = true;
      for (const rv of rvs) {
        const { type, object } = versions.get(rv) as { type: string; object: KubeObject };
        const previous = [...versions.values()].filter((v) => v.object.metadata.name === object.metadata.name && Number(v.object.metadata.resourceVersion) < Number(rv)).pop();
        const was = type === 'MODIFIED' && previous ? selects(previous.object) : false;
        const now = selects(object);
        const seen = type === 'MODIFIED' ? (was && now ? 'MODIFIED' : now ? 'ADDED' : was ? 'DELETED' : undefined) : now ? type : undefined;
        if (!seen) continue;
        out.push(eventLine(form, seen as 'ADDED' | 'MODIFIED' | 'DELETED', object, FIXED_NOW, form.rep === 'table' && columns));
        if (form.rep === 'table') columns = false;
      }
      return out;
    };
    forms.forEach((f, i) => expect(early[i].lines, f.name).toEqual(expected(f.form, f.selects)));
    expect(late.lines).toEqual(expected(forms[3].form, () => true));
    // Column definitions go once to each Table watcher: in its first event only.
    for (const s of [early[3], early[4], early[5], early[6], early[7], late]) {
      const columns = s.lines.map((l) => 'columnDefinitions' in (JSON.parse(l) as { object: object }).object);
      expect(columns).toEqual(columns.map((_, i) => i === 0));
    }
    expect(early[5].lines).toHaveLength(4);
    expect(early[1].lines.map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['MODIFIED', 'ADDED', 'DELETED', 'DELETED']);
    for (const s of [...early, late]) s.close();
  });

  it('a burst of changes reaches every watcher complete and in resourceVersion order', async () => {
    const from = store.currentResourceVersion();
    const streams = await Promise.all(Array.from({ length: 5 }, () => openWatch(`resourceVersion=${from}`)));
    for (let i = 0; i < 300; i++) {
      store.mutate('pods', 'default', `p${i % 2}`, (p) => {
        p.metadata.annotations = { seq: String(i) };
      });
    }
    await until(() => streams.every((s) => s.lines.length === 300), '300 events on every watcher');
    for (const s of streams) {
      const seqs = s.lines.map((l) => Number((JSON.parse(l) as { object: KubeObject }).object.metadata.annotations?.seq));
      expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i));
      s.close();
    }
  });
});
