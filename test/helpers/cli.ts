import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The built command line, run as a user would: node bin/accent-lab.js. `npm test` builds it first;
 * when the bundle is missing or older than the sources (vitest run on its own), it is rebuilt.
 */
export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Build out/cli when it is missing or older than any source it is made from. */
export async function buildCliIfStale(): Promise<void> {
  const bundles = ['main.js', 'trialWorker.js', 'traceImporter.js'].map((name) =>
    join(repositoryRoot, 'out', 'cli', name),
  );
  const built = bundles.every(existsSync) ? Math.min(...bundles.map((file) => statSync(file).mtimeMs)) : 0;
  const sources = Math.max(
    ...['src/cli', 'src/main', 'src/node', 'src/engine', 'src/shared'].map((dir) =>
      newestSource(join(repositoryRoot, dir)),
    ),
  );
  if (built < sources) {
    await run(process.execPath, [join(repositoryRoot, 'scripts', 'build-cli.mjs')], { cwd: repositoryRoot });
  }
}

/** Run `accent-lab ARGS` from the repository root; a non-zero exit is an outcome, not an error. */
export async function cli(...args: string[]): Promise<CliOutcome> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repositoryRoot, 'bin', 'accent-lab.js'), ...args],
      { cwd: repositoryRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
