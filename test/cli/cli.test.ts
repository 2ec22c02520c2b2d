import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { representative } from '../../src/engine/workloads/representatives';

// Runs the built CLI as a user would: node bin/accent-lab.js. `npm test` builds it first; when
// the bundle is missing or older than the sources (vitest run on its own), it is rebuilt here.
const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

beforeAll(async () => {
  const bundles = ['main.js', 'trialWorker.js'].map((name) => join(root, 'out', 'cli', name));
  const built = bundles.every(existsSync) ? Math.min(...bundles.map((file) => statSync(file).mtimeMs)) : 0;
  const sources = Math.max(
    ...['src/cli', 'src/main', 'src/engine', 'src/shared'].map((dir) => newestSource(join(root, dir))),
  );
  if (built < sources) await run(process.execPath, [join(root, 'scripts', 'build-cli.mjs')], { cwd: root });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'accent-lab.js'), ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('accent-lab run-trial', () => {
  it('runs one trial and prints its result as JSON', async () => {
    const { code, stdout, stderr } = await cli(
      'run-trial',
      '--workload',
      'Minprog',
      '--strategy',
      'pure-iou',
      '--prefetch',
      '1',
      '--json',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as TrialResult;
    expect(result).toMatchObject({
      workload: 'Minprog',
      strategy: 'pure-iou',
      prefetch: 1,
      hardware: 'perq-1987',
      seed: 1987,
      ok: true,
    });
    expect(result.metrics?.references).toBeGreaterThan(0);
    expect(result.metrics?.pagesWithWrongContents).toBe(0);
    // The same trial run here, from the sources, gives the same result.
    const expected = runTrial({
      id: result.id,
      workload: representative('Minprog'),
      strategy: 'pure-iou',
      prefetch: 1,
      hardware: hardwarePreset('perq-1987'),
      seed: 1987,
    });
    expect(result).toEqual(expected);
  });

  it('prints a metrics table without --json, and takes --hardware and --seed', async () => {
    const { code, stdout } = await cli(
      'run-trial',
      '--workload=PM-End',
      '--strategy=resident-set',
      '--prefetch=3',
      '--hardware=perq-1987',
      '--seed=42',
    );
    expect(code).toBe(0);
    expect(stdout).toContain('PM-End, resident-set, prefetch 3, perq-1987, seed 42: ok');
    expect(stdout).toMatch(/endToEndSeconds\s+│\s+[\d.,]+/);
  });

  it.each([
    [
      ['--workload', 'Nope', '--strategy', 'pure-iou', '--prefetch', '1'],
      /Allowed choices are Minprog, Lisp-T/,
    ],
    [['--workload', 'Minprog', '--strategy', 'teleport', '--prefetch', '1'], /Allowed choices are pure-copy/],
    [
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', '-1'],
      /prefetch must be a non-negative/,
    ],
    [
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', 'x'],
      /prefetch must be a non-negative/,
    ],
    [
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', '1', '--hardware', 'cray'],
      /Allowed choices are perq-1987, modern-2025/,
    ],
    [['--workload', 'Minprog', '--strategy', 'pure-iou'], /required option '--prefetch <n>' not specified/],
    [['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', '1', '--seed', '2.5'], /seed must be/],
  ])('rejects bad arguments with exit code 2: %j', async (args, message) => {
    const { code, stdout, stderr } = await cli('run-trial', ...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: /);
    expect(stderr).toMatch(message);
  });
});

describe('accent-lab reproduce argument checks (nothing runs)', () => {
  it.each([
    [['--workers', '0'], /workers must be an integer from 1 to 64/],
    [['--workers', '65'], /workers must be an integer from 1 to 64/],
    [['--workers', 'two'], /workers must be an integer from 1 to 64/],
    [['--workers', '1.5'], /workers must be an integer from 1 to 64/],
    [['--seed', 'abc'], /seed must be an integer/],
    [['--seed', '9007199254740992'], /seed must be an integer/],
    [['--trial-timeout', '0'], /trial timeout must be a whole number of seconds from 1 to 2147483/],
    [['--trial-timeout', '1.5'], /trial timeout must be a whole number of seconds/],
    [['--trial-timeout', 'soon'], /trial timeout must be a whole number of seconds/],
    [['--bogus'], /unknown option '--bogus'/],
    [['extra'], /too many arguments/],
  ])('rejects %j with exit code 2', async (args, message) => {
    const { code, stderr } = await cli('reproduce', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('accent-lab', () => {
  it('rejects an unknown command and a missing one with exit code 2', async () => {
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/reproduce/);
  });

  it('prints help and the version with exit code 0', async () => {
    const help = await cli('reproduce', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--workers <n>/);
    expect(help.stdout).toMatch(/--strict/);
    const version = await cli('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+ \(engine /);
  });
});
