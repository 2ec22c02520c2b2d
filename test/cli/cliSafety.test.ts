import { chmod, mkdir, mkdtemp, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotebookService } from '../../src/main/services/notebookService';
import { MAX_NOTEBOOK_FILE_BYTES } from '../../src/node/notebookFile';
import { buildCliIfStale, cli } from '../helpers/cli';
import { sampleExperiment, sampleNotebook } from '../helpers/designs';

// The built CLI against bad output folders, oversized notebooks and hostile names (issue 14,
// finding 8): each refused at once with a clear message, nothing run, nothing printed raw.

let dir: string;
let notebookPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-cli-safety-'));
  await buildCliIfStale();
  const notebook = sampleNotebook();
  sampleExperiment(notebook).design.representatives = ['Minprog'];
  notebookPath = join(dir, 'study.accentlab');
  await new NotebookService({ settingsDir: join(dir, 'settings') }).save(notebook, notebookPath);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every control character but the line break (C0, DEL, C1). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('an output folder that cannot be written is found before anything runs', () => {
  it('run --out under a file: exit 1 naming the folder and why, no trial run, no store made', async () => {
    const blocker = join(dir, 'a-file');
    await writeFile(blocker, 'not a folder');
    const out = join(blocker, 'results');
    const outcome = await cli('run', notebookPath, '--out', out, '--workers', '1', '--quiet');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `accent-lab: cannot write to the output folder ${out}: part of the path is not a folder`,
    );
    expect(outcome.stderr).not.toMatch(/to run|estimate|checking the store/);
    expect(await readdir(dir)).not.toContain('study.results.duckdb');
  });

  it.skipIf(process.getuid?.() === 0)('run --out into a read-only folder (not as root)', async () => {
    const readOnly = join(dir, 'read-only');
    await mkdir(readOnly);
    await chmod(readOnly, 0o555);
    const outcome = await cli('run', notebookPath, '--out', readOnly, '--workers', '1', '--quiet');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`cannot write to the output folder ${readOnly}: permission denied`);
    expect(await readdir(readOnly)).toEqual([]);
  });

  it('reproduce, and make-notebook onto a folder, refuse before their trials', async () => {
    const started = Date.now();
    const reproduce = await cli('reproduce', '--out', join(dir, 'a-file', 'out'), '--quiet');
    expect(reproduce.code).toBe(1);
    expect(reproduce.stderr).toMatch(/cannot write to the output folder .*a-file\/out: part of the path/);
    expect(reproduce.stderr).not.toMatch(/paper trials/);
    await mkdir(join(dir, 'a-folder.accentlab'));
    const make = await cli('make-notebook', '--out', join(dir, 'a-folder.accentlab'), '--quiet');
    expect(make.code).toBe(1);
    expect(make.stderr).toContain(`cannot write ${join(dir, 'a-folder.accentlab')}: a folder has that name`);
    // The reproduction runs 600-odd trials; refused, neither took the time of one.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('the CLI reads a notebook as the app reads a notebook', () => {
  it(`refuses a notebook over ${MAX_NOTEBOOK_FILE_BYTES / 1024 / 1024} MiB by its size, and a folder`, async () => {
    const huge = join(dir, 'huge.accentlab');
    await writeFile(huge, '');
    await truncate(huge, MAX_NOTEBOOK_FILE_BYTES + 1); // sparse: no disk used
    for (const command of [
      ['run', huge],
      ['tables', huge, '--out', join(dir, 'tables')],
    ]) {
      const outcome = await cli(...command);
      expect(outcome.code, command.join(' ')).toBe(1);
      expect(outcome.stderr).toContain(
        `cannot open ${huge}: the file is too large: 100 MiB (104,857,601 bytes); notebook files may be at most 100 MiB (104,857,600 bytes)`,
      );
    }
    const folder = await cli('run', dir);
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain(`cannot open ${dir}: it is not a file`);
  });
});

describe('text from a file is printed without control characters', () => {
  it('run-trial on a trace whose name holds escapes prints its name made harmless', async () => {
    const name = 'ev\u001b[31mil\u0007\u009b2J';
    const trace = join(dir, `${name}.trace`);
    await writeFile(trace, 'I  04001000,3\n S 04002000,8\n L 04003000,4\nI  04001003,2\n M 04002000,8\n');
    const trial = await cli(
      'run-trial',
      '--trace',
      trace,
      '--migrate-at',
      '0.5',
      '--strategy',
      'pure-iou',
      '--prefetch',
      '0',
      '--hardware',
      'modern-2025',
    );
    expect(trial.code).toBe(0);
    expect(trial.stdout).toMatch(/^ev\?\[31mil\?\?2J, pure-iou, prefetch 0, modern-2025, seed 1987: ok\n/);
    expect(trial.stdout).not.toMatch(CONTROL);
    expect(trial.stderr).not.toMatch(CONTROL);
    const info = await cli('trace-info', trace, '--page-size', '4096');
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('ev?[31mil??2J.trace (sha256 ');
    expect(info.stdout + info.stderr).not.toMatch(CONTROL);
  });

  it('trace-info on a folder says which folder, printably', async () => {
    const folder = join(dir, 'traces\u001b]0;owned\u0007');
    await mkdir(folder);
    const outcome = await cli('trace-info', folder, '--page-size', '4096');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      `accent-lab: ${join(dir, 'traces?]0;owned?')} is not a regular file: only trace files are read\n`,
    );
  });
});
