// Issue 14: terminals that never lose your session. A pod shell and a local shell, side by side,
// left idle for five minutes (Freelens' idle shells close after minutes; Headlamp's exec sockets
// drop after ~60 s behind proxies), then typed into: both echo back in the same session. This
// file waits 5 minutes of wall time by design; it is a file of its own so it can be left out with
// vitest's file filter when iterating on the other terminal tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpuPod, openLocalShell, openPodShell, panes, startTerminalEnv, typeLine, waitForText, type TerminalEnv } from './terminal-page.js';

const IDLE_MS = 5 * 60_000;
let env: TerminalEnv | undefined;

beforeAll(async () => {
  env = await startTerminalEnv({ nodes: 2, viewport: { width: 1400, height: 800 } });
}, 120_000);

afterAll(async () => {
  await env?.stop();
});

describe('terminal idle (issue 14)', () => {
  it('a pod shell and a local shell left idle for 5 minutes still answer in the same session', async () => {
    const { page, console: console_ } = env!;
    const { pod } = await gpuPod(console_.baseUrl, console_.consoleToken, 'demo-admin', 'inference');
    const podPane = await openPodShell(page, { namespace: 'inference', pod });
    const localPane = await openLocalShell(page, { split: true });
    await typeLine(page, podPane, 'echo before-idle');
    await waitForText(page, podPane, /^before-idle$/m);
    const idleFrom = Date.now();
    await page.waitForTimeout(IDLE_MS);
    expect(Date.now() - idleFrom).toBeGreaterThanOrEqual(IDLE_MS);
    for (const id of [podPane, localPane]) {
      await typeLine(page, id, 'echo after-idle');
      await waitForText(page, id, /^after-idle$/m, 15_000);
    }
    // Nothing dropped or reconnected behind the user's back: still the first session of each pane.
    expect((await panes(page)).map((p) => [p.status, p.sessions])).toEqual([
      ['open', 1],
      ['open', 1],
    ]);
  }, IDLE_MS + 120_000);
});
