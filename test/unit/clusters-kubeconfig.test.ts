import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClustersService, loadKubeconfig } from '../../electron/core/clusters/index.js';

const dir = mkdtempSync(join(tmpdir(), 'flightdeck-kubeconfig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (contexts: { name: string; server: string }[], current?: string) =>
  [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current ?? ''}`,
    'clusters:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  cluster:', `    server: ${c.server}`]),
    'users:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  user:', '    token: t']),
    'contexts:',
    ...contexts.flatMap((c) => [`- name: ${c.name}`, '  context:', `    cluster: ${c.name}`, `    user: ${c.name}`]),
  ].join('\n');

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('kubeconfig sources', () => {
  it('merges KUBECONFIG files like kubectl: the first definition of a name wins, current-context from the first file that sets one', () => {
    const a = write('a.yaml', config([{ name: 'prod', server: 'https://a.example:6443' }]));
    const b = write('b.yaml', config([{ name: 'prod', server: 'https://b.example:6443' }, { name: 'staging', server: 'https://s.example:6443' }], 'staging'));
    const loaded = loadKubeconfig({ envKubeconfig: [a, join(dir, 'missing.yaml'), b].join(delimiter), useHomeConfig: false });
    expect(loaded.config.getContexts().map((c) => c.name)).toEqual(['prod', 'staging']);
    expect(loaded.config.getCluster('prod')?.server).toBe('https://a.example:6443');
    expect(loaded.config.getCurrentContext()).toBe('staging');
    expect(loaded.problems).toEqual([]);
    expect(loaded.sources).toEqual([a, b]);
  });

  it('--kubeconfig wins over KUBECONFIG and ~/.kube/config', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), config([{ name: 'home', server: 'https://h.example' }]));
    const explicit = write('explicit.yaml', config([{ name: 'explicit', server: 'https://e.example' }]));
    const env = write('env.yaml', config([{ name: 'env', server: 'https://v.example' }]));
    expect(loadKubeconfig({ explicitPath: explicit, envKubeconfig: env, home }).config.getContexts().map((c) => c.name)).toEqual(['explicit']);
    expect(loadKubeconfig({ envKubeconfig: env, home }).config.getContexts().map((c) => c.name)).toEqual(['env']);
    expect(loadKubeconfig({ home }).config.getContexts().map((c) => c.name)).toEqual(['home']);
  });

  it('explains a broken or missing kubeconfig instead of crashing', async () => {
    const broken = write('broken.yaml', 'clusters: [ {{{ not yaml');
    const service = createClustersService({ explicitPath: broken, useHomeConfig: false }, { probeIntervalMs: 600_000 });
    try {
      const list = await service.handlers['clusters.list']({}, { session: { kind: 'ipc', readOnly: false } });
      expect(list.contexts).toEqual([]);
      expect(list.problem).toMatch(/broken\.yaml could not be read/);
    } finally {
      service.stop();
    }
    const missing = loadKubeconfig({ explicitPath: join(dir, 'nope.yaml') });
    expect(missing.problems[0]).toMatch(/does not exist/);
  });

  it('refuses the topology of an unknown context with a readable error', () => {
    const service = createClustersService({ useHomeConfig: false }, { probeIntervalMs: 600_000 });
    try {
      expect(() => service.streams['topology.delta']({ context: 'nope' }, () => undefined, { session: { kind: 'ipc', readOnly: false } })).toThrow(/no context "nope"/);
    } finally {
      service.stop();
    }
  });
});
