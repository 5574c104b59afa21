// Browser mode: the core served over HTTP/WebSocket (war-room screens, the scripting API, and
// `npm start` where Electron's binary is missing). Prints `console <url>`, `readonly <url>` and `warroom <url>`.
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { startHttpTransport } from './transport/http.js';
import { keptReadonlyToken } from './readonly-token.js';
import type { CliArgs } from './cli-args.js';
import type { App } from './core/app.js';
import type { ContractServer } from './core/contract-server.js';
import type { DemoFleet } from './demo/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Long enough for a browser opened on the printed URL to fetch the page's files first. */
const CORE_START_DELAY_MS = 300;

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
  // The page is served at once and paints its shell before the core (client-node, the demo fleet)
  // loads: those modules are chunks of their own, imported on the first API request or shortly
  // after start, whichever comes first, so their start-up does not hold the page's first files.
  let demo: DemoFleet | undefined;
  let app: App | undefined;
  let ready: Promise<ContractServer> | undefined;
  const startCore = (): Promise<ContractServer> => (ready ??= loadCore());
  const loadCore = async (): Promise<ContractServer> => {
    const [{ createApp }, { startDemoIfAsked }] = await Promise.all([import('./core/app.js'), import('./demo-launch.js')]);
    demo = await startDemoIfAsked(args);
    if (demo) {
      console.log(`demo ${demo.apiUrl}`);
      if (demo.prometheusUrl) console.log(`prometheus ${demo.prometheusUrl}`);
    }
    app = await createApp({
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
      demoAlertmanagerUrl: demo?.alertmanagerUrl,
      version: version(),
      prefetchTopology: true,
    });
    if (app.clusters.kubeconfig().config.getContexts().length === 0) console.log('no cluster configured: start with --demo or --kubeconfig FILE');
    return app.server;
  };
  const serve = args.serve ?? { host: '127.0.0.1', port: 0 };
  // Off loopback the transport serves HTTPS: the given certificate, or a self-signed one kept in the data directory.
  const tls = args.tlsCert && args.tlsKey ? (await import('./transport/tls.js')).readTlsFiles(args.tlsCert, args.tlsKey) : undefined;
  const readonly = keptReadonlyToken(args.dataDir ?? defaultDataDir(), { rotate: args.newReadonlyToken });
  const http = await startHttpTransport({
    server: startCore,
    readonlyToken: readonly.token,
    host: serve.host,
    port: serve.port,
    staticDir: join(here, '..', 'renderer'),
    tls,
    tlsDir: args.dataDir ?? defaultDataDir(),
  });
  if (http.tls) {
    const kind = http.tls.selfSigned ? `self-signed certificate${http.tls.created ? ' (new)' : ''}: check this fingerprint when the browser asks` : 'certificate';
    console.log(`tls ${kind} sha256 ${http.tls.fingerprint}`);
  }
  console.log(`console ${http.consoleUrl}`);
  console.log(`readonly ${http.readonlyUrl}`);
  if (readonly.issued === 'rotated') console.log('readonly token replaced: links printed before no longer work');
  else if (readonly.issued === 'replaced-invalid') console.log('readonly token: the kept one was unreadable, a new one was issued');
  // The wall screen: the war room, full screen, with the read-only token.
  const warroomUrl = new URL(http.readonlyUrl);
  warroomUrl.pathname = '/warroom';
  console.log(`warroom ${warroomUrl.href}`);
  const coreTimer = setTimeout(() => {
    startCore().catch((error: unknown) => {
      console.error(`flightdeck could not start: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  }, CORE_START_DELAY_MS);
  return {
    async stop() {
      clearTimeout(coreTimer);
      await http.close();
      await ready?.catch(() => undefined);
      await app?.stop();
      await demo?.stop();
    },
  };
}
