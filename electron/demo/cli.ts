// `npm run demo -- [--port N] [--kubeconfig-out FILE] [--scenario NAME] [--nodes N] [--pods N]
//                  [--seed S] [--speed X] [--prometheus] [--insecure-http]`
// Runs the demo fleet in the foreground. Prints exactly one `ready <api-url>` line when serving
// (plus `prometheus <url>` / `alertmanager <url>` when those run); diagnostics go to stderr.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoFleetOptions } from './index.js';
import { startDemoFleet } from './index.js';

const USAGE = 'usage: npm run demo -- [--port N] [--kubeconfig-out FILE] [--scenario NAME] [--nodes N] [--pods N] [--seed S] [--speed X] [--prometheus] [--insecure-http]';

function parseArgs(argv: string[]): DemoFleetOptions {
  const opts: DemoFleetOptions = {};
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number, got ${JSON.stringify(v)}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port': opts.port = num(flag, value()); break;
      case '--host': opts.host = value(); break;
      case '--kubeconfig-out': opts.kubeconfigOut = value(); break;
      case '--scenario': opts.scenario = value(); break;
      case '--nodes': opts.nodes = num(flag, value()); break;
      case '--pods': opts.pods = num(flag, value()); break;
      case '--seed': opts.seed = num(flag, value()); break;
      case '--speed': opts.speed = num(flag, value()); break;
      case '--prometheus': opts.prometheus = true; break;
      case '--insecure-http': opts.insecureHttp = true; break;
      case '-h': case '--help': process.stdout.write(`${USAGE}\n`); process.exit(0); break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: DemoFleetOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  opts.kubeconfigOut ??= join(tmpdir(), `flightdeck-demo-${process.pid}.kubeconfig`);
  const fleet = await startDemoFleet(opts);
  process.stderr.write(`demo fleet: kubeconfig written to ${fleet.kubeconfigPath} (contexts demo-admin, demo-viewer)\n`);
  process.stdout.write(`ready ${fleet.apiUrl}\n`);
  if (fleet.prometheusUrl) process.stdout.write(`prometheus ${fleet.prometheusUrl}\n`);
  if (fleet.alertmanagerUrl) process.stdout.write(`alertmanager ${fleet.alertmanagerUrl}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`demo fleet: ${signal}, stopping\n`);
    fleet.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`demo fleet: stop failed: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`demo fleet failed to start: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
