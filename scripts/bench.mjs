// `npm run bench -- [name...]`: runs test/bench/<name>.ts (all of them without a name) one after
// another. Each prints `<name>.<metric> <value> <unit>` lines, and `target ...` lines where an
// issue sets a target. Benchmarks are measurements, not pass/fail tests. Each bench's start and end
// lines give the machine's load average (1, 5, 15 min): figures from a loaded machine say so.
// Sizes come from each bench's BENCH_* environment variables (see the bench's header).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const all = readdirSync(`${root}test/bench`).filter((f) => f.endsWith('.ts') && !f.startsWith('_')).map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
let failed = false;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
for (const name of wanted.length ? wanted : all) {
  console.log(`# ${name} (load average ${load()})`);
  const started = Date.now();
  const result = spawnSync('npx', ['tsx', `test/bench/${name}.ts`], { cwd: root, stdio: 'inherit' });
  console.log(`# ${name} ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${Math.round((Date.now() - started) / 1000)} s (load average ${load()})`);
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
