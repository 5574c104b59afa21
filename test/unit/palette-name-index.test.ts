// The palette's search across every kind (issue #17): the resource browser's name index is bounded
// (at most N kinds × M names), fuzzy, and keeps namespaced names apart; a slow kind does not hold up
// a search (it is found by the next one); the palette turns found objects into entries that open
// the resource browser on that object.
import { describe, expect, it } from 'vitest';
import { createNameIndex, type NameIndexSource } from '../../electron/core/browser/name-index.js';
import type { BrowserKind } from '../../shared/contract/browser.js';
import { objectEntries, objectHash, searchPalette } from '../../shared/model/palette-search.js';

const kind = (plural: string, k: string, group = '', namespaced = true): BrowserKind => ({ group, version: 'v1', kind: k, plural, namespaced, verbs: ['list', 'watch'], shortNames: [], categories: [] });

const KINDS = [kind('configmaps', 'ConfigMap'), kind('secrets', 'Secret'), kind('inferencepools', 'InferencePool', 'serving.flightdeck.dev'), kind('events', 'Event'), ...Array.from({ length: 20 }, (_, i) => kind(`things${i}`, `Thing${i}`, 'example.com'))];

function source(names: Record<string, Array<{ namespace?: string; name: string }>>, delays: Record<string, number> = {}): NameIndexSource & { listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    kinds: async () => KINDS,
    names: async (k, limit) => {
      listed.push(k.plural);
      if (delays[k.plural]) await new Promise((r) => setTimeout(r, delays[k.plural]));
      return (names[k.plural] ?? Array.from({ length: 1_000 }, (_, i) => ({ namespace: 'ns', name: `${k.plural}-${i}` }))).slice(0, limit);
    },
  };
}

describe('name index', () => {
  it('finds objects of every kind by a fuzzy name, namespaced names kept apart', async () => {
    const index = createNameIndex(source({ configmaps: [{ namespace: 'serving', name: 'llm-gateway-config' }, { namespace: 'training', name: 'llm-gateway-config' }], inferencepools: [{ namespace: 'default', name: 'llama-pool' }], secrets: [{ namespace: 'serving', name: 'hf-token' }] }), { maxKinds: 3 });
    const { objects, complete } = await index.search('gateway-config', 10);
    expect(complete).toBe(true);
    expect(objects.map((o) => `${o.kind} ${o.namespace}/${o.name}`).sort()).toEqual(['ConfigMap serving/llm-gateway-config', 'ConfigMap training/llm-gateway-config']);
    expect((await index.search('llama', 10)).objects).toEqual([{ group: 'serving.flightdeck.dev', version: 'v1', plural: 'inferencepools', kind: 'InferencePool', namespace: 'default', name: 'llama-pool' }]);
    expect((await index.search('hf-token', 10)).objects[0]).toMatchObject({ kind: 'Secret', name: 'hf-token' });
  });

  it('is bounded: at most maxKinds kinds × maxNames names, events left out', async () => {
    const src = source({});
    const index = createNameIndex(src, { maxKinds: 5, maxNames: 40 });
    await index.search('x', 5);
    expect(src.listed).not.toContain('events');
    expect(src.listed).toHaveLength(5);
    expect(index.size()).toBe(5 * 40);
    expect((await index.search('things1-3', 5)).objects.length).toBeLessThanOrEqual(5);
  });

  it('answers within its budget while a slow kind lists; the next search finds it', async () => {
    const index = createNameIndex(source({ configmaps: [{ namespace: 'a', name: 'quick-one' }], secrets: [{ namespace: 'a', name: 'slow-one' }] }, { secrets: 400 }), { maxKinds: 2, budgetMs: 50 });
    const started = Date.now();
    const first = await index.search('slow-one', 10);
    expect(Date.now() - started).toBeLessThan(300);
    expect(first.complete).toBe(false);
    expect(first.objects).toEqual([]);
    await new Promise((r) => setTimeout(r, 450));
    const later = await index.search('slow-one', 10);
    expect(later.complete).toBe(true);
    expect(later.objects.map((o) => o.name)).toEqual(['slow-one']);
  });
});

describe('palette entries for found objects', () => {
  it('labels each with its kind and namespace, leaves out kinds the tables already list, and opens it in Resources', () => {
    const entries = objectEntries([
      { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespace: 'serving', name: 'llm-gateway-config' },
      { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespace: 'serving', name: 'llm-gateway-0' },
      { group: 'serving.flightdeck.dev', version: 'v1', plural: 'inferencepools', kind: 'InferencePool', name: 'cluster-pool' },
    ]);
    expect(entries.map((e) => `${e.label} | ${e.hint}`)).toEqual(['llm-gateway-config | ConfigMap · serving', 'cluster-pool | InferencePool']);
    expect(searchPalette('gateway config', entries)[0].label).toBe('llm-gateway-config');
    expect(objectHash(entries[0].id)).toBe('#/resources?kind=configmaps.v1&object=serving%2Fllm-gateway-config');
    expect(objectHash(entries[1].id)).toBe('#/resources?kind=inferencepools.v1.serving.flightdeck.dev&object=cluster-pool');
  });
});
