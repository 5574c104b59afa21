// The audit.events stream: the page at once, then one re-read per burst of writes, none for records
// of another context, and nothing after the stop.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAuditLog, watchAudit, type AuditPage } from '../../electron/core/audit/index.js';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('audit.events', () => {
  it('sends the page, then once per burst of matching writes', () => {
    vi.useFakeTimers();
    const dir = mkdtempSync(join(tmpdir(), 'fd-audit-events-'));
    dirs.push(dir);
    const audit = openAuditLog(join(dir, 'audit.log'));
    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'dev', action: 'scale' });
    const pages: AuditPage[] = [];
    const stop = watchAudit(audit, { limit: 10, context: 'dev' }, (p) => pages.push(p), 100);
    expect(pages.map((p) => p.records.length)).toEqual([1]);

    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'dev', action: 'node.drain' });
    audit.append({ phase: 'execute', outcome: 'failed', session: 'console', context: 'dev', action: 'node.drain' });
    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'prod', action: 'scale' });
    expect(pages).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(pages).toHaveLength(2);
    expect(pages[1].records.map((r) => `${r.phase}:${r.outcome}:${r.action}`)).toEqual(['execute:failed:node.drain', 'prepare:planned:node.drain', 'prepare:planned:scale']);

    // Another context's record alone sends nothing.
    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'prod', action: 'scale' });
    vi.advanceTimersByTime(500);
    expect(pages).toHaveLength(2);

    stop();
    audit.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'dev', action: 'scale' });
    vi.advanceTimersByTime(500);
    expect(pages).toHaveLength(2);
  });
});
