// Audit log at size (issue 11): `npx tsx test/bench/audit-log.ts` (or `npm run bench -- audit-log`).
// Writes a 100 MB history (10 files of 10 MB, realistic records), then measures audit.list for the
// newest 50 (what the audit panel asks every 2 s), with filters that stop early or scan it all,
// next to the previous implementation's whole-file read; and the fsync'd append, with a rotation.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAuditLog } from '../../electron/core/audit/audit-log.js';
import { percentile } from './_percentile.js';

const FILE_MB = Number(process.env.BENCH_AUDIT_FILE_MB ?? 10);
const FILES = Number(process.env.BENCH_AUDIT_FILES ?? 10);
const figure = (metric: string, value: number, unit: string) => console.log(`audit-log.${metric} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);

const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
const path = join(dir, 'audit.log');
let seq = 0;
const line = () => {
  const i = seq++;
  return (
    JSON.stringify({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      time: new Date(1_750_000_000_000 + i * 1000).toISOString(),
      phase: i % 2 ? 'execute' : 'prepare',
      outcome: i % 2 ? 'succeeded' : 'planned',
      session: 'console',
      context: `cluster-${i % 7}`,
      user: 'ops-admin',
      target: { kind: 'Deployment', namespace: 'inference', name: `ranker-${i % 50}` },
      action: 'scale',
      params: { replicas: i % 9 },
      requests: [{ method: 'PATCH', path: `/apis/apps/v1/namespaces/inference/deployments/ranker-${i % 50}/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: i % 9 } } }],
      durationMs: 40,
    }) + '\n'
  );
};
const fileBytes = FILE_MB * 1024 * 1024;
for (let f = 1; f <= FILES; f++) {
  const lines: string[] = [];
  let bytes = 0;
  while (bytes < fileBytes - 1_000) {
    const l = line();
    lines.push(l);
    bytes += l.length;
  }
  writeFileSync(f === FILES ? path : `${path}.${f}`, lines.join(''));
}
figure('history', FILES * FILE_MB, 'MB');
figure('records', seq, 'records');

const reads: number[] = [];
const log = openAuditLog(path, { rotation: { maxBytes: fileBytes, files: FILES + 1 }, onList: (s) => reads.push(s.bytesRead) });
const time = (name: string, filter: Parameters<typeof log.list>[0], runs: number) => {
  const ms: number[] = [];
  let page = log.list(filter);
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    page = log.list(filter);
    ms.push(performance.now() - t0);
  }
  figure(`${name}.p50`, percentile(ms, 50), 'ms');
  figure(`${name}.bytesRead`, reads.at(-1)! / 1024, 'KB');
  figure(`${name}.total`, page.total, page.totalIsEstimate ? 'records (estimate)' : 'records (exact)');
};
time('list-newest-50', { limit: 50 }, 50);
time('list-context-50', { limit: 50, context: 'cluster-3' }, 50);
time('list-text-rare', { limit: 50, text: '"replicas":8}},"durationMs":41' }, 3); // matches nothing: scans everything
console.log('target audit-log.list-newest-50.p50 < 5 ms');

// The previous implementation read and split the whole (single) file on every call.
const before = performance.now();
const all = FILES > 0 ? readFileSync(`${path}.1`, 'utf8').split('\n').length * FILES : 0;
figure('previous-whole-read.per-10MB', performance.now() - before, `ms (x${FILES} for the history; ${all} lines)`);

const appendMs: number[] = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  log.append({ phase: 'execute', outcome: 'succeeded', session: 'console', context: 'bench', action: 'scale' });
  appendMs.push(performance.now() - t0);
}
figure('append.p50', percentile(appendMs, 50), 'ms (fsync included)');
figure('append.max', Math.max(...appendMs), 'ms (a rotation included when the current file was full)');
rmSync(dir, { recursive: true, force: true });
