import { describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import {
  migrationRecord,
  TRACE_FIRST_IS_STORE,
  TRACE_WRITE,
  traceWorkload,
  traceWorkloadSpec,
} from '../../src/engine/workloads/trace';
import type { PageReferenceString } from '../../src/engine/workloads/trace';
import type { TraceWorkloadSource } from '../../src/engine/workloads/spec';
import { generateWorkload } from '../../src/engine/workloads/synthetic';
import { workloadProblems } from '../../src/engine/workloads/workload';
import { RandomStream } from '../../src/engine/kernel/random';
import { designProblems } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';

/** Virtual pages 100, 101, 102 (one run), 200 and 500; records as [page index, instructions, flags]. */
function makeTrace(records: [number, number, number][]): PageReferenceString {
  return {
    pageSizeBytes: 512,
    pages: Float64Array.from([100, 101, 102, 200, 500]),
    references: Uint32Array.from(records.map((r) => r[0])),
    instructions: Uint32Array.from(records.map((r) => r[1])),
    flags: Uint8Array.from(records.map((r) => r[2])),
    totalInstructions: records.reduce((sum, r) => sum + r[1], 0),
  };
}

const source = (fraction: number, extra: Partial<TraceWorkloadSource> = {}): TraceWorkloadSource => ({
  path: 'x.trace',
  sha256: 'a'.repeat(64),
  pageSizeBytes: 512,
  migrateAt: { fraction },
  instructionsPerSecond: 1000,
  ...extra,
});

// Before the migration point (10 instructions): pages 0, 1, 3. After: 3, 2 (first a store), 4 (a load), 0.
const TRACE = makeTrace([
  [0, 4, 0],
  [1, 3, TRACE_WRITE],
  [3, 3, 0],
  [3, 2, TRACE_WRITE],
  [2, 1, TRACE_WRITE | TRACE_FIRST_IS_STORE],
  [4, 5, 0],
  [0, 2, 0],
]);

describe('trace workloads', () => {
  it('migrates at the first record after the point', () => {
    expect(migrationRecord(TRACE, { instructions: 10 })).toBe(3);
    expect(migrationRecord(TRACE, { fraction: 0 })).toBe(0);
    expect(migrationRecord(TRACE, { fraction: 1 })).toBe(7);
    expect(migrationRecord(TRACE, { instructions: 11 })).toBe(4);
  });

  it('compacts pages, keeps neighbours, and classifies them as the trace shows', () => {
    const made = traceWorkload(TRACE, source(0.5), 2);
    // 100,101,102 -> 0,1,2; a hole; 200 -> 4; a hole; 500 -> 6.
    expect(made.ranges).toEqual([
      { start: 0, end: 2, distance: 'RealMem' },
      { start: 2, end: 3, distance: 'RealZeroMem' },
      { start: 4, end: 5, distance: 'RealMem' },
      { start: 6, end: 7, distance: 'RealMem' },
    ]);
    expect(made.realPages).toEqual([0, 1, 4, 6]);
    // The two most recently touched before migration: 200 (record 2) and 101 (record 1).
    expect(made.residentPages).toEqual([1, 4]);
    expect(Array.from(made.references)).toEqual([4, 2, 6, 0]);
    expect(Array.from(made.secondsBefore!)).toEqual([0.002, 0.001, 0.005, 0.002]);
    expect(Array.from(made.writes!)).toEqual([1, 1, 0, 0]);
    expect([...made.touchedPages].sort()).toEqual([0, 4, 6]);
    expect(made.composition).toMatchObject({ realPages: 4, realZeroPages: 1, instructionsAfter: 10 });
  });

  it('needs its page references and the hardware page size', () => {
    const spec = traceWorkloadSpec('t', TRACE, source(0.5), 2048);
    expect(workloadProblems(spec, 512)).toEqual([]);
    expect(workloadProblems(spec, 4096).join()).toMatch(/trace.pageSizeBytes \(512\) differs/);
    // @ts-expect-error a trace is not generated: its type says so, and so does a caller without types
    expect(() => generateWorkload(spec, 512, RandomStream.fromSeed(1))).toThrow(/is a trace/);
    const trial = {
      id: 't',
      workload: spec,
      strategy: 'pure-iou' as const,
      prefetch: 0,
      hardware: hardwarePreset('perq-1987'),
      seed: 1,
    };
    expect(() => runTrial(trial)).toThrow(/page references of x\.trace were not loaded/);
    const result = runTrial(trial, { pageReferences: TRACE });
    expect(result.ok).toBe(true);
    expect(result.metrics).toMatchObject({
      references: 4,
      realPages: 4,
      realZeroPages: 1,
      fillZeroFaults: 1,
    });
    // Compute is the instructions after migration at 1000 per second, plus the faults.
    expect(result.metrics!.remoteExecSeconds).toBeGreaterThan(0.01);
  });

  it('cannot be swept over the touched fraction, which the trace fixes', () => {
    const design: ExperimentDesign = {
      name: 'd',
      representatives: [],
      customWorkloads: [traceWorkloadSpec('t', TRACE, source(0.5), 2048)],
      strategies: ['pure-copy', 'pure-iou'],
      prefetchValues: [0],
      hardware: hardwarePreset('perq-1987'),
      seed: 1,
      repetitions: 1,
    };
    expect(designProblems(design)).toEqual([]);
    const swept: ExperimentDesign = {
      ...design,
      sensitivity: {
        parameter: 'touched-fraction',
        values: [0.1, 0.5],
        compare: ['pure-copy', 'pure-iou pf0'],
        metric: 'endToEndSeconds',
      },
    };
    expect(designProblems(swept).join()).toMatch(
      /the touched fraction of the trace workload t cannot be varied/,
    );
  });
});
