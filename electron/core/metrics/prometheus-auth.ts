// Prometheus credentials per context, kept in the main process only: a 0600 file in the data
// directory, never returned through the contract (the renderer learns only which kind is set).
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PrometheusAuth } from './prometheus-http.js';

export interface AuthStore {
  get(context: string): PrometheusAuth;
  set(context: string, auth: PrometheusAuth): void;
}

export function openAuthStore(path: string): AuthStore {
  let all: Record<string, PrometheusAuth> = {};
  if (existsSync(path)) {
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
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(all), { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}
