// Command line of both entries (Electron shell and plain-Node browser mode):
//   flightdeck [--demo] [--serve[=host:port]] [--kubeconfig F] [--data-dir D]
//              [--demo-nodes N] [--demo-pods N] [--demo-seed S] [--demo-speed X] [--demo-scenario NAME]
//              [--no-prometheus] [--tls-cert FILE --tls-key FILE] [--new-readonly-token]
export interface CliArgs {
  demo: boolean;
  serve?: { host: string; port: number };
  kubeconfig?: string;
  dataDir?: string;
  demoNodes?: number;
  demoPods?: number;
  demoSeed?: number;
  demoSpeed?: number;
  demoScenario?: string;
  prometheus: boolean;
  /** Certificate and key (PEM files) for HTTPS in browser mode; both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** Browser mode: issue a new read-only token, revoking the kept one (and every war-room link made with it). */
  newReadonlyToken: boolean;
  help: boolean;
}

export const USAGE = `Usage: flightdeck [options]
  --demo                   start on the embedded demo fleet (the default with npm start)
  --serve[=HOST:PORT]      browser mode: serve the console over HTTP (default 127.0.0.1, random port);
                           any other address is served over HTTPS (self-signed certificate kept in
                           the data directory unless --tls-cert/--tls-key are given)
  --tls-cert FILE          browser mode: PEM certificate (chain) to serve HTTPS with
  --tls-key FILE           browser mode: its PEM private key
  --new-readonly-token     browser mode: replace the read-only (war-room) token kept in the data
                           directory, so links printed before stop working
  --kubeconfig FILE        open the contexts of this kubeconfig (default: KUBECONFIG, ~/.kube/config)
  --data-dir DIR           settings, audit log and offline snapshots (default: ~/.config/flightdeck)
  --demo-nodes N           GPU nodes in the demo fleet (default 12)
  --demo-pods N            pods in the demo fleet (default: what the seed makes)
  --demo-seed S            seed of the demo fleet's randomness
  --demo-speed X           simulated time runs X times faster
  --demo-scenario NAME     steady | bad-canary | gpu-node-failure | error-rate-spike
  --no-prometheus          do not start Prometheus/Alertmanager with the demo fleet`;

export class CliError extends Error {}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { demo: false, prometheus: true, newReadonlyToken: false, help: false };
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n)) throw new CliError(`${flag} needs a number, got "${value ?? ''}"`);
    return n;
  };
  const path = (flag: string, value: string | undefined): string => {
    if (!value || value.startsWith('--')) throw new CliError(`${flag} needs a file path`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--demo':
        args.demo = true;
        break;
      case '--serve':
        args.serve = parseHostPort(inline);
        break;
      case '--kubeconfig':
        args.kubeconfig = value();
        break;
      case '--data-dir':
        args.dataDir = value();
        break;
      case '--demo-nodes':
        args.demoNodes = number(flag, value());
        break;
      case '--demo-pods':
        args.demoPods = number(flag, value());
        break;
      case '--demo-seed':
        args.demoSeed = number(flag, value());
        break;
      case '--demo-speed':
        args.demoSpeed = number(flag, value());
        break;
      case '--demo-scenario':
        args.demoScenario = value();
        break;
      case '--no-prometheus':
        args.prometheus = false;
        break;
      case '--tls-cert':
        args.tlsCert = path(flag, value());
        break;
      case '--tls-key':
        args.tlsKey = path(flag, value());
        break;
      case '--new-readonly-token':
        args.newReadonlyToken = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        // Electron and Chromium pass their own switches; only reject what looks like ours.
        if (flag.startsWith('--demo') || flag.startsWith('--serve') || flag.startsWith('--tls') || flag.startsWith('--new-readonly')) throw new CliError(`Unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!args.tlsCert !== !args.tlsKey) throw new CliError('--tls-cert and --tls-key go together: give the certificate and its private key');
  return args;
}

function parseHostPort(value: string | undefined): { host: string; port: number } {
  if (!value) return { host: '127.0.0.1', port: 0 };
  const match = /^(\[[^\]]+\]|[^:]+)?:?(\d+)?$/.exec(value);
  if (!match) throw new CliError(`--serve takes HOST:PORT, got "${value}"`);
  const port = match[2] ? Number(match[2]) : 0;
  if (port > 65535) throw new CliError(`--serve port ${port} is out of range`);
  return { host: (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, ''), port };
}
