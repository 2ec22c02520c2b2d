import { copyFileSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { traceWorkloadSpec } from '../../src/engine/workloads/trace';
import type { TraceWorkloadSource } from '../../src/engine/workloads/spec';
import { EnginePool } from '../../src/node/enginePool';
import { loadTrace, loadTraceForWorkload, TraceFormatError } from '../../src/node/traceImport';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';
import { countTrace, lackeyMissing, makeTinyTrace } from '../helpers/lackey';

const missing = lackeyMissing();
if (missing) console.warn(`skipping the lackey trace tests: ${missing}`);

describe.skipIf(missing !== null)('traces recorded with valgrind lackey', () => {
  let trace = '';
  let dir = '';
  let worker: BuiltWorker | undefined;

  beforeAll(async () => {
    trace = makeTinyTrace();
    dir = mkdtempSync(join(tmpdir(), 'accent-lab-trace-test-'));
    worker = await buildWorker(TRIAL_WORKER);
  }, 60_000);
  afterAll(async () => worker?.dispose());

  it.each([512, 4096])(
    'counts what an independent count of the raw trace finds (%i-byte pages)',
    async (page) => {
      const copy = join(dir, `count-${page}.trace`);
      copyFileSync(trace, copy);
      const { summary } = await loadTrace(copy, { pageSizeBytes: page });
      const expected = countTrace(copy, page);
      expect(summary.referencesByKind).toEqual({
        instruction: expected.I,
        load: expected.L,
        store: expected.S,
        modify: expected.M,
      });
      expect(summary.references).toBe(expected.references);
      expect(summary.instructions).toBe(expected.I);
      expect(summary.distinctPages).toBe(expected.distinctPages);
      expect(summary.references).toBeGreaterThan(10_000);
    },
  );

  it('reads gzip traces transparently, with the same counts', async () => {
    const gz = join(dir, 'tiny.trace.gz');
    writeFileSync(gz, gzipSync(readFileSync(trace)));
    const plain = await loadTrace(trace, { pageSizeBytes: 4096 });
    const zipped = await loadTrace(gz, { pageSizeBytes: 4096 });
    expect({ ...zipped.summary, path: '', sha256: '', fileBytes: 0 }).toEqual({
      ...plain.summary,
      path: '',
      sha256: '',
      fileBytes: 0,
    });
    expect(Array.from(zipped.pageReferences.references)).toEqual(Array.from(plain.pageReferences.references));
  });

  it('keeps a binary cache beside the trace, reuses it, and rebuilds it when the trace changes', async () => {
    const copy = join(dir, 'cached.trace');
    copyFileSync(trace, copy);
    const progress: number[] = [];
    const first = await loadTrace(copy, { pageSizeBytes: 512, onProgress: (read) => progress.push(read) });
    expect(first.fromCache).toBe(false);
    expect(first.cachePath).toBe(`${copy}.pages-512.bin`);
    expect(progress.at(-1)).toBe(statSync(copy).size);
    const second = await loadTrace(copy, { pageSizeBytes: 512 });
    expect(second.fromCache).toBe(true);
    expect(second.summary).toEqual(first.summary);
    expect(Array.from(second.pageReferences.references)).toEqual(Array.from(first.pageReferences.references));
    expect(Array.from(second.pageReferences.flags)).toEqual(Array.from(first.pageReferences.flags));
    expect(second.pageReferences.totalInstructions).toBe(first.pageReferences.totalInstructions);
    // Another page size has its own cache.
    expect((await loadTrace(copy, { pageSizeBytes: 4096 })).fromCache).toBe(false);
    // The trace changes (one line fewer): the stale cache is rebuilt.
    const lines = readFileSync(copy, 'utf8').split('\n');
    const firstAccess = lines.findIndex((line) => line.startsWith(' ') || line.startsWith('I'));
    lines.splice(firstAccess, 1);
    writeFileSync(copy, lines.join('\n'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(copy, later, later);
    const third = await loadTrace(copy, { pageSizeBytes: 512 });
    expect(third.fromCache).toBe(false);
    expect(third.summary.references).toBe(first.summary.references - 1);
  });

  it('gives the line number of a garbled line', async () => {
    const garbled = join(dir, 'garbled.trace');
    const lines = readFileSync(trace, 'utf8').split('\n');
    lines[99] = ' L 04016c20;8';
    writeFileSync(garbled, lines.join('\n'));
    const wrong = await loadTrace(garbled, { pageSizeBytes: 4096 }).then(
      () => new Error('imported'),
      (e: unknown) => e as Error,
    );
    expect(wrong.message).toMatch(/garbled\.trace, line 100: the address is not hexadecimal/);
    // The file's bytes are never repeated in a message (issue 14, finding 5).
    expect(wrong.message).not.toContain('04016c20');
    lines[99] = 'Q  04016c20,8';
    writeFileSync(garbled, lines.join('\n'));
    const error = await loadTrace(garbled, { pageSizeBytes: 4096 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).line).toBe(100);
  });

  it('gives the line number where a truncated trace ends, plain or gzip', async () => {
    const text = readFileSync(trace);
    const cut = text.indexOf(',', text.length / 2) - 2; // in the middle of an address
    const lineOfCut = text.subarray(0, cut).toString('latin1').split('\n').length;
    const truncated = join(dir, 'truncated.trace');
    writeFileSync(truncated, text.subarray(0, cut));
    await expect(loadTrace(truncated, { pageSizeBytes: 4096 })).rejects.toThrow(
      new RegExp(`line ${lineOfCut}: the trace ends in the middle of a line: the file is truncated`),
    );
    const gz = gzipSync(text);
    const truncatedGz = join(dir, 'truncated.trace.gz');
    writeFileSync(truncatedGz, gz.subarray(0, Math.floor(gz.length / 2)));
    await expect(loadTrace(truncatedGz, { pageSizeBytes: 4096 })).rejects.toThrow(
      /truncated\.trace\.gz, line \d+: .*(truncated|damaged)/,
    );
  });

  it('imports and runs every strategy through the engine pool', async () => {
    const hardware = hardwarePreset('modern-2025');
    const loaded = await loadTrace(trace, { pageSizeBytes: hardware.pageSizeBytes });
    const source: TraceWorkloadSource = {
      path: trace,
      sha256: loaded.summary.sha256,
      pageSizeBytes: hardware.pageSizeBytes,
      migrateAt: { fraction: 0.5 },
      instructionsPerSecond: 1e6,
    };
    const workload = traceWorkloadSpec('tiny', loaded.pageReferences, source, hardware.memory.framesPerHost);
    const pool = new EnginePool({ workerFile: worker!.file, workers: 2 });
    try {
      const results = await pool.runAll(
        (['pure-copy', 'pure-iou', 'resident-set'] as const).map((strategy) => ({
          id: `tiny/${strategy}`,
          workload,
          strategy,
          prefetch: 1,
          hardware,
          seed: 1,
        })),
      );
      for (const result of results) {
        expect(result.error).toBeUndefined();
        const metrics = result.metrics!;
        expect(metrics.references).toBeGreaterThan(1000);
        expect(metrics.realPages + metrics.realZeroPages).toBe(loaded.summary.distinctPages);
        expect(metrics.pagesTouchedNeverArrived).toBe(0);
        expect(metrics.pagesWithWrongContents).toBe(0);
        expect(metrics.pagesArrivedTwice).toBe(0);
      }
      const [copy, iou] = results.map((result) => result.metrics!);
      // Copy-on-reference ships only the pages touched after migration.
      expect(iou!.pagesDeliveredByFaults).toBeLessThan(copy!.pagesShippedAtMigration);
      expect(copy!.imaginaryFaults).toBe(0);

      // A notebook opened without its trace, or with another file under that name.
      const gone = await pool.runTrial({
        id: 'gone',
        workload: { ...workload, trace: { ...source, path: join(dir, 'no-such.trace') } },
        strategy: 'pure-iou',
        prefetch: 0,
        hardware,
        seed: 1,
      });
      expect(gone.ok).toBe(false);
      expect(gone.error).toMatch(/trace file not found: .*no-such\.trace/);
    } finally {
      await pool.close();
    }
    await expect(loadTraceForWorkload({ ...source, sha256: '0'.repeat(64) })).rejects.toThrow(
      /is not the file that was imported/,
    );
  });
});
