// "Failure is information": when Prometheus fails, a panel keeps its last good answer, marked stale
// with the error and since when, instead of going blank. One keeper per panel key.
import { ContractError } from '../../../shared/contract-kit.js';
import type { Freshness } from '../../../shared/contract/metrics.js';

export interface FreshnessKeeper {
  /** Runs `load`; on a ContractError returns the last good value for `key` marked stale, or rethrows. */
  run<T>(key: string, load: () => Promise<T>): Promise<{ value: T; freshness: Freshness }>;
}

export function createFreshnessKeeper(options: { maxEntries?: number; now?: () => number } = {}): FreshnessKeeper {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 100;
  const good = new Map<string, { value: unknown; at: number }>();
  const failingSince = new Map<string, number>();
  return {
    async run<T>(key: string, load: () => Promise<T>) {
      try {
        const value = await load();
        good.delete(key);
        good.set(key, { value, at: now() });
        if (good.size > maxEntries) good.delete(good.keys().next().value as string);
        failingSince.delete(key);
        return { value, freshness: { fetchedAt: new Date(now()).toISOString(), stale: false } };
      } catch (error) {
        if (!(error instanceof ContractError)) throw error;
        const since = failingSince.get(key) ?? now();
        failingSince.set(key, since);
        const last = good.get(key);
        if (!last) {
          throw new ContractError(error.code, error.message, { ...(isObject(error.details) ? error.details : {}), failingSince: new Date(since).toISOString() });
        }
        return {
          value: last.value as T,
          freshness: { fetchedAt: new Date(last.at).toISOString(), stale: true, since: new Date(since).toISOString(), error: error.toJSON() },
        };
      }
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
