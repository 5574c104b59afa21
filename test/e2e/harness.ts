// E2E harness: the built console in browser mode as a child process (exactly what a user runs),
// and Debian's Chromium driven by playwright-core with the flags our machines need.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CHROMIUM = process.env.FLIGHTDECK_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningConsole {
  baseUrl: string;
  consoleUrl: string;
  readonlyUrl: string;
  consoleToken: string;
  readonlyToken: string;
  dataDir: string;
  /** The console process (benches read its CPU and memory from /proc). */
  pid: number;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  args?: string[];
  env?: Record<string, string>;
  dataDir?: string;
  timeoutMs?: number;
}

/** Starts `node dist/electron/cli.js --serve` (run `npm run build` first) and waits for its URLs. */
export async function startConsole(options: StartOptions = {}): Promise<RunningConsole> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'flightdeck-e2e-'));
  const ownsDataDir = !options.dataDir;
  const child = spawn(process.execPath, [join(ROOT, 'dist/electron/cli.js'), '--serve', '--data-dir', dataDir, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, HOME: dataDir, KUBECONFIG: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const urls = await waitForLines(child, () => output, options.timeoutMs ?? 60_000);
  const token = (url: string) => new URL(url).searchParams.get('token') ?? '';
  return {
    baseUrl: new URL(urls.console).origin,
    consoleUrl: urls.console,
    readonlyUrl: urls.readonly,
    consoleToken: token(urls.console),
    readonlyToken: token(urls.readonly),
    dataDir,
    pid: child.pid ?? 0,
    output: () => output,
    async stop() {
      await stopChild(child);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForLines(child: ChildProcess, output: () => string, timeoutMs: number): Promise<{ console: string; readonly: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      const text = output();
      const c = /^console (\S+)$/m.exec(text);
      const r = /^readonly (\S+)$/m.exec(text);
      if (c && r) {
        clearInterval(timer);
        resolve({ console: c[1], readonly: r[1] });
      } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`console did not start (exit ${child.exitCode}):\n${text}`));
      }
    }, 50);
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/**
 * Saves a screenshot under test-results/. Pictures marked `docs` are the README's: they are copied
 * to docs/screenshots/ only by `npm run screenshots` (FLIGHTDECK_SCREENSHOTS=1), so `npm test`
 * leaves the work tree clean.
 */
export async function screenshot(page: Page, name: string, options: { docs?: boolean } = {}): Promise<string> {
  const dir = join(ROOT, 'test-results', 'screenshots');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path });
  if (options.docs && process.env.FLIGHTDECK_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(path, join(ROOT, 'docs', 'screenshots', `${name}.png`));
  }
  return path;
}
