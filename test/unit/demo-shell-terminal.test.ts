// The demo shell's terminal commands (issue 14): `stty size` / `tput cols` follow resizes, and
// bulk output (`yes | head -c N`, `head -c N /dev/zero`) streams in chunks that wait while the
// transport is full, stops on ^C, and ends with the prompt.
import { afterEach, describe, expect, it } from 'vitest';
import { createClock, type DemoClock } from '../../electron/demo/clock.js';
import { ObjectStore, type KubeObject } from '../../electron/demo/store.js';
import { applyDefaults } from '../../electron/demo/api/defaults.js';
import { seedFleet } from '../../electron/demo/seed.js';
import { openExecSession, runLine } from '../../electron/demo/sim/shell.js';
import { boundBulk, headLimit, materialize } from '../../electron/demo/sim/bulk-output.js';

let clock: DemoClock;
afterEach(() => clock?.stop());

function gpuPod(): { store: ObjectStore; pod: KubeObject } {
  clock = createClock(1);
  const store = new ObjectStore({ nowIso: () => clock.iso() });
  store.setDefaulter(applyDefaults);
  seedFleet(store, { clock, seed: 1 });
  const pod = store.list('pods', 'inference').find((p) => (p.status as { phase: string }).phase === 'Running') as KubeObject;
  return { store, pod };
}

const containerOf = (pod: KubeObject) => (pod.spec as { containers: { name: string }[] }).containers[0].name;
const tick = () => new Promise((r) => setImmediate(r));

describe('demo shell terminal commands', () => {
  it('reports the size the last resize set', async () => {
    const { store, pod } = gpuPod();
    const s = openExecSession(store, pod, containerOf(pod), ['bash'], { tty: true });
    let out = '';
    s.onStdout((b) => (out += b.toString()));
    s.onExit(() => undefined);
    await tick();
    s.writeStdin(Buffer.from('stty size\r'));
    expect(out).toContain('24 80');
    s.resize(133, 41);
    s.writeStdin(Buffer.from('stty size; tput cols; tput lines\r'));
    expect(out).toMatch(/41 133\r\n133\r\n41\r\n/);
    s.kill();
  });

  it('bounds bulk output with head, and hands other consumers its first MiB', () => {
    expect(headLimit(['-c', '100'])).toEqual({ unit: 'c', n: 100 });
    expect(headLimit(['-n5'])).toEqual({ unit: 'n', n: 5 });
    expect(headLimit(['-3'])).toEqual({ unit: 'n', n: 3 });
    expect(boundBulk(['head', '-c', '10'], { unit: 'y\n', bytes: Infinity })).toEqual({ unit: 'y\n', bytes: 10 });
    expect(boundBulk(['head', '-n', '3'], { unit: 'ab\n', bytes: Infinity })).toEqual({ unit: 'ab\n', bytes: 9 });
    expect(boundBulk(['grep', 'y'], { unit: 'y\n', bytes: Infinity })).toBeUndefined();
    expect(materialize({ unit: 'ab\n', bytes: 7 })).toBe('ab\nab\na');
    const { store, pod } = gpuPod();
    const st = { store, view: {} as never, seed: 1, now: () => 0, cwd: '/', lastCode: 0, shell: 'sh' as const, tty: false };
    expect(runLine('yes hi | head -c 1000000000', st).bulk).toEqual({ unit: 'hi\n', bytes: 1_000_000_000 });
    expect(runLine('yes | head -n 3 | wc -l', st).stdout).toBe('3\n');
    void pod;
  });

  it('streams bulk output while the transport has room, waits while it is full, and ends with the prompt', async () => {
    const { store, pod } = gpuPod();
    const s = openExecSession(store, pod, containerOf(pod), ['bash'], { tty: true });
    let bytes = 0;
    let tail = '';
    let full = false;
    s.onStdout((b) => {
      bytes += b.length;
      tail = (tail + b.toString()).slice(-200);
      return !full;
    });
    s.onExit(() => undefined);
    await tick();
    s.writeStdin(Buffer.from('yes 0123456789 | head -c 2000000\r'));
    await expect.poll(() => bytes).toBeGreaterThan(100_000);
    full = true;
    await tick();
    const stalled = bytes;
    for (let i = 0; i < 20; i++) await tick();
    expect(bytes).toBe(stalled); // the pump waits for resumeOutput()
    full = false;
    s.resumeOutput();
    await expect.poll(() => tail, { timeout: 10_000 }).toMatch(/# $/);
    // 2,000,000 bytes of "0123456789\n" become \r\n on the tty: 181,819 lines (the last cut short).
    expect(bytes).toBeGreaterThan(2_000_000 + 181_000);
    s.kill();
  });

  it('stops an endless `yes` on ^C', async () => {
    const { store, pod } = gpuPod();
    const s = openExecSession(store, pod, containerOf(pod), ['sh'], { tty: true });
    let out = '';
    s.onStdout((b) => {
      out = (out + b.toString()).slice(-100);
    });
    s.onExit(() => undefined);
    await tick();
    s.writeStdin(Buffer.from('yes\r'));
    await expect.poll(() => out).toMatch(/y\r\ny\r\n$/);
    s.writeStdin(Buffer.from('\x03'));
    await tick();
    expect(out).toMatch(/\^C\r\n# $/);
    s.writeStdin(Buffer.from('echo $?\r'));
    expect(out).toMatch(/130\r\n# $/);
    s.kill();
  });

  it('gives `head -c N /dev/zero` N NUL bytes to a direct exec, then exits 0', async () => {
    const { store, pod } = gpuPod();
    const s = openExecSession(store, pod, containerOf(pod), ['head', '-c', '300000', '/dev/zero'], { tty: false });
    let bytes = 0;
    let nonZero = 0;
    s.onStdout((b) => {
      bytes += b.length;
      nonZero += b.filter((x) => x !== 0).length;
    });
    const code = await new Promise((r) => s.onExit(r));
    expect(code).toBe(0);
    expect(bytes).toBe(300_000);
    expect(nonZero).toBe(0);
  });
});
