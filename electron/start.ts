// `npm start`: the Electron app on the demo fleet when Electron's binary is installed; where it is
// not (offline machines: the binary comes from the internet on first run), say so in one line and
// serve the same console in the browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './cli-args.js';
import { runBrowserMode } from './browser-mode.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Path of the Electron binary, trying its own installer once (quickly) when it is missing. */
export function findElectronBinary(tryDownload: boolean): string | undefined {
  try {
    return require('electron') as string;
  } catch {
    if (!tryDownload) return undefined;
  }
  let installer: string;
  try {
    installer = join(dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return undefined;
  }
  const result = spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 5_000 });
  if (result.status !== 0) return undefined;
  return findElectronBinary(false);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const electron = args.serve ? undefined : findElectronBinary(!process.env.FLIGHTDECK_NO_ELECTRON_DOWNLOAD);
  if (electron) {
    const child = spawn(electron, [join(here, 'main.cjs'), ...argv], { stdio: 'inherit' });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  if (!args.serve) console.log('Electron binary not available (it downloads on first run with internet): starting browser mode instead.');
  const running = await runBrowserMode({ ...args, serve: args.serve ?? { host: '127.0.0.1', port: 0 } });
  const shutdown = () => void running.stop().finally(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`flightdeck could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
