// Label and field selectors as the apiserver parses them, and the AGE format of its tables.
import { describe, expect, it } from 'vitest';
import { compileFilter, matchLabels, parseFieldSelector, parseLabelSelector } from '../../electron/demo/api/selectors.js';
import { humanDuration } from '../../electron/demo/api/printers.js';
import type { KubeObject } from '../../electron/demo/store.js';

const pod = (name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'inference', labels },
  ...extra,
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (web,api)', true],
    ['app notin (web)', false],
    ['tier', true],
    ['!tier', false],
    ['!missing,app=web,env in (prod, staging)', true],
    ['missing', false],
    ['missing!=x', true],
    ['', true],
  ])('%s -> %s', (sel, want) => {
    expect(matchLabels(parseLabelSelector(sel), labels)).toBe(want);
  });

  it.each(['a b', 'app in web', 'app=(x', '=x', 'app=has space'])('rejects %s with a 400', (sel) => {
    expect(() => parseLabelSelector(sel)).toThrow(expect.objectContaining({ code: 400 }));
  });
});

describe('field selectors', () => {
  it('supports metadata, spec.nodeName and status.phase on pods, involvedObject on events', () => {
    const running = pod('a', {}, { spec: { nodeName: 'gpu-1' }, status: { phase: 'Running' } });
    expect(parseFieldSelector('spec.nodeName=gpu-1,status.phase!=Pending', 'pods')!(running)).toBe(true);
    expect(parseFieldSelector('metadata.name=b', 'pods')!(running)).toBe(false);
    const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'x' }, involvedObject: { kind: 'Pod', name: 'a', uid: 'u1' } };
    expect(parseFieldSelector('involvedObject.name=a,involvedObject.uid=u1', 'events')!(event)).toBe(true);
  });

  it('rejects unsupported field labels with a 400', () => {
    expect(() => parseFieldSelector('spec.nodeName=x', 'deployments.apps')).toThrow(/field label not supported: spec.nodeName/);
  });

  it('combines namespace, labels and fields', () => {
    const f = compileFilter({ namespace: 'inference', labelSelector: 'app=web', fieldSelector: 'metadata.name=a', resourceKey: 'pods' });
    expect(f(pod('a', { app: 'web' }))).toBe(true);
    expect(f(pod('b', { app: 'web' }))).toBe(false);
  });
});

describe('humanDuration', () => {
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 2 * 3600_000, '3d2h'],
    [400 * 86400_000, '400d'],
  ])('%d ms -> %s', (ms, want) => expect(humanDuration(ms)).toBe(want));
});
