// Browser mode: the core served over HTTP/WebSocket (war-room screens, the scripting API, and
// `npm start` where Electron's binary is missing). Prints `console <url>` and `readonly <url>`.
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { createApp } from './core/app.js';
import { startHttpTransport } from './transport/http.js';
import type { CliArgs } from './cli-args.js';
import { startDemoIfAsked } from './demo-launch.js';

const here = dirname(fileURLToPath(import.meta.url));

export function defaultDataDir(): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return process.env.FLIGHTDECK_HOME || join(base, 'flightdeck');
}

function version(): string {
  for (const candidate of [join(here, '..', '..', 'package.json'), join(here, '..', 'package.json')]) {
    try {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version;
    } catch {
      // try the next layout (dist/electron vs electron/)
    }
  }
  return '0.0.0';
}

export async function runBrowserMode(args: CliArgs): Promise<{ stop(): Promise<void> }> {
  const demo = await startDemoIfAsked(args);
  if (demo) {
    console.log(`demo ${demo.apiUrl}`);
    if (demo.prometheusUrl) console.log(`prometheus ${demo.prometheusUrl}`);
  }
  const app = await createApp({
    mode: 'browser',
    dataDir: args.dataDir ?? defaultDataDir(),
    kubeconfig: {
      explicitPath: args.kubeconfig,
      envKubeconfig: args.demo ? undefined : process.env.KUBECONFIG,
      demoKubeconfig: demo?.kubeconfig,
      useHomeConfig: !args.demo,
    },
    demo: !!demo,
    demoPrometheusUrl: demo?.prometheusUrl,
    version: version(),
  });
  const serve = args.serve ?? { host: '127.0.0.1', port: 0 };
  const http = await startHttpTransport({
    server: app.server,
    host: serve.host,
    port: serve.port,
    staticDir: join(here, '..', 'renderer'),
  });
  const contexts = app.clusters.kubeconfig().config.getContexts();
  if (contexts.length === 0) console.log('no cluster configured: start with --demo or --kubeconfig FILE');
  console.log(`console ${http.consoleUrl}`);
  console.log(`readonly ${http.readonlyUrl}`);
  return {
    async stop() {
      await http.close();
      await app.stop();
      await demo?.stop();
    },
  };
}

