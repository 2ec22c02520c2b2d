import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { representative } from '../../src/engine/workloads/representatives';
import { buildCliIfStale, cli, repositoryRoot } from '../helpers/cli';

// Runs the built CLI as a user would (see ../helpers/cli).

beforeAll(async () => {
  await buildCliIfStale();
});

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
      /prefetch must be a whole number of pages from 0 to 1,024/,
    ],
    [
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', 'x'],
      /prefetch must be a whole number of pages from 0 to 1,024/,
    ],
    [
      // The bound designs have (issue 14, finding 8).
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', '1025'],
      /prefetch must be a whole number of pages from 0 to 1,024/,
    ],
    [
      ['--workload', 'Minprog', '--strategy', 'pure-iou', '--prefetch', '1', '--trial-timeout', '0'],
      /trial timeout must be a whole number of seconds from 1 to 2147483/,
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

describe('Ctrl-C', () => {
  it('stops reproduce and make-notebook between trials, writing nothing, with exit code 130', async () => {
    const out = await mkdtemp(join(tmpdir(), 'accent-lab-interrupt-'));
    try {
      for (const args of [
        ['reproduce', '--out', join(out, 'reproduce'), '--workers', '1'],
        [
          'make-notebook',
          '--notebook',
          'beyond-1987',
          '--out',
          join(out, 'beyond.accentlab'),
          '--workers',
          '1',
        ],
      ]) {
        const child = spawn(process.execPath, [join(repositoryRoot, 'bin', 'accent-lab.js'), ...args], {
          cwd: repositoryRoot,
        });
        let stderr = '';
        let interrupted = false;
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          // Interrupt once, when the first tenth of the trials has finished (a second Ctrl-C kills).
          if (!interrupted && /: \d+\/\d+ trials/.test(stderr)) {
            interrupted = true;
            child.kill('SIGINT');
          }
        });
        const code = await new Promise<number | null>((done) => child.on('close', done));
        expect(code).toBe(130);
        expect(stderr).toMatch(/interrupted; (no files written|nothing written)\n$/);
        expect(stderr).not.toMatch(/failed/);
      }
      expect(await readdir(out)).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
