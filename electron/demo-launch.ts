// Starts the embedded demo fleet when --demo is given, in-process, with the CLI's knobs. The fleet's
// code (its API server, OpenAPI schemas, certificate generation: ~0.6 MB of bundle plus selfsigned)
// is loaded only then: a console on a real cluster does not compile and evaluate it on its first
// request.
import type { CliArgs } from './cli-args.js';
import type { DemoFleet } from './demo/index.js';

export async function startDemoIfAsked(args: CliArgs): Promise<DemoFleet | undefined> {
  if (!args.demo) return undefined;
  const { startDemoFleet } = await import('./demo/index.js');
  return startDemoFleet({
    nodes: args.demoNodes,
    pods: args.demoPods,
    seed: args.demoSeed,
    speed: args.demoSpeed,
    scenario: args.demoScenario,
    prometheus: args.prometheus,
  });
}
