import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool } from '../require-tool.js';

describe('requireTool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fd-tool-'));
  writeFileSync(join(dir, 'present'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(dir, 'not-executable'), 'x', { mode: 0o644 });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds an executable on the search path or at an absolute path', () => {
    expect(requireTool('present', 'hint', `/nowhere:${dir}`)).toBe(join(dir, 'present'));
    expect(requireTool(['missing', 'present'], 'hint', dir)).toBe(join(dir, 'present'));
    expect(requireTool(join(dir, 'present'), 'hint', '')).toBe(join(dir, 'present'));
  });

  it('throws with the program and the install hint when it is missing or not executable', () => {
    expect(() => requireTool('promtool', 'sudo apt-get install prometheus', dir)).toThrow(/promtool not found on PATH .*sudo apt-get install prometheus/);
    expect(() => requireTool('not-executable', 'the hint', dir)).toThrow(/the hint/);
    expect(() => requireTool(join(dir, 'kubectl.1.99'), 'gcloud components install kubectl', '')).toThrow(/kubectl\.1\.99 not found — .*gcloud/);
  });
});
