#!/usr/bin/env node
// `npm run bench [-- --json FILE] [-- --skip part,...] [-- --no-build]`: builds the app (the web
// adapter and renderer for the renderer figures, the CLI worker for the pool), bundles bench/ with
// esbuild to out/bench/main.js and runs it with --expose-gc, passing the other arguments on.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const passOn = args.filter((arg) => arg !== '--no-build');

if (!noBuild) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  // Build output goes to stderr so that stdout carries the table only.
  const built = spawnSync(npm, ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0) {
    console.error('bench: npm run build failed');
    process.exit(built.status ?? 1);
  }
}

try {
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'bench/main.ts')],
    outfile: join(root, 'out/bench/main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
} catch {
  process.exit(1);
}

const run = spawnSync(process.execPath, ['--expose-gc', join(root, 'out/bench/main.js'), ...passOn], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
