// Terminal core (issue 14) without a cluster: the exec channel codec, flow control thresholds,
// UTF-8 across chunk boundaries, output coalescing, the temporary kubeconfig (0600, removed), and
// the session runner (early keys, acks resume the source, audit records without keystrokes).
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { decodeFrame, encodeCloseStdin, encodeResize, encodeStdin, isCommandMissing, parseStatus } from '../../electron/core/terminal/exec-channel.js';
import { FlowControl } from '../../electron/core/terminal/flow-control.js';
import { OutputCoalescer } from '../../electron/core/terminal/output-coalescer.js';
import { removeStaleKubeconfigs, terminalDir, writeTempKubeconfig } from '../../electron/core/terminal/temp-kubeconfig.js';
import { runSession } from '../../electron/core/terminal/session.js';
import { podContainers } from '../../electron/core/terminal/containers.js';
import type { SourceEvents, TerminalSource } from '../../electron/core/terminal/source.js';
import type { AuditEntry } from '../../electron/core/audit/index.js';
import type { TerminalEvent } from '../../shared/contract/terminal.js';

describe('exec channel codec', () => {
  it('frames stdin, resize and the v5 close with their channel bytes', () => {
    expect([...encodeStdin('ls\r')]).toEqual([0, 0x6c, 0x73, 0x0d]);
    const resize = encodeResize(132, 43);
    expect(resize[0]).toBe(4);
    expect(JSON.parse(resize.subarray(1).toString())).toEqual({ Width: 132, Height: 43 });
    expect([...encodeCloseStdin()]).toEqual([255, 0]);
  });

  it('reads stdout, stderr and the final Status with its exit code', () => {
    expect(decodeFrame(Buffer.from([1, 0x68, 0x69]))).toEqual({ channel: 'stdout', data: Buffer.from('hi') });
    expect(decodeFrame(Buffer.from([2, 0x21]))).toMatchObject({ channel: 'stderr' });
    expect(decodeFrame(Buffer.alloc(0))).toEqual({ channel: 'other', id: -1 });
    const success = Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ metadata: {}, status: 'Success' }))]);
    expect(decodeFrame(success)).toEqual({ channel: 'status', status: { ok: true, code: 0, message: 'exited' } });
    const nonZero = JSON.stringify({ status: 'Failure', reason: 'NonZeroExitCode', message: 'exit code 3', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
    expect(parseStatus(nonZero)).toEqual({ ok: false, code: 3, message: 'exit code 3', reason: 'NonZeroExitCode' });
    expect(parseStatus('not json')).toEqual({ ok: false, code: null, message: 'not json' });
  });

  it('tells a missing shell from a shell that failed', () => {
    const oci = parseStatus(JSON.stringify({ status: 'Failure', reason: 'InternalError', message: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in $PATH: unknown' }));
    expect(isCommandMissing(oci)).toBe(true);
    expect(isCommandMissing({ ok: false, code: 127, message: 'command terminated with non-zero exit code' })).toBe(true);
    expect(isCommandMissing({ ok: false, code: 1, message: 'command terminated with non-zero exit code' })).toBe(false);
    expect(isCommandMissing({ ok: true, code: 0, message: 'exited' })).toBe(false);
  });
});

describe('flow control', () => {
  it('pauses above the high-water mark and resumes at the low-water mark, once each', () => {
    const source = { pause: vi.fn(), resume: vi.fn() };
    const flow = new FlowControl(source, 100, 20);
    flow.emitted(60);
    flow.emitted(40);
    expect(source.pause).not.toHaveBeenCalled(); // 100 is not above 100
    flow.emitted(1);
    flow.emitted(50);
    expect(source.pause).toHaveBeenCalledTimes(1);
    expect(flow.isPaused).toBe(true);
    flow.acked(100);
    expect(source.resume).not.toHaveBeenCalled(); // 51 in flight > 20
    flow.acked(31);
    expect(source.resume).toHaveBeenCalledTimes(1);
    expect(flow.charsInFlight).toBe(20);
    flow.acked(1_000); // a confused client cannot push the count below zero
    expect(flow.charsInFlight).toBe(0);
    flow.emitted(101);
    expect(source.pause).toHaveBeenCalledTimes(2);
  });
});

describe('output coalescing', () => {
  it('keeps a multi-byte character split across chunks whole', async () => {
    const out: string[] = [];
    const coalescer = new OutputCoalescer((t) => out.push(t), { maxChars: 1024, intervalMs: 0 });
    const bytes = Buffer.from('GPU 温度 🔥 ok', 'utf8');
    // Every byte alone: each multi-byte character is cut at every possible place.
    for (const b of bytes) coalescer.push(Uint8Array.of(b));
    coalescer.end();
    expect(out.join('')).toBe('GPU 温度 🔥 ok');
    expect(out.join('')).not.toContain('\uFFFD');
  });

  it('sends the first chunk after a quiet spell at once and coalesces a flood', async () => {
    let clock = 0;
    const out: string[] = [];
    const coalescer = new OutputCoalescer((t) => out.push(t), { maxChars: 10, intervalMs: 5, now: () => clock });
    coalescer.push(Buffer.from('a'));
    await new Promise((r) => setImmediate(r));
    expect(out).toEqual(['a']); // an echo goes out on the next turn
    coalescer.push(Buffer.from('b'));
    coalescer.push(Buffer.from('c'));
    await new Promise((r) => setImmediate(r));
    expect(out).toEqual(['a']); // within 5 ms of the last flush: wait
    clock = 5;
    await new Promise((r) => setTimeout(r, 10));
    expect(out).toEqual(['a', 'bc']);
    coalescer.push(Buffer.from('0123456789xyz'));
    expect(out).toEqual(['a', 'bc', '0123456789xyz']); // at maxChars: at once
    coalescer.dispose();
  });
});

describe('temporary kubeconfig', () => {
  const config = () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c1', server: 'https://one.example:6443', skipTLSVerify: false }, { name: 'c2', server: 'https://two.example:6443', skipTLSVerify: false }],
      users: [{ name: 'u1', token: 'secret-token' }],
      contexts: [{ name: 'one', cluster: 'c1', user: 'u1' }, { name: 'two', cluster: 'c2', user: 'u1' }],
      currentContext: 'one',
    });
    return kc;
  };

  it('is written 0600 in a 0700 folder with the chosen context current, and removed', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'terminal-kc-'));
    const file = writeTempKubeconfig(dataDir, config(), 'two');
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(terminalDir(dataDir)).mode & 0o777).toBe(0o700);
    const written = new KubeConfig();
    written.loadFromString(readFileSync(file.path, 'utf8'));
    expect(written.getCurrentContext()).toBe('two');
    expect(written.getCurrentCluster()?.server).toBe('https://two.example:6443');
    expect(written.getContexts().map((c) => c.name)).toEqual(['one', 'two']);
    file.remove();
    expect(existsSync(file.path)).toBe(false);
    file.remove(); // twice is fine
  });

  it('removes files a dead process left, not a live one\'s', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'terminal-kc-'));
    const dir = terminalDir(dataDir);
    mkdirSync(dir, { recursive: true });
    const dead = join(dir, 'kubeconfig-999999999-abc.json');
    const alive = join(dir, `kubeconfig-${process.pid}-def.json`);
    writeFileSync(dead, '{}');
    writeFileSync(alive, '{}');
    removeStaleKubeconfigs(dataDir);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
  });
});

describe('containers', () => {
  it('picks the default-container annotation, else the first container', () => {
    const pod = {
      metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'server' } },
      spec: { containers: [{ name: 'sidecar' }, { name: 'server' }] },
      status: { containerStatuses: [{ name: 'server', ready: true, state: { running: {} } }, { name: 'sidecar', ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    };
    expect(podContainers(pod)).toEqual({
      containers: [{ name: 'sidecar', ready: false, state: 'waiting: CrashLoopBackOff' }, { name: 'server', ready: true, state: 'running' }],
      defaultContainer: 'server',
    });
    expect(podContainers({ ...pod, metadata: {} }).defaultContainer).toBe('sidecar');
    expect(podContainers({ metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'gone' } }, spec: { containers: [{ name: 'a' }] } }).defaultContainer).toBe('a');
  });
});

describe('session runner', () => {
  function fakeSource() {
    let events: SourceEvents | undefined;
    const source: TerminalSource & { written: string[]; sizes: number[][] } = {
      written: [],
      sizes: [],
      write: (d) => void source.written.push(d),
      resize: (c, r) => void source.sizes.push([c, r]),
      pause: vi.fn(),
      resume: vi.fn(),
      stop: vi.fn(),
    };
    let resolveOpen!: (s: TerminalSource) => void;
    const opened = new Promise<TerminalSource>((r) => (resolveOpen = r));
    return {
      source,
      events: () => events!,
      open: (e: SourceEvents) => {
        events = e;
        return opened;
      },
      start: () => resolveOpen(source),
    };
  }

  const start = (fake: ReturnType<typeof fakeSource>, options: { highWater?: number; lowWater?: number } = {}) => {
    const emitted: TerminalEvent[] = [];
    const audit: AuditEntry[] = [];
    const onEnd = vi.fn();
    const stream = runSession(
      {
        sessionId: 'sid',
        session: { kind: 'console', readOnly: false },
        audit: { context: 'demo', target: { kind: 'Pod', namespace: 'ml', name: 'p' }, params: { kind: 'exec', container: 'c' } },
        open: fake.open,
      },
      (e) => emitted.push(e),
      { audit: { append: (e) => audit.push(e) }, coalescing: { maxChars: 1 << 20, intervalMs: 0 }, onEnd, ...options },
    );
    return { stream, emitted, audit, onEnd };
  };

  it('keeps keys typed before the source is up, pauses on unacked output and resumes on acks', async () => {
    const fake = fakeSource();
    const { stream, emitted, audit } = start(fake, { highWater: 10, lowWater: 4 });
    stream.input({ type: 'data', data: 'echo secret-password\r' });
    stream.input({ type: 'resize', cols: 100, rows: 30 });
    fake.start();
    await new Promise((r) => setImmediate(r));
    expect(fake.source.written).toEqual(['echo secret-password\r']);
    expect(fake.source.sizes).toEqual([[100, 30]]);
    fake.events().opened({ shell: 'bash', title: 'p/c', detail: 'demo' });
    fake.events().data(Buffer.from('0123456789AB'));
    await new Promise((r) => setImmediate(r));
    expect(emitted).toEqual([
      { type: 'opened', sessionId: 'sid', title: 'p/c', detail: 'demo', shell: 'bash' },
      { type: 'output', data: '0123456789AB' },
    ]);
    expect(fake.source.pause).toHaveBeenCalledTimes(1);
    stream.input({ type: 'ack', chars: 8 });
    expect(fake.source.resume).toHaveBeenCalledTimes(1);
    fake.events().exit(0, 'bash exited');
    expect(emitted.at(-1)).toEqual({ type: 'exit', code: 0, reason: 'bash exited' });
    expect(fake.source.stop).toHaveBeenCalledTimes(1);
    // Start and stop are audited; what was typed and printed is not.
    expect(audit.map((a) => a.params?.event)).toEqual(['start', 'stop']);
    expect(audit[1]).toMatchObject({ method: 'terminal.session', context: 'demo', target: { kind: 'Pod', namespace: 'ml', name: 'p' }, params: { exitCode: 0, container: 'c' } });
    expect(typeof audit[1].durationMs).toBe('number');
    expect(JSON.stringify(audit)).not.toMatch(/secret-password|0123456789/);
  });

  it('ends once on unsubscribe, and a source that starts after that is stopped at once', async () => {
    const fake = fakeSource();
    const { stream, onEnd, audit } = start(fake);
    stream.stop();
    stream.stop();
    expect(onEnd).toHaveBeenCalledTimes(1);
    fake.start();
    await new Promise((r) => setImmediate(r));
    expect(fake.source.stop).toHaveBeenCalledTimes(1);
    expect(audit).toEqual([]); // never opened: nothing started
  });

  it('reports a source that cannot start as an exit with the reason, audited as failed', async () => {
    const { stream, emitted, audit, onEnd } = start({ ...fakeSource(), open: () => Promise.reject(new Error('pods "p" not found')) });
    await new Promise((r) => setImmediate(r));
    expect(emitted).toEqual([{ type: 'exit', code: null, reason: 'The session could not start: pods "p" not found' }]);
    expect(audit).toMatchObject([{ outcome: 'failed', params: { event: 'start' } }]);
    expect(onEnd).toHaveBeenCalledTimes(1);
    stream.input({ type: 'data', data: 'x' }); // ignored after the end
  });
});
