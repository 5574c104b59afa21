// Starts the embedded demo fleet when --demo is given, in-process, with the CLI's knobs.
import type { CliArgs } from './cli-args.js';
import { startDemoFleet, type DemoFleet } from './demo/index.js';

export async function startDemoIfAsked(args: CliArgs): Promise<DemoFleet | undefined> {
  if (!args.demo) return undefined;
  return startDemoFleet({
    nodes: args.demoNodes,
    pods: args.demoPods,
    seed: args.demoSeed,
    speed: args.demoSpeed,
    scenario: args.demoScenario,
    prometheus: args.prometheus,
  });
}
