import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keptReadonlyToken, READONLY_TOKEN_FILE } from '../../electron/readonly-token.js';
import { parseArgs } from '../../electron/cli-args.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flightdeck-token-'));
  dirs.push(dir);
  return join(dir, 'data');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the kept read-only (war-room) token', () => {
  it('is issued once, kept 0600, and the same on the next launch', () => {
    const dir = dataDir();
    const first = keptReadonlyToken(dir);
    expect(first.issued).toBe('first');
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dir, READONLY_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const second = keptReadonlyToken(dir);
    expect(second).toEqual({ token: first.token });
  });

  it('is replaced when asked, and the old one is gone', () => {
    const dir = dataDir();
    const first = keptReadonlyToken(dir);
    const rotated = keptReadonlyToken(dir, { rotate: true });
    expect(rotated.issued).toBe('rotated');
    expect(rotated.token).not.toBe(first.token);
    expect(keptReadonlyToken(dir).token).toBe(rotated.token);
  });

  it('replaces a kept file that is not a token, and tightens a loose one', () => {
    const dir = dataDir();
    const { token } = keptReadonlyToken(dir);
    const path = join(dir, READONLY_TOKEN_FILE);
    chmodSync(path, 0o644);
    expect(keptReadonlyToken(dir).token).toBe(token);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, 'short\n');
    const replaced = keptReadonlyToken(dir);
    expect(replaced.issued).toBe('replaced-invalid');
    expect(readFileSync(path, 'utf8').trim()).toBe(replaced.token);
  });

  it('is rotated from the command line', () => {
    expect(parseArgs(['--serve']).newReadonlyToken).toBe(false);
    expect(parseArgs(['--serve', '--new-readonly-token']).newReadonlyToken).toBe(true);
    expect(() => parseArgs(['--new-readonly-tokens'])).toThrow(/Unknown option/);
  });
});
