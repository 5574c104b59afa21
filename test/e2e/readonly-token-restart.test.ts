// A war-room wall screen keeps its link across console restarts: the read-only token is kept in the
// data directory; the console token is not; --new-readonly-token revokes the old link.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConsole } from './harness.js';

const dataDir = mkdtempSync(join(tmpdir(), 'flightdeck-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function callWith(baseUrl: string, token: string): Promise<number> {
  const response = await fetch(`${baseUrl}/api/v1/call/app.info`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: '{}',
  });
  return response.status;
}

describe('read-only token across restarts', () => {
  it('keeps the war-room link working after a restart and revokes it when asked', async () => {
    const first = await startConsole({ dataDir });
    const before = { readonly: first.readonlyToken, console: first.consoleToken };
    expect(await callWith(first.baseUrl, before.readonly)).toBe(200);
    await first.stop();

    const second = await startConsole({ dataDir });
    try {
      expect(second.readonlyToken).toBe(before.readonly);
      expect(second.consoleToken).not.toBe(before.console);
      expect(await callWith(second.baseUrl, before.readonly)).toBe(200);
      expect(await callWith(second.baseUrl, before.console)).toBe(401);
    } finally {
      await second.stop();
    }

    const third = await startConsole({ dataDir, args: ['--new-readonly-token'] });
    try {
      expect(third.readonlyToken).not.toBe(before.readonly);
      expect(third.output()).toMatch(/readonly token replaced/);
      expect(await callWith(third.baseUrl, before.readonly)).toBe(401);
      expect(await callWith(third.baseUrl, third.readonlyToken)).toBe(200);
    } finally {
      await third.stop();
    }
  }, 120_000);
});
