import { appendFileSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog, type AuditEntry } from '../../electron/core/audit/audit-log.js';
import { TRUNCATED } from '../../electron/core/audit/audit-bounds.js';
import { rotationFromEnv } from '../../electron/core/audit/audit-rotation.js';
import { readBackward } from '../../electron/core/audit/audit-reader.js';
import { auditRecordSchema } from '../../shared/contract/actions.js';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'audit-')), 'audit.log');
const planned = (i: number): AuditEntry => ({ phase: 'prepare', outcome: 'planned', session: 'console', context: i % 2 ? 'prod' : 'dev', action: 'scale', params: { replicas: i } });

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

  it('keeps every complete record readable after a torn last line, and records appended after it', () => {
    const path = freshPath();
    openAuditLog(path).append({ phase: 'prepare', outcome: 'planned', session: 'console' });
    appendFileSync(path, '{"id":"half'); // power cut mid-write
    const reopened = openAuditLog(path);
    expect(reopened.list({ limit: 10 }).total).toBe(1);
    reopened.append({ phase: 'execute', outcome: 'succeeded', session: 'console' });
    expect(reopened.list({ limit: 10 }).records.map((r) => r.outcome)).toEqual(['succeeded', 'planned']);
  });

  it('bounds a record: a 400 KB name and a huge params object become a short line with markers', () => {
    const log = openAuditLog(freshPath());
    const name = 'n'.repeat(400_000);
    const params = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 'v'.repeat(1_000)]));
    const record = log.append({ phase: 'prepare', outcome: 'planned', session: 'console', target: { kind: 'Deployment', name }, params, error: name });
    const bytes = statSync(log.path).size;
    expect(bytes).toBeLessThan(40_000);
    expect(record.target?.name.length).toBeLessThan(3_000);
    expect(record.target?.name).toContain(`${TRUNCATED}: 400000 chars in all]`);
    const listed = log.list({ limit: 1 }).records[0];
    expect(auditRecordSchema.safeParse(listed).success).toBe(true);
    expect(JSON.stringify(listed.params)).toContain(TRUNCATED);
  });

  it('rotates by size without losing a record: closing line, rename, continuation line, N files kept', () => {
    const path = freshPath();
    const log = openAuditLog(path, { rotation: { maxBytes: 2_000, files: 3 } });
    for (let i = 0; i < 60; i++) log.append(planned(i));
    const dir = join(path, '..');
    const names = readdirSync(dir).sort();
    expect(names.filter((n) => n.startsWith('audit.log'))).toHaveLength(3);
    for (const name of names) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(2_000);
    const rotated = names.filter((n) => /^audit\.log\.\d+$/.test(n)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
    const newestRotated = rotated.at(-1)!;
    const closing = JSON.parse(readFileSync(join(dir, newestRotated), 'utf8').trim().split('\n').at(-1)!) as Record<string, string>;
    expect(closing).toMatchObject({ auditLog: 'closed', closedAs: newestRotated, next: 'audit.log' });
    const first = JSON.parse(readFileSync(path, 'utf8').split('\n')[0]) as Record<string, string>;
    expect(first).toMatchObject({ auditLog: 'continues', previous: newestRotated });
    // Newest first across the files, with no gap: the replicas counter runs down one by one.
    const all = log.list({ limit: 10_000 });
    const replicas = all.records.map((r) => r.params?.replicas as number);
    expect(replicas[0]).toBe(59);
    expect(replicas).toEqual(replicas.map((_, i) => 59 - i));
    expect(all.totalIsEstimate).toBe(false);
    expect(all.total).toBe(replicas.length);
  });

  it('lists the newest 50 of a multi-MB history by reading only its end', () => {
    const path = freshPath();
    const dir = join(path, '..');
    // 4 files of ~2 MB written directly (appending 40,000 fsync'd records would take too long).
    const lineOf = (i: number) => JSON.stringify({ id: `id-${i}`, time: new Date(1_700_000_000_000 + i).toISOString(), ...planned(i) }) + '\n';
    let next = 0;
    const fileOf = (count: number) => Array.from({ length: count }, () => lineOf(next++)).join('');
    writeFileSync(join(dir, 'audit.log.1'), fileOf(15_000));
    writeFileSync(join(dir, 'audit.log.2'), fileOf(15_000));
    writeFileSync(join(dir, 'audit.log.3'), fileOf(15_000));
    writeFileSync(path, fileOf(15_000));
    const reads: Array<{ bytesRead: number; historyBytes: number }> = [];
    const log = openAuditLog(path, { onList: (stats) => reads.push(stats), rotation: { maxBytes: 10 * 1024 * 1024, files: 5 } });
    const page = log.list({ limit: 50 });
    expect(page.records.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => `id-${59_999 - i}`));
    expect(reads[0].historyBytes).toBeGreaterThan(6_000_000);
    expect(reads[0].bytesRead).toBeLessThanOrEqual(64 * 1024);
    expect(page.totalIsEstimate).toBe(true);
    expect(page.total).toBeGreaterThan(50_000);
    expect(page.total).toBeLessThan(70_000);
    // A filter that matches only old records crosses into the rotated files, newest first.
    const old = log.list({ limit: 3, text: '"id-14998"' });
    expect(old.records.map((r) => r.id)).toEqual(['id-14998']);
    expect(old.totalIsEstimate).toBe(false);
    // A filter matching half the records: the estimate scales the matches per byte read.
    const dev = log.list({ limit: 2, context: 'dev' });
    expect(dev.records.map((r) => r.id)).toEqual(['id-59998', 'id-59996']);
    expect(dev.total).toBeGreaterThan(25_000);
    expect(dev.total).toBeLessThan(35_000);
  });

  it('reads lines backwards across chunk boundaries: long lines, multi-byte characters, skipped chunks', () => {
    const dir = join(freshPath(), '..');
    const lines = Array.from({ length: 300 }, (_, i) => `${i}:${'é🚀x'.repeat(i % 37)}${i % 10 === 0 ? 'y'.repeat(500) : ''}`);
    writeFileSync(join(dir, 'older'), lines.slice(0, 100).join('\n') + '\n');
    writeFileSync(join(dir, 'newer'), lines.slice(100).join('\n')); // no final newline
    const expected = [...lines].reverse().filter(Boolean);
    for (const chunk of [1, 7, 64, 1_000, 1 << 20]) {
      expect([...readBackward([join(dir, 'newer'), join(dir, 'older')], undefined, chunk).lines()]).toEqual(expected);
      // A chunk filter may drop lines only from chunks where it sees no match.
      const kept = [...readBackward([join(dir, 'newer'), join(dir, 'older')], (text) => text.includes('🚀x🚀'), chunk).lines()];
      expect(kept.filter((line) => line.includes('🚀x🚀'))).toEqual(expected.filter((line) => line.includes('🚀x🚀')));
    }
  });

  it('takes rotation settings from the environment and refuses bad values', () => {
    expect(rotationFromEnv({})).toEqual({ maxBytes: 10 * 1024 * 1024, files: 5 });
    expect(rotationFromEnv({ FLIGHTDECK_AUDIT_MAX_MB: '2', FLIGHTDECK_AUDIT_FILES: '8' })).toEqual({ maxBytes: 2 * 1024 * 1024, files: 8 });
    expect(() => rotationFromEnv({ FLIGHTDECK_AUDIT_FILES: '1' })).toThrow(/FLIGHTDECK_AUDIT_FILES=1 is not valid/);
    expect(() => rotationFromEnv({ FLIGHTDECK_AUDIT_MAX_MB: 'lots' })).toThrow(/whole number/);
  });
});
