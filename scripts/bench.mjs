// `npm run bench -- [name...]`: runs test/bench/<name>.ts (all of them without a name) one after
// another. Each prints `<name>.<metric> <value> <unit>` lines, and `target ...` lines where an
// issue sets a target. Benchmarks are measurements, not pass/fail tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

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
for (const name of wanted.length ? wanted : all) {
  console.log(`# ${name}`);
  const result = spawnSync('npx', ['tsx', `test/bench/${name}.ts`], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
