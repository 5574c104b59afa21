// Pod exec over SPDY/3.1 against the demo fleet: the real kubectl 1.27-1.30 (each one required: a
// missing binary fails its tests with the install hint) runs nvidia-smi, gets exit codes, pipes stdin, drives a tty and is refused as
// the viewer; kubectl >= 1.31 takes the same road with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false.
// A bare client then pins what kubectl never sends: PING, v3, bogus streams, garbage, vanishing.
import { execFile, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestFleet } from './demo-kubectl-helpers.js';
import { kubectlPath, kubectlRunner, startTestFleet, waitFor, waitForRunningGpuPod } from './demo-kubectl-helpers.js';
import { RawSpdyClient } from './demo-exec-spdy-client.js';
import { INSTALL_HINTS, requireTool } from '../require-tool.js';

let t: TestFleet;
let k: ReturnType<typeof kubectlRunner>;
let gpu: { namespace: string; name: string; container: string; gpus: number };

beforeAll(async () => {
  t = await startTestFleet();
  k = kubectlRunner(t);
  const p = await waitForRunningGpuPod(t.fleet);
  const pod = t.fleet.store.peekOne('pods', p.namespace, p.name) as unknown as { spec: { containers: { name: string; resources?: { limits?: Record<string, string> } }[] } };
  const gpus = Number(pod.spec.containers.find((c) => c.name === p.container)?.resources?.limits?.['nvidia.com/gpu'] ?? 0);
  gpu = { ...p, gpus };
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
});

// Every version is tested; none is dropped because this machine lacks it.
const SPDY_ONLY = ['1.27', '1.28', '1.29', '1.30'];
const requireKubectl = (version: string) => requireTool(kubectlPath(version), INSTALL_HINTS.kubectlVersion(version));

const execArgs = (...command: string[]) => ['exec', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', ...command];

describe.each(SPDY_ONLY)('kubectl %s exec (SPDY only)', (version) => {
  beforeAll(() => void requireKubectl(version));

  it('runs nvidia-smi and shows exactly the GPUs of the pod', async () => {
    expect(gpu.gpus).toBeGreaterThan(0);
    const table = await k.ok(execArgs('nvidia-smi'), { version });
    expect(table).toMatch(/NVIDIA-SMI \d+/);
    expect(table.split('\n').filter((l) => /^\|\s+\d+\s+NVIDIA /.test(l))).toHaveLength(gpu.gpus);
    const list = await k.ok(execArgs('nvidia-smi', '-L'), { version });
    expect(list.trim().split('\n')).toHaveLength(gpu.gpus);
    expect(list).toMatch(/^GPU 0: NVIDIA .+ \(UUID: GPU-[0-9a-f-]+\)$/m);
  });

  it('passes the exit code through and keeps stderr apart', async () => {
    const failed = await k.run(execArgs('sh', '-c', 'exit 3'), { version });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/command terminated with exit code 3/);
    const missing = await k.run(execArgs('ls', '/no/such/dir'), { version });
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/ls: cannot access '\/no\/such\/dir'/);
  });

  it('pipes stdin (exec -i) into the shell until it exits', async () => {
    const r = await k.run(['exec', '-i', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', 'sh'], { version, input: 'echo piped-through\nnvidia-smi -L | wc -l\nexit 4\n' });
    expect(r.stdout).toBe(`piped-through\n${gpu.gpus}\n`);
    expect(r.code).toBe(4);
  });

  it('moves far more than the 64 KiB flow-control window each way', async () => {
    const big = 'A'.repeat(300_000);
    const r = await k.run(['exec', '-i', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', 'sh'], { version, input: `echo ${big}\necho ${big} | wc -l\nexit 0\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${big}\n1\n`);
  });

  it('refuses the viewer with Forbidden before upgrading', async () => {
    const r = await k.run(execArgs('true'), { version, context: 'demo-viewer' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Forbidden.*cannot create resource "pods\/exec" in API group "" in the namespace "[^"]+"/);
  });
});

const WEBSOCKET_FIRST = ['1.31', '1.32', '1.33'];

describe.each(WEBSOCKET_FIRST)('kubectl %s over SPDY (KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false)', (version) => {
  beforeAll(() => void requireKubectl(version));

  it('upgrades to SPDY/3.1 and runs the command', async () => {
    const env = { ...k.env, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' };
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(kubectlPath(version), ['-v=8', ...execArgs('sh', '-c', 'nvidia-smi -L; exit 7')], { env, timeout: 30_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
    expect(r.stderr).toMatch(/Upgrade: SPDY\/3\.1/);
    expect(r.stdout.trim().split('\n')).toHaveLength(gpu.gpus);
    expect(r.code).toBe(7);
  });
});

describe('kubectl 1.27 exec -it (tty and resize streams)', () => {
  it('drives an interactive bash through a pseudo-terminal', async () => {
    // script(1) gives kubectl the terminal it needs for -t; without it this test fails, never skips.
    const script = requireTool('script', INSTALL_HINTS.script);
    const cmd = [requireKubectl('1.27'), ...['exec', '-it', '-n', gpu.namespace, gpu.name, '-c', gpu.container, '--', 'bash']].join(' ');
    const child = spawn(script, ['-qfec', cmd, '/dev/null'], { env: { ...k.env, TERM: 'xterm' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    try {
      await waitFor('the bash prompt', () => out.includes(`root@${gpu.name}`), 15_000);
      child.stdin.write('nvidia-smi -L\r');
      await waitFor('nvidia-smi output on the tty', () => /GPU 0: NVIDIA/.test(out), 15_000);
      child.stdin.write('exit 5\r');
      expect(await exited).toBe(5);
      // A tty turns newlines into CR LF: proof the session ran with tty=true.
      expect(out).toMatch(/GPU 0: NVIDIA[^\n]*\r\n/);
    } finally {
      child.kill();
    }
  }, 40_000);
});

describe('the SPDY exec server on the wire', () => {
  const path = (command: string[], flags = 'stdout=true&stderr=true') =>
    `/api/v1/namespaces/${gpu.namespace}/pods/${gpu.name}/exec?${command.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&container=${gpu.container}&${flags}`;

  const healthy = async () => {
    const r = await k.run(['get', '--raw', '/healthz']);
    expect(r.stdout).toBe('ok');
  };

  it('negotiates v4, answers PING, replies to each stream and ends with a v4 Status', async () => {
    const c = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['sh', '-c', 'echo out; ls /nope; exit 3']), ['v4.channel.k8s.io', 'v3.channel.k8s.io']);
    try {
      expect(c.reply.status).toBe(101);
      expect(c.reply.headers['x-stream-protocol-version']).toBe('v4.channel.k8s.io');
      expect(c.reply.headers.upgrade).toBe('SPDY/3.1');
      c.ping(1);
      await c.until('the PING echo', () => c.frames.some((f) => f.kind === 'ping' && f.id === 1));
      const error = await c.openStream('error');
      const stdout = await c.openStream('stdout');
      const stderr = await c.openStream('stderr');
      await c.until('the error stream to end', () => c.finished.has(error));
      expect([...c.replied].sort()).toEqual([error, stdout, stderr]);
      expect(c.text(stdout)).toBe('out\n');
      expect(c.text(stderr)).toMatch(/ls: cannot access '\/nope'/);
      expect(c.finished.has(stdout) && c.finished.has(stderr)).toBe(true);
      const status = JSON.parse(c.text(error));
      expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    } finally {
      c.close();
    }
  });

  it('speaks v3 (text error) and refuses a client offering no protocol it knows', async () => {
    const c = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['sh', '-c', 'exit 2'], 'stdout=true'), ['v3.channel.k8s.io']);
    try {
      expect(c.reply.headers['x-stream-protocol-version']).toBe('v3.channel.k8s.io');
      const error = await c.openStream('error');
      await c.openStream('stdout');
      await c.until('the error stream to end', () => c.finished.has(error));
      expect(c.text(error)).toMatch(/^command terminated with non-zero exit code: .*exit code 2$/);
    } finally {
      c.close();
    }
    const refused = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['true']), ['v9.channel.k8s.io']);
    refused.close();
    expect(refused.reply.status).toBe(403);
    expect(JSON.parse(refused.reply.body).message).toMatch(/unable to negotiate protocol/);
  });

  it('closes only the offending connection on an unknown stream type, garbage, or a vanished client', async () => {
    const bystander = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['sh'], 'stdin=true&stdout=true'), ['v4.channel.k8s.io']);
    const bError = await bystander.openStream('error');
    const bStdin = await bystander.openStream('stdin');
    const bStdout = await bystander.openStream('stdout');
    await bystander.until('the bystander replies', () => bystander.replied.size === 3);

    const bogus = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['true']), ['v4.channel.k8s.io']);
    await bogus.openStream('error');
    await bogus.openStream('telepathy');
    await bogus.until('the server to hang up on a bogus stream type', () => bogus.closed);
    bogus.close();

    const garbage = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['true']), ['v4.channel.k8s.io']);
    garbage.raw(Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff, 1, 2, 3]));
    await garbage.until('the server to hang up on an oversized frame', () => garbage.closed);
    expect(garbage.frames.some((f) => f.kind === 'goAway' && f.status === 1)).toBe(true);
    garbage.close();

    const badZlib = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['true']), ['v4.channel.k8s.io']);
    badZlib.raw(Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0e, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef]));
    await badZlib.until('the server to hang up on a corrupt header block', () => badZlib.closed);
    badZlib.close();

    const vanisher = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, path(['sh'], 'stdin=true&stdout=true'), ['v4.channel.k8s.io']);
    await vanisher.openStream('error');
    const vStdin = await vanisher.openStream('stdin');
    await vanisher.openStream('stdout');
    await vanisher.until('the vanisher replies', () => vanisher.replied.size === 3);
    vanisher.send(vStdin, 'nvidia-smi -L\necho half a li');
    vanisher.socket.destroy();

    // The bystander's session never noticed: it still runs commands and exits cleanly.
    bystander.send(bStdin, 'echo still here\nexit 0\n');
    await bystander.until('the bystander to finish', () => bystander.finished.has(bError));
    expect(bystander.text(bStdout)).toBe('still here\n');
    expect(JSON.parse(bystander.text(bError))).toEqual({ metadata: {}, status: 'Success' });
    bystander.close();
    await healthy();
    expect(await k.ok(execArgs('nvidia-smi', '-L'), { version: '1.27' })).toMatch(/^GPU 0: /);
  });

  it('refuses an unknown pod with 404 before upgrading', async () => {
    const c = await RawSpdyClient.open(t.fleet.apiUrl, t.fleet.adminToken, `/api/v1/namespaces/${gpu.namespace}/pods/no-such-pod/exec?command=true&stdout=true`, ['v4.channel.k8s.io']);
    c.close();
    expect(c.reply.status).toBe(404);
    expect(JSON.parse(c.reply.body).message).toBe('pods "no-such-pod" not found');
  });
});
