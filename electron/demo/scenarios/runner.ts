// Plays scenario timelines on the simulated clock: each step runs at its offset from the start
// (so --speed 60 plays a 10-minute incident in 10 s), in file order for equal offsets. Several
// scenarios may run at once; stop() cancels whatever has not happened yet.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { resourcePath } from '../../core/resources.js';
import type { DemoClock } from '../clock.js';
import type { FaultRegistry } from '../metrics/faults.js';
import { parseDuration } from '../metrics/rules.js';
import type { ObjectStore } from '../store.js';
import { applyStep, type ActionContext } from './actions.js';
import { scenarioSchema, type Scenario } from './schema.js';

export interface ScenarioLogEntry {
  scenario: string;
  /** Simulated ms since the scenario started. */
  offsetMs: number;
  at: string;
  message: string;
  error?: boolean;
}

export interface ScenarioRun {
  scenario: Scenario;
  startedAt: number;
  /** Resolves when the last step has run. */
  done: Promise<void>;
  cancel(): void;
}

export interface ScenarioRunner {
  /** Names of the bundled scenarios (resources/demo/*.yaml). */
  list(): string[];
  load(name: string): Scenario;
  run(name: string): ScenarioRun;
  active(): ScenarioRun[];
  readonly log: ScenarioLogEntry[];
  /** Cancels pending steps of every run. */
  stop(): void;
}

export function defaultScenarioDir(): string {
  return resourcePath('demo');
}

export function parseScenario(text: string, source: string): Scenario {
  const result = scenarioSchema.safeParse(parse(text));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`scenario ${source} is invalid: ${issues}`);
  }
  return result.data;
}

export function createScenarioRunner(deps: { store: ObjectStore; clock: DemoClock; faults: FaultRegistry; seed: number; dir?: string; log?: (line: string) => void }): ScenarioRunner {
  const dir = deps.dir ?? defaultScenarioDir();
  const runs = new Set<ScenarioRun>();
  const log: ScenarioLogEntry[] = [];
  const runner: ScenarioRunner = {
    log,
    list: () => readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort(),
    load(name) {
      const file = join(dir, `${name}.yaml`);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new Error(`unknown scenario "${name}": no ${file}. Known: ${runner.list().join(', ')}`);
      }
      return parseScenario(text, file);
    },
    run(name) {
      const scenario = runner.load(name);
      const ctx: ActionContext = { store: deps.store, clock: deps.clock, faults: deps.faults, seed: deps.seed, vars: new Map() };
      const startedAt = deps.clock.now();
      const cancels: (() => void)[] = [];
      let remaining = scenario.steps.length;
      let finish: () => void = () => {};
      const done = new Promise<void>((r) => (finish = r));
      const run: ScenarioRun = {
        scenario,
        startedAt,
        done,
        cancel() {
          cancels.forEach((c) => c());
          runs.delete(run);
          finish();
        },
      };
      // Steps sharing an offset run in file order inside one timer.
      const byOffset = new Map<number, typeof scenario.steps>();
      for (const step of scenario.steps) {
        const ms = parseDuration(step.at);
        byOffset.set(ms, [...(byOffset.get(ms) ?? []), step]);
      }
      for (const [offset, steps] of [...byOffset.entries()].sort((a, b) => a[0] - b[0])) {
        cancels.push(
          deps.clock.after(offset, () => {
            for (const step of steps) {
              let message: string;
              let error = false;
              try {
                message = applyStep(ctx, step);
              } catch (err) {
                message = `step "${step.action}" at ${step.at} failed: ${err instanceof Error ? err.message : String(err)}`;
                error = true;
              }
              log.push({ scenario: scenario.name, offsetMs: offset, at: deps.clock.iso(), message, error });
              deps.log?.(`scenario ${scenario.name} +${step.at}: ${message}`);
              if (--remaining === 0) {
                runs.delete(run);
                finish();
              }
            }
          }),
        );
      }
      if (remaining === 0) finish();
      else runs.add(run);
      return run;
    },
    active: () => [...runs],
    stop() {
      for (const run of [...runs]) run.cancel();
    },
  };
  return runner;
}
