#!/usr/bin/env node
// Bundles the headless command-line runner (src/cli) for plain Node: out/cli/main.js and its
// EnginePool's worker entry (src/node/trialWorker.ts) as out/cli/trialWorker.js. Dependencies in
// node_modules stay external.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  { in: join(root, 'src/cli/main.ts'), out: 'main' },
  { in: join(root, 'src/node/trialWorker.ts'), out: 'trialWorker' },
  // Trace import runs in a child process of its own (src/node/trace/importerProcess.ts says why).
  { in: join(root, 'src/node/trace/importer.ts'), out: 'traceImporter' },
];

const missing = entries.map((e) => e.in).filter((p) => !existsSync(p));
if (missing.length > 0) {
  for (const p of missing) console.error(`build-cli: missing entry point ${relative(root, p)}`);
  process.exit(1);
}

// Chunks of an earlier build are named by their hash: clear them, so none is left stale.
const outDir = join(root, 'out/cli');
if (existsSync(outDir)) {
  for (const name of readdirSync(outDir)) {
    if (name.startsWith('chunk-')) rmSync(join(outDir, name));
  }
}

try {
  await build({
    absWorkingDir: root,
    entryPoints: entries,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // Dynamic imports become chunks of their own (out/cli/chunk-*.js), so what a command does not
    // use (the figure renderer's chart.js and canvas binary) is not loaded at its start.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    sourcemap: true,
    logLevel: 'warning',
  });
} catch {
  // esbuild has already printed the errors.
  process.exit(1);
}
console.log(`build-cli: wrote ${entries.map((e) => relative(root, e.in)).join(', ')} -> out/cli/`);
