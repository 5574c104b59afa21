import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';

describe('audit log', () => {
  it('lists newest first and filters by context, action, outcome and text', () => {
    const log = openAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'a', 'audit.log'));
    log.append({ phase: 'prepare', outcome: 'planned', session: 'console', context: 'dev', action: 'scale', target: { kind: 'Deployment', namespace: 'inference', name: 'ranker' } });
    log.append({ phase: 'execute', outcome: 'failed', session: 'console', context: 'prod', action: 'restart', error: 'Conflict' });
    log.append({ phase: 'execute', outcome: 'succeeded', session: 'console', context: 'dev', action: 'scale' });
    expect(log.list({ limit: 10 }).records.map((r) => r.outcome)).toEqual(['succeeded', 'failed', 'planned']);
    expect(log.list({ limit: 10, context: 'dev' }).total).toBe(2);
    expect(log.list({ limit: 10, action: 'restart' }).records[0].error).toBe('Conflict');
    expect(log.list({ limit: 10, outcome: 'planned' }).total).toBe(1);
    expect(log.list({ limit: 10, text: 'RANKER' }).total).toBe(1);
    expect(log.list({ limit: 1 }).records).toHaveLength(1);
  });

  it('keeps every complete record readable after a torn last line', () => {
    const log = openAuditLog(join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.log'));
    log.append({ phase: 'prepare', outcome: 'planned', session: 'console' });
    appendFileSync(log.path, '{"id":"half');
    expect(log.list({ limit: 10 }).total).toBe(1);
  });
});
