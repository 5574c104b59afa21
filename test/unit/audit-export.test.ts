// Audit export: JSON lines round-trip every field; CSV quotes commas, quotes and newlines and
// defuses cells a spreadsheet would run as formulas.
import { describe, expect, it } from 'vitest';
import { auditRecordSchema, type AuditRecord } from '../../shared/contract/actions.js';
import { toCsv, toJsonLines } from '../../shared/model/audit-export.js';

const records: AuditRecord[] = [
  { id: 'a1', time: '2026-12-02T10:00:00.000Z', phase: 'execute', outcome: 'failed', session: 'console', context: 'prod', user: 'ops', action: 'scale', target: { kind: 'Deployment', namespace: 'inference', name: 'llm' }, error: 'conflict, "retry"\nlater', durationMs: 12 },
  { id: 'a2', time: '2026-12-02T10:01:00.000Z', phase: 'execute', outcome: 'succeeded', session: 'ipc', method: 'settings.set', params: { changed: {} } },
  { id: 'a3', time: '2026-12-02T10:02:00.000Z', phase: 'refused', outcome: 'refused', session: 'readonly', error: '=HYPERLINK("http://x")' },
];

describe('audit export', () => {
  it('JSON lines: one valid record per line, nothing lost', () => {
    const lines = toJsonLines(records).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => auditRecordSchema.parse(JSON.parse(l)))).toEqual(records);
    expect(toJsonLines([])).toBe('');
  });

  it('CSV: a header, one row per record, quoted cells, no formulas', () => {
    const csv = toCsv(records);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,user,session,context,action,target,phase,outcome,error,durationMs,id');
    expect(csv).toContain('2026-12-02T10:00:00.000Z,ops,console,prod,scale,Deployment/inference/llm,execute,failed,"conflict, ""retry""\nlater",12,a1');
    expect(csv).toContain(',settings.set,,execute,succeeded,,,a2');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
