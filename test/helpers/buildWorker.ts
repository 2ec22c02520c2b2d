import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export interface BuiltWorker {
  /** The bundled worker module, plain JavaScript that piscina can load. */
  file: string;
  dispose(): Promise<void>;
}

/**
 * Bundles a TypeScript worker module (and everything it imports, node_modules included) into one
 * ESM file in a fresh temporary folder. Vitest runs TypeScript, but piscina's worker threads are
 * plain Node, so a pool under test needs its worker built first.
 */
export async function buildWorker(entry: URL): Promise<BuiltWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'accent-lab-worker-'));
  const file = join(dir, 'worker.mjs');
  await build({
    entryPoints: [fileURLToPath(entry)],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // CommonJS packages in the bundle use require and __filename.
    banner: {
      js: [
        "import { createRequire as __createRequire } from 'node:module';",
        "import { fileURLToPath as __fileURLToPath } from 'node:url';",
        'const require = __createRequire(import.meta.url);',
        'const __filename = __fileURLToPath(import.meta.url);',
      ].join(' '),
    },
    logLevel: 'silent',
  });
  return { file, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** The real worker of the EnginePool. */
export const TRIAL_WORKER = new URL('../../src/node/trialWorker.ts', import.meta.url);
/** The real worker wrapped with test-only behaviours (see test/fixtures/faultyTrialWorker.ts). */
export const FAULTY_TRIAL_WORKER = new URL('../fixtures/faultyTrialWorker.ts', import.meta.url);
