// Credentials for each context's Alertmanager and log store, kept in the main process only: a 0600
// file in the data directory, never returned through the contract (the renderer learns which kind
// is set). Prometheus credentials have their own store (metrics/prometheus-auth.ts).
import { existsSync, readFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE, tightenMode, writePrivateFileAtomic } from '../files/index.js';
import type { CredentialService, ServiceAuth } from '../../../shared/contract/app.js';
import type { MethodHandlers } from '../contract-server.js';
import type { AuditLog } from '../audit/index.js';

export interface ServiceAuthStore {
  get(service: CredentialService, context: string): ServiceAuth;
  set(service: CredentialService, context: string, auth: ServiceAuth): void;
}

type Stored = Partial<Record<CredentialService, Record<string, ServiceAuth>>>;

export function openServiceAuthStore(path: string): ServiceAuthStore {
  let all: Stored = {};
  if (existsSync(path)) {
    tightenMode(path, PRIVATE_FILE_MODE);
    try {
      all = JSON.parse(readFileSync(path, 'utf8')) as Stored;
    } catch {
      // An unreadable file means no credentials: the user sets them again; nothing else depends on it.
      all = {};
    }
  }
  return {
    get: (service, context) => all[service]?.[context] ?? { kind: 'none' },
    set(service, context, auth) {
      const forService = { ...(all[service] ?? {}) };
      if (auth.kind === 'none') delete forService[context];
      else forService[context] = auth;
      const next = { ...all, [service]: forService };
      writePrivateFileAtomic(path, JSON.stringify(next));
      all = next;
    },
  };
}

/** `settings.setAuth` (audited: which service, context and kind, never the secret) and `settings.authStatus`. */
export function serviceAuthHandlers(store: ServiceAuthStore, audit: Pick<AuditLog, 'append'>): Pick<MethodHandlers, 'settings.setAuth' | 'settings.authStatus'> {
  return {
    'settings.setAuth': async ({ context, service, auth }, ctx) => {
      const previous = store.get(service, context).kind;
      const entry = { phase: 'execute' as const, session: ctx.session.kind, method: 'settings.setAuth', context, params: { service, auth: auth.kind, previous } };
      try {
        store.set(service, context, auth);
      } catch (error) {
        audit.append({ ...entry, outcome: 'failed', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      audit.append({ ...entry, outcome: 'succeeded' });
      return { auth: auth.kind };
    },
    'settings.authStatus': async ({ context }) => ({ alertmanager: store.get('alertmanager', context).kind, logs: store.get('logs', context).kind }),
  };
}
