import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import type { PaperValues, ReproductionReport } from '../../src/engine/reproduction/paper';
import { renderReport } from '../../src/cli/format';
import { TRIAL_CSV_COLUMNS } from '../../src/cli/outputs';
import { OUTPUT_FILES, runReproduction } from '../../src/cli/reproduce';
import type { ReproductionOptions } from '../../src/cli/reproduce';
import { loadPaperValues } from '../../src/cli/packageRoot';
import { buildWorker, FAULTY_TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { trialSpec } from '../helpers/trials';

// The reproduce command's pipeline on a handful of trials: the full 77-trial run has its own test.
let worker: BuiltWorker;
let scratch: string;

beforeAll(async () => {
  worker = await buildWorker(FAULTY_TRIAL_WORKER);
  scratch = await mkdtemp(join(tmpdir(), 'accent-lab-reproduce-'));
});

afterAll(async () => {
  await worker?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const paper = [
  trialSpec('Minprog/pure-copy', { strategy: 'pure-copy' }),
  trialSpec('Minprog/pure-iou/pf1', { strategy: 'pure-iou', prefetch: 1 }),
  trialSpec('PM-End/resident-set/pf3', { workload: 'PM-End', strategy: 'resident-set', prefetch: 3 }),
];
const breakeven = [
  trialSpec('breakeven/x/pure-copy', { workload: 'Chess', strategy: 'pure-copy' }),
  trialSpec('breakeven/x/pure-iou', { workload: 'Chess', strategy: 'pure-iou' }),
];

const stubReport: ReproductionReport = {
  tables: [
    {
      id: 'stub',
      title: 'Stub table: a number, a big number, a string',
      columns: ['Name', 'Seconds', 'Bytes', 'Text'],
      rows: [
        ['Minprog', 0.123456, 4228129280, 'a, "quoted" text'],
        ['Chess', 123.456, 7, '-'],
      ],
      note: 'A note under the table.',
    },
  ],
  fidelity: [
    {
      name: 'A check that passes',
      paper: 1,
      ours: 1.01,
      tolerance: '±5%',
      pass: true,
      claim: 't4-5-copy',
      section: '4.3.2',
      tier: 'calibrated',
      knob: 'bulk copy per page',
      replications: 10,
      replicationShare: 0.9,
    },
    {
      name: 'A check that misses',
      paper: 'about 25',
      ours: 'none in sweep',
      tolerance: '20 to 30',
      pass: false,
      claim: 'breakeven-25',
      section: '4.3.4',
      tier: 'prediction',
      replications: 10,
      replicationShare: 0.3,
      seedShare: 0.5,
      seeds: 30,
    },
    {
      name: 'An input restated',
      paper: 7,
      ours: 7,
      tolerance: 'exact',
      pass: true,
      claim: 't4-1',
      section: '4.2.1',
      tier: 'input',
      replications: 10,
      replicationShare: 1,
    },
  ],
};

function options(out: string, extra: Partial<ReproductionOptions> = {}): ReproductionOptions {
  const values: PaperValues = loadPaperValues();
  return {
    out: join(scratch, out),
    workers: 2,
    seed: 1987,
    paperTrials: paper,
    breakevenTrials: breakeven,
    paperValues: values,
    report: () => stubReport,
    workerFile: worker.file,
    ...extra,
  };
}

describe('runReproduction', () => {
  it('writes trials.csv, results.json, tables.json and fidelity.json', async () => {
    const seen: [string, number, number][] = [];
    const outcome = await runReproduction(
      options('basic', { onTrialDone: (result, done, total) => seen.push([result.id, done, total]) }),
    );
    expect(outcome.cancelled).toBe(false);
    expect(outcome.failed).toEqual([]);
    expect(outcome.report).toEqual(stubReport);
    expect(outcome.paperResults.map((result) => result.id)).toEqual(paper.map((spec) => spec.id));
    expect(outcome.breakevenResults.map((result) => result.id)).toEqual(breakeven.map((spec) => spec.id));
    expect(seen.map(([, done, total]) => [done, total])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 5]));

    const dir = join(scratch, 'basic');
    expect((await readdir(dir)).sort()).toEqual(Object.values(OUTPUT_FILES).sort());
    expect(outcome.files).toEqual(
      [OUTPUT_FILES.trials, OUTPUT_FILES.results, OUTPUT_FILES.tables, OUTPUT_FILES.fidelity].map((f) =>
        join(dir, f),
      ),
    );

    // trials.csv: the required leading columns, one row per trial, full-precision numbers.
    const csv = await readFile(join(dir, OUTPUT_FILES.trials), 'utf8');
    const header = csv.split('\n')[0]!.split(',');
    expect(header.slice(0, 20)).toEqual([
      'experiment',
      'representative',
      'strategy',
      'prefetch',
      'seed',
      'exciseSeconds',
      'insertSeconds',
      'coreTransferSeconds',
      'rimasTransferSeconds',
      'remoteExecSeconds',
      'endToEndSeconds',
      'bytesTotal',
      'bytesFault',
      'messages',
      'messageSecondsSource',
      'messageSecondsDest',
      'imaginaryFaults',
      'prefetchedPages',
      'prefetchHits',
      'pagesTouchedRemote',
    ]);
    expect(header).toEqual([...TRIAL_CSV_COLUMNS]);
    expect(header).toContain('ok');
    expect(header).toContain('error');
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['experiment'])).toEqual([
      'paper',
      'paper',
      'paper',
      'breakeven',
      'breakeven',
    ]);
    expect(rows.map((row) => row['ok'])).toEqual(['true', 'true', 'true', 'true', 'true']);
    const expected = runTrial(paper[1]!);
    expect(rows[1]).toMatchObject({
      representative: 'Minprog',
      strategy: 'pure-iou',
      prefetch: '1',
      seed: '1987',
      endToEndSeconds: String(expected.metrics!.endToEndSeconds),
      simulatedEvents: String(expected.metrics!.simulatedEvents),
      error: '',
    });

    // results.json: engine version, seed, every trial with metrics and series; no timestamp.
    const text = await readFile(join(dir, OUTPUT_FILES.results), 'utf8');
    const results = JSON.parse(text) as {
      engineVersion: string;
      seed: number;
      hardware: Record<string, unknown>;
      workloads: Record<string, unknown>;
      experiments: { paper: TrialResult[]; breakeven: TrialResult[] };
    };
    expect(results.engineVersion).toBe(ENGINE_VERSION);
    expect(results.seed).toBe(1987);
    expect(Object.keys(results.hardware)).toEqual(['perq-1987']);
    expect(Object.keys(results.workloads)).toEqual(['Minprog', 'PM-End', 'Chess']);
    expect(results.experiments.paper[1]).toEqual(expected);
    expect(results.experiments.breakeven).toHaveLength(2);
    expect(text).not.toMatch(/generatedAt|timestamp|date/i);

    expect(JSON.parse(await readFile(join(dir, OUTPUT_FILES.fidelity), 'utf8'))).toEqual(stubReport.fidelity);
    expect(JSON.parse(await readFile(join(dir, OUTPUT_FILES.tables), 'utf8'))).toEqual(stubReport.tables);
  });

  it('writes the same bytes whatever the number of workers', async () => {
    await runReproduction(options('one-worker', { workers: 1 }));
    await runReproduction(options('four-workers', { workers: 4 }));
    for (const file of Object.values(OUTPUT_FILES)) {
      const one = await readFile(join(scratch, 'one-worker', file));
      const four = await readFile(join(scratch, 'four-workers', file));
      expect(four.equals(one), file).toBe(true);
    }
  });

  it('reports a failed trial, keeps the others, and drops a report that cannot be built', async () => {
    const dir = join(scratch, 'failing');
    await runReproduction(options('failing'));
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const outcome = await runReproduction(
      options('failing', {
        paperTrials: [paper[0]!, trialSpec('throw:me'), paper[2]!],
        report: (results) => {
          const bad = results.find((result) => !result.ok);
          if (bad) throw new Error(`trial ${bad.id} failed: ${bad.error}`);
          return stubReport;
        },
      }),
    );
    expect(outcome.failed.map((result) => result.id)).toEqual(['throw:me']);
    expect(outcome.failed[0]?.error).toBe('the fixture worker was told to throw');
    expect(outcome.paperResults.map((result) => result.ok)).toEqual([true, false, true]);
    expect(outcome.report).toBeNull();
    expect(outcome.reportError).toMatch(/trial throw:me failed/);
    // The earlier run's tables and fidelity are gone; the rest of the folder is untouched.
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', OUTPUT_FILES.results, OUTPUT_FILES.trials]);
    const rows = parse(await readFile(join(dir, OUTPUT_FILES.trials), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows[1]).toMatchObject({
      ok: 'false',
      error: 'the fixture worker was told to throw',
      bytesTotal: '',
    });
  });

  it('writes nothing when cancelled', async () => {
    const controller = new AbortController();
    const outcome = await runReproduction(
      options('cancelled', {
        workers: 1,
        paperTrials: [paper[0]!, trialSpec('hang:1'), paper[1]!],
        signal: controller.signal,
        onTrialDone: (result) => {
          if (result.id === paper[0]!.id) setTimeout(() => controller.abort(), 50);
        },
      }),
    );
    expect(outcome.cancelled).toBe(true);
    expect(outcome.files).toEqual([]);
    await expect(readdir(join(scratch, 'cancelled'))).rejects.toThrow(/ENOENT/);
  });
});

describe('renderReport', () => {
  it('prints every table under its title, the fidelity list and the summary line last', () => {
    const text = renderReport(stubReport);
    expect(text).toContain('Stub table: a number, a big number, a string');
    expect(text).toContain('4,228,129,280');
    expect(text).toContain('0.123');
    expect(text).toContain('123.5');
    expect(text).toContain('Note: A note under the table.');
    expect(text).toMatch(/A check that passes.*PASS/);
    expect(text).toMatch(/A check that misses.*about 25.*none in sweep.*20 to 30.*MISS/);
    expect(text).toMatch(/A check that misses.*prediction.*MISS.*30%.*50% of 30/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'fidelity: predictions 0/1 (in >= 90% of seeds: 0/1) \u00b7 calibrated 1/1 \u00b7 disputed 0/0 shown \u00b7 inputs 1 restated',
    );
    // No colour codes: the output is the same in a terminal and in a file.
    expect(text).not.toContain('\u001b[');
  });
});
