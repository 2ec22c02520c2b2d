import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaperValues } from '../engine/reproduction/paper';
import { messageOf } from '../shared/messageOf';

const PACKAGE_NAME = 'accent-migration-lab';

/**
 * The package root: the nearest folder above `from` whose package.json is this project's. Works
 * from the bundle (out/cli/main.js) and from the TypeScript sources (src/cli/*.ts, in tests).
 */
export function findPackageRoot(from: string | URL = import.meta.url): string {
  let dir = dirname(from instanceof URL || from.startsWith('file:') ? fileURLToPath(from) : from);
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (name === PACKAGE_NAME) return dir;
      } catch {
        // Not a readable manifest: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${String(from)}`);
    dir = parent;
  }
}

/** resources/paper/zayas-1987.json: the values the paper publishes. */
export function paperValuesFile(root: string = findPackageRoot()): string {
  return join(root, 'resources', 'paper', 'zayas-1987.json');
}

export function loadPaperValues(file: string = paperValuesFile()): PaperValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the paper's values from ${file}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const values = parsed as Partial<PaperValues> | null;
  if (typeof values !== 'object' || values === null || !Array.isArray(values.representatives)) {
    throw new Error(`${file} does not hold the paper's values (no "representatives" list)`);
  }
  // The claims register lies beside the values (resources/paper/claims.json).
  const claimsFile = join(dirname(file), 'claims.json');
  let claims: unknown;
  try {
    claims = (JSON.parse(readFileSync(claimsFile, 'utf8')) as { claims?: unknown }).claims;
  } catch (error) {
    throw new Error(`cannot read the claims register from ${claimsFile}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (!Array.isArray(claims)) throw new Error(`${claimsFile} holds no "claims" list`);
  return { ...(values as PaperValues), claims: claims as PaperValues['claims'] };
}

/**
 * The worker module for the EnginePool: out/cli/trialWorker.js beside the bundled main.js, or,
 * when running from the sources, the one the CLI build wrote under the package root.
 */
export function defaultWorkerFile(): string {
  const beside = fileURLToPath(new URL('./trialWorker.js', import.meta.url));
  if (existsSync(beside)) return beside;
  return join(findPackageRoot(), 'out', 'cli', 'trialWorker.js');
}

/** The version in the package root's package.json. */
export function packageVersion(root: string = findPackageRoot()): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof version === 'string' ? version : '0.0.0';
}
