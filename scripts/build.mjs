// Builds what `npm start` and the tests run: the renderer with Vite, the Node side with esbuild.
// Skips work whose outputs are newer than every source file, so a second `npm start` is instant.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const force = process.argv.includes('--force');

function newest(dirs) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') walk(join(p, entry));
    } else max = Math.max(max, st.mtimeMs);
  };
  for (const d of dirs) walk(join(root, d));
  return max;
}

function stale(output, inputs) {
  const out = join(root, output);
  return force || !existsSync(out) || statSync(out).mtimeMs < newest([...inputs, 'package.json', 'scripts/build.mjs']);
}

// The demo fleet's OpenAPI schemas (resources/openapi/): rewritten only when client-node's models changed.
await import('./gen-openapi.mjs');

if (stale('dist/renderer/index.html', ['renderer', 'shared', 'vite.config.ts'])) {
  await viteBuild({ root: join(root, 'renderer'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

if (stale('dist/electron/cli.js', ['electron', 'shared'])) {
  // Chunk names carry content hashes: start clean so old chunks do not pile up.
  rmSync(join(root, 'dist/electron'), { recursive: true, force: true });
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', packages: 'external' };
  // Split chunks (kept beside the entries: modules find dist/renderer relative to themselves): the
  // entry paints the shell before the heavy core (client-node) is even loaded. The packages the
  // core loads that ship as hundreds of small files are bundled into the chunks: Node resolved,
  // read and compiled client-node's 826 modules one by one (~0.8 s of CPU at every start; bundled,
  // what the core uses of it costs ~0.25 s) and zod's 95. Their own dependencies stay external.
  const bundled = ['@kubernetes/client-node', 'zod'];
  const externalExceptBundled = {
    name: 'external-except-bundled',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => (bundled.some((p) => args.path === p || args.path.startsWith(`${p}/`)) ? undefined : { path: args.path, external: true }));
    },
  };
  await esbuild({ ...common, packages: undefined, plugins: [externalExceptBundled], entryPoints: { cli: 'electron/cli.ts', start: 'electron/start.ts' }, outdir: 'dist/electron', format: 'esm', splitting: true, chunkNames: '[name]-[hash]', absWorkingDir: root });
  await esbuild({ ...common, entryPoints: { main: 'electron/main.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'dist/electron', format: 'cjs', absWorkingDir: root });
  await esbuild({ ...common, entryPoints: { preload: 'electron/preload.ts' }, outExtension: { '.js': '.cjs' }, outdir: 'dist/electron', format: 'cjs', external: ['electron'], packages: undefined, absWorkingDir: root });
}
