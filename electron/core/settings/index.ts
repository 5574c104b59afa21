// Settings domain: the settings file and the per-context service credentials. The only door in.
import type { Domain } from '../domain.js';
import { auditedSettingsSet } from '../audit/index.js';
import { serviceAuthHandlers } from './service-auth.js';
export * from './settings-store.js';
export * from './service-auth.js';

/** settings.get/set (set is audited) and the per-context service credentials. */
export const domain: Domain = {
  name: 'settings',
  create({ settings, serviceAuth, audit }) {
    const setSettings = auditedSettingsSet(settings, audit);
    return {
      handlers: {
        'settings.get': async () => settings.get(),
        'settings.set': async (patch, ctx) => setSettings(patch, ctx.session),
        ...serviceAuthHandlers(serviceAuth, audit),
      },
    };
  },
};
