// The resource browser's pure parts: discovery to kinds, the server's Table to rows, watch-change
// coalescing, the target kind name, and what an edited YAML may be before it is planned.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseResourceKindName, resourceKindName, type TableRow } from '../../shared/contract/browser.js';
import { createCoalescer, kindsOfDiscovery, parseEditedYaml } from '../../electron/core/browser/index.js';
import { rowsOf } from '../../electron/core/browser/table-rows.js';
import { ContractError } from '../../shared/contract-kit.js';

const row = (name: string, cells: TableRow['cells'] = [name]): TableRow => ({ key: `default/${name}`, namespace: 'default', name, cells });

describe('kindsOfDiscovery', () => {
  it('keeps listable, watchable kinds of each group\'s preferred version, with scope', () => {
    const kinds = kindsOfDiscovery({
      kind: 'APIGroupDiscoveryList',
      items: [
        {
          metadata: { name: 'serving.example.com' },
          versions: [
            { version: 'v2', resources: [{ resource: 'pools', responseKind: { kind: 'Pool' }, scope: 'Namespaced', verbs: ['get', 'list', 'watch', 'patch'], shortNames: ['pl'] }] },
            { version: 'v1', resources: [{ resource: 'pools', responseKind: { kind: 'Pool' }, scope: 'Namespaced', verbs: ['get', 'list', 'watch'] }] },
          ],
        },
        {
          metadata: { name: 'authorization.k8s.io' },
          versions: [{ version: 'v1', resources: [{ resource: 'selfsubjectaccessreviews', responseKind: { kind: 'SelfSubjectAccessReview' }, scope: 'Cluster', verbs: ['create'] }] }],
        },
        { metadata: { name: 'storage.k8s.io' }, versions: [{ version: 'v1', resources: [{ resource: 'storageclasses', responseKind: { kind: 'StorageClass' }, scope: 'Cluster', verbs: ['list', 'watch'] }] }] },
      ],
    });
    expect(kinds).toEqual([
      { group: 'serving.example.com', version: 'v2', kind: 'Pool', plural: 'pools', namespaced: true, verbs: ['get', 'list', 'watch', 'patch'], shortNames: ['pl'], categories: [] },
      { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false, verbs: ['list', 'watch'], shortNames: [], categories: [] },
    ]);
  });
});

describe('rowsOf', () => {
  it('keys rows by namespace/name from the embedded metadata and keeps cells printable', () => {
    const rows = rowsOf({
      rows: [
        { cells: ['a', 3, null, { nested: true }], object: { metadata: { name: 'a', namespace: 'ns' } } },
        { cells: ['node-1'], object: { metadata: { name: 'node-1' } } },
        { cells: ['no metadata'] },
      ],
    });
    expect(rows).toEqual([
      { key: 'ns/a', namespace: 'ns', name: 'a', cells: ['a', 3, null, '{"nested":true}'] },
      { key: 'node-1', namespace: undefined, name: 'node-1', cells: ['node-1'] },
    ]);
  });
});

describe('createCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends one batch per window with each row\'s last state, deletes winning over earlier upserts', () => {
    const batches: Array<{ upserts: TableRow[]; deletes: string[] }> = [];
    const coalescer = createCoalescer(100, (c) => batches.push(c));
    coalescer.upsert(row('a', ['1']));
    coalescer.upsert(row('b'));
    coalescer.upsert(row('a', ['2']));
    coalescer.remove('default/b');
    expect(batches).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(batches).toEqual([{ upserts: [row('a', ['2'])], deletes: ['default/b'] }]);
    coalescer.upsert(row('b'));
    vi.advanceTimersByTime(100);
    expect(batches[1]).toEqual({ upserts: [row('b')], deletes: [] });
  });

  it('drops what is pending when stopped', () => {
    const send = vi.fn();
    const coalescer = createCoalescer(50, send);
    coalescer.upsert(row('a'));
    coalescer.stop();
    vi.advanceTimersByTime(100);
    expect(send).not.toHaveBeenCalled();
  });
});

describe('resource kind names', () => {
  it('round-trips plural.version.group, the core group without a group part', () => {
    expect(resourceKindName({ plural: 'widgets', version: 'v1beta2', group: 'example.com' })).toBe('widgets.v1beta2.example.com');
    expect(parseResourceKindName('widgets.v1beta2.example.com')).toEqual({ plural: 'widgets', version: 'v1beta2', group: 'example.com' });
    expect(parseResourceKindName(resourceKindName({ plural: 'pods', version: 'v1', group: '' }))).toEqual({ plural: 'pods', version: 'v1', group: '' });
  });

  it('refuses names without a version (plain kinds belong to their own handlers)', () => {
    expect(parseResourceKindName('Deployment')).toBeUndefined();
    expect(parseResourceKindName('rollouts.argoproj.io')).toBeUndefined();
  });
});

describe('parseEditedYaml', () => {
  const target = { kind: 'widgets.v1.example.com', namespace: 'default', name: 'w1' };
  const yaml = (extra = '', name = 'w1', apiVersion = 'example.com/v1') => `apiVersion: ${apiVersion}\nkind: Widget\nmetadata: {name: ${name}, namespace: default}\nspec: {size: 1${extra}}\n`;
  const refusal = (text: string) => {
    try {
      parseEditedYaml(text, target);
    } catch (error) {
      return error instanceof ContractError ? `${error.code}: ${error.message}` : String(error);
    }
    return 'accepted';
  };

  it('accepts the object it was opened for', () => {
    expect(parseEditedYaml(yaml(), target)).toMatchObject({ spec: { size: 1 } });
  });

  it('refuses a redaction marker, which would be written as the value', () => {
    expect(refusal(yaml(', token: "<redacted: 12 chars #a1b2c3>"'))).toMatch(/^invalid_request: .*redacted values/);
  });

  it('refuses a rename, another apiVersion, a list and YAML that does not parse', () => {
    expect(refusal(yaml('', 'w2'))).toMatch(/metadata\.name must stay w1/);
    expect(refusal(yaml('', 'w1', 'example.com/v2'))).toMatch(/apiVersion must stay example\.com\/v1/);
    expect(refusal('- a\n- b\n')).toMatch(/must be one object/);
    expect(refusal('spec: {size: [\n')).toMatch(/does not parse/);
  });
});
