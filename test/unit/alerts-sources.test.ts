// Which Alertmanager serves a context: the URL in Settings, else the demo fleet's, else one found
// in the cluster; when none, a sentence that says what was tried and where to set it. A URL
// changed in Settings applies on the next call (only discovery is cached).
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { createAlertmanagerSources } from '../../electron/core/alerts/alertmanager-sources.js';

describe('Alertmanager sources', () => {
  it('prefers Settings over the demo fleet, and a changed setting applies at once', async () => {
    let fromSettings: string | undefined = 'http://127.0.0.1:9093';
    const sources = createAlertmanagerSources({
      settingsUrl: () => fromSettings,
      demoUrl: (context) => (context === 'demo-admin' ? 'http://127.0.0.1:40000' : undefined),
      kubeConfig: () => new KubeConfig(),
      auth: () => ({ kind: 'bearer', token: 't' }),
    });
    expect(await sources.find('demo-admin')).toMatchObject({ url: 'http://127.0.0.1:9093', detail: 'set in Settings for demo-admin', endpoint: { auth: { kind: 'bearer', token: 't' } } });
    fromSettings = undefined;
    expect(await sources.find('demo-admin')).toMatchObject({ url: 'http://127.0.0.1:40000', detail: 'the demo fleet’s Alertmanager' });
  });

  it('says why there is none and where to set it', async () => {
    const sources = createAlertmanagerSources({
      settingsUrl: () => undefined,
      demoUrl: () => undefined,
      kubeConfig: () => {
        throw new Error('context "prod" not in kubeconfig');
      },
      auth: () => ({ kind: 'none' }),
    });
    const found = await sources.find('prod');
    expect(found.endpoint).toBeUndefined();
    expect('problem' in found && found.problem).toBe('No Alertmanager URL is set for prod and its kubeconfig could not be used (context "prod" not in kubeconfig).');
    const noServer = createAlertmanagerSources({ settingsUrl: () => undefined, demoUrl: () => undefined, kubeConfig: () => new KubeConfig(), auth: () => ({ kind: 'none' }) });
    expect(await noServer.find('x')).toMatchObject({ problem: expect.stringContaining('its cluster has no server address') });
  });
});
