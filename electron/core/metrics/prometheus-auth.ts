// Prometheus credentials per context, kept in the main process only: a 0600 file in the data
// directory, never returned through the contract (the renderer learns only which kind is set).
import { existsSync, readFileSync } from 'node:fs';
import { PRIVATE_FILE_MODE, tightenMode, writePrivateFileAtomic } from '../files/index.js';
import type { PrometheusAuth } from './prometheus-http.js';

export interface AuthStore {
  get(context: string): PrometheusAuth;
  set(context: string, auth: PrometheusAuth): void;
}

export function openAuthStore(path: string): AuthStore {
  let all: Record<string, PrometheusAuth> = {};
  if (existsSync(path)) {
    tightenMode(path, PRIVATE_FILE_MODE);
    try {
      all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, PrometheusAuth>;
    } catch {
      all = {};
    }
  }
  return {
    get: (context) => all[context] ?? { kind: 'none' },
    set(context, auth) {
      all = { ...all, [context]: auth };
      if (auth.kind === 'none') delete all[context];
      writePrivateFileAtomic(path, JSON.stringify(all));
    },
  };
}
