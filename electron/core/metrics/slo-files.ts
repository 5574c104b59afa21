// SLO definitions: one YAML file per service in resources/slo/ (bundled) and the user's folder.
// A broken file becomes a problem shown in the view, never a crash.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describeIssues } from '../../../shared/contract-kit.js';
import { sloFileSchema, slosFromFile, type Slo } from '../../../shared/model/slo.js';

export interface LoadedSlos {
  slos: Slo[];
  problems: string[];
}

export function loadSloFiles(dirs: string[]): LoadedSlos {
  const slos: Slo[] = [];
  const problems: string[] = [];
  const services = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const path = join(dir, name);
      try {
        const parsed = sloFileSchema.safeParse(parse(readFileSync(path, 'utf8')));
        if (!parsed.success) {
          problems.push(`SLO file ${path} is not valid: ${describeIssues(parsed.error)}.`);
          continue;
        }
        if (services.has(parsed.data.service)) {
          problems.push(`SLO file ${path} repeats service "${parsed.data.service}"; the first file wins.`);
          continue;
        }
        services.add(parsed.data.service);
        slos.push(...slosFromFile(parsed.data, path));
      } catch (error) {
        problems.push(`SLO file ${path} could not be read: ${error instanceof Error ? error.message : String(error)}.`);
      }
    }
  }
  return { slos, problems };
}
