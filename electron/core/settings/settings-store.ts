// User settings in one JSON file, validated on read and write, replaced atomically so a crash
// mid-write leaves the old file intact. A corrupt file is set aside, not lost, and defaults apply.
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { PRIVATE_FILE_MODE, tightenMode, writePrivateFileAtomic } from '../files/index.js';
import { settingsSchema, type Settings } from '../../../shared/contract/app.js';

export const DEFAULT_SETTINGS: Settings = {
  theme: 'dark',
  productionContextPattern: '(^|[-_.])(prod|production|prd)([-_.]|$)',
  activeContext: null,
  gpuHourPriceUsd: 2.5,
  prometheusUrls: {},
  alertmanagerUrls: {},
  logStoreUrls: {},
};

export interface SettingsStore {
  get(): Settings;
  set(patch: Partial<Settings>): Settings;
  /** Set when the file could not be read; shown once in the UI. */
  readonly problem?: string;
}

export function openSettingsStore(path: string): SettingsStore {
  let problem: string | undefined;
  let current = DEFAULT_SETTINGS;
  if (existsSync(path)) {
    tightenMode(path, PRIVATE_FILE_MODE);
    try {
      const parsed = settingsSchema.partial().parse(JSON.parse(readFileSync(path, 'utf8')));
      current = { ...DEFAULT_SETTINGS, ...parsed };
    } catch (error) {
      const aside = `${path}.broken-${Date.now()}`;
      renameSync(path, aside);
      problem = `Settings file ${path} was unreadable (${error instanceof Error ? error.message : String(error)}); it was kept as ${aside} and defaults are in use.`;
    }
  }
  return {
    problem,
    get: () => current,
    set(patch) {
      const next = settingsSchema.parse({ ...current, ...patch });
      writePrivateFileAtomic(path, JSON.stringify(next, null, 2) + '\n');
      current = next;
      return current;
    },
  };
}
