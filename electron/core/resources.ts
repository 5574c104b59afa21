// Where bundled resources (runbooks, demo scenarios, Prometheus rules, SLOs) live, whichever way
// the code runs: from source (tsx, vitest), bundled into dist/electron, or packaged by
// electron-builder (process.resourcesPath). Never relative to a module's own file, because
// bundling moves modules.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

let cached: string | undefined;

export function resourcesDir(): string {
  if (cached) return cached;
  const candidates: string[] = [];
  if (process.env.FLIGHTDECK_RESOURCES) candidates.push(process.env.FLIGHTDECK_RESOURCES);
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged) candidates.push(join(packaged, 'resources'));
  // Walk up from the entry script and from the working directory to the project root.
  for (const start of [process.argv[1] ? dirname(resolve(process.argv[1])) : undefined, process.cwd()]) {
    let dir = start;
    while (dir) {
      candidates.push(join(dir, 'resources'));
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  const found = candidates.find((c) => existsSync(join(c, 'demo')) || existsSync(join(c, 'prometheus')));
  if (!found) throw new Error(`Flightdeck's resources folder was not found (looked in ${candidates.slice(0, 4).join(', ')}…); set FLIGHTDECK_RESOURCES.`);
  cached = found;
  return found;
}

export const resourcePath = (...parts: string[]): string => join(resourcesDir(), ...parts);
