// Plain-Node entry: `flightdeck --serve` (browser mode). See cli-args.ts for the options.
import { CliError, parseArgs, USAGE, type CliArgs } from './cli-args.js';
import { runBrowserMode } from './browser-mode.js';

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof CliError ? error.message : String(error));
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const running = await runBrowserMode(args);
  const shutdown = () => {
    void running.stop().finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`flightdeck could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
