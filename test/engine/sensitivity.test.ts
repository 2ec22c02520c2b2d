import { describe, expect, it } from 'vitest';
import {
  countTrials,
  designProblems,
  designVariants,
  expandDesign,
} from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import {
  interpolateBreakeven,
  sweepBreakevens,
  isGeometric,
  sweepValues,
  workloadAt,
} from '../../src/engine/experiment/sensitivity';
import type { SensitivitySweep } from '../../src/engine/experiment/sensitivity';
import { generateTrialWorkload, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { REPRESENTATIVES } from '../../src/engine/workloads/representatives';
import { workloadProblems } from '../../src/engine/workloads/workload';
import { smallDesign } from '../helpers/designs';
import { madeUpResult } from '../helpers/trials';

describe('common random numbers', () => {
  it('give every strategy the same process and reference string at one replication', () => {
    const design = smallDesign({
      strategies: ['pure-copy', 'pure-iou', 'resident-set'],
      prefetchValues: [0, 2],
      repetitions: 3,
    });
    const specs = expandDesign(design);
    const byReplication = new Map<number, number[][]>();
    for (const spec of specs) {
      const references = Array.from(generateTrialWorkload(spec).references);
      byReplication.set(spec.replication!, [...(byReplication.get(spec.replication!) ?? []), references]);
    }
    const strings = [...byReplication.values()];
    expect(strings).toHaveLength(3);
    for (const perStrategy of strings) {
      expect(perStrategy).toHaveLength(5);
      for (const references of perStrategy) expect(references).toEqual(perStrategy[0]);
    }
    // ...and different processes in different replications.
    expect(strings[0]![0]).not.toEqual(strings[1]![0]);
    // runTrial migrates that process: every strategy's trial touches the same pages.
    const replication1 = specs.filter((spec) => spec.replication === 1).map((spec) => runTrial(spec));
    const touched = replication1.map((result) => [
      result.metrics!.references,
      result.metrics!.pagesTouchedRemote,
    ]);
    for (const pair of touched) expect(pair).toEqual(touched[0]);
    expect(touched[0]![0]).toBe(byReplication.get(1)![0]!.length);
  });
});

const sweep = (changes: Partial<SensitivitySweep> = {}): SensitivitySweep => ({
  parameter: 'network-bits-per-second',
  values: [1e6, 1e7],
  compare: ['pure-copy', 'pure-iou pf0'],
  metric: 'endToEndSeconds',
  ...changes,
});

const sweepDesign = (changes: Partial<SensitivitySweep> = {}, design: Partial<ExperimentDesign> = {}) =>
  smallDesign({ sensitivity: sweep(changes), ...design });

describe('sensitivity sweep designs', () => {
  it('expand once per parameter value, with the value on the trial', () => {
    const design = sweepDesign({ values: [1e6, 2e6, 1e7] }, { repetitions: 2 });
    const trials = expandDesign(design);
    expect(countTrials(design)).toBe(3 * 3 * 2);
    expect(trials).toHaveLength(18);
    expect(new Set(trials.map((trial) => trial.id)).size).toBe(18);
    expect(trials[0]!.id).toBe('network-bits-per-second=1000000/Minprog/pure-copy');
    expect(trials.map((trial) => trial.parameterValue)).toContain(2e6);
    for (const trial of trials) expect(trial.hardware.network.bitsPerSecond).toBe(trial.parameterValue);
    expect(design.hardware.network.bitsPerSecond).toBe(10_000_000);
    expect(designVariants(design)).toEqual(['pure-copy', 'pure-iou pf0', 'pure-iou pf1']);
  });

  it('set each parameter where the engine reads it', () => {
    const at = (parameter: SensitivitySweep['parameter'], values: number[]) =>
      expandDesign(sweepDesign({ parameter, values }));
    expect(at('imaginary-fault-overhead-ms', [5, 50]).at(-1)!.hardware.cpu.imaginaryFaultOverheadMs).toBe(50);
    expect(at('disk-read-ms', [5, 50]).at(-1)!.hardware.disk.randomReadMs).toBe(50);
    const pages = at('page-size-bytes', [512, 4096]).at(-1)!;
    expect(pages.hardware.pageSizeBytes).toBe(4096);
    expect(pages.workload.realBytes % 4096).toBe(0);
    const touched = at('touched-fraction', [0.1, 0.9]);
    expect(touched[0]!.workload.touchedFractionOfReal).toBe(0.1);
    expect(touched.at(-1)!.workload.touchedFractionOfReal).toBe(0.9);
    // Every representative stays a valid workload over the whole range, and still runs at the ends.
    for (const workload of REPRESENTATIVES) {
      for (const value of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
        const changed = workloadAt(workload, 'touched-fraction', value);
        expect(workloadProblems(changed, 512), `${workload.name} at ${value}`).toEqual([]);
      }
    }
    const full = expandDesign(
      sweepDesign(
        { parameter: 'touched-fraction', values: [0, 1], compare: ['pure-iou pf0', 'pure-iou pf1'] },
        { strategies: ['pure-iou'] },
      ),
    ).map((spec) => runTrial(spec));
    expect(full.map((result) => result.ok)).toEqual([true, true, true, true]);
  });

  it('explain what is wrong with a sweep', () => {
    expect(designProblems(sweepDesign())).toEqual([]);
    expect(designProblems(sweepDesign({ values: [1e6] }))).toContain(
      'sensitivity: give at least two parameter values',
    );
    expect(designProblems(sweepDesign({ values: [1e6, 1e6] }))).toContain(
      'sensitivity: the parameter values must differ',
    );
    expect(designProblems(sweepDesign({ parameter: 'page-size-bytes', values: [512, 1000] })).join()).toMatch(
      /page size must be a power of two/,
    );
    expect(designProblems(sweepDesign({ parameter: 'touched-fraction', values: [0.5, 1.5] })).join()).toMatch(
      /touched fraction of RealMem must be from 0 to 1/,
    );
    expect(designProblems(sweepDesign({ compare: ['pure-copy', 'resident-set pf0'] })).join()).toMatch(
      /"resident-set pf0" is not a strategy the design runs/,
    );
    expect(designProblems(sweepDesign({ compare: ['pure-copy', 'pure-copy'] }))).toContain(
      'sensitivity: compare two different strategies',
    );
    expect(() => expandDesign(sweepDesign({ values: [0, 1e6] }))).toThrow(/network speed must be a positive/);
  });
});

describe('sweep ranges', () => {
  it('space values evenly, or take the powers of two for the page size', () => {
    expect(sweepValues('touched-fraction', { from: 0.1, to: 0.5, steps: 5 })).toEqual([
      0.1, 0.2, 0.3, 0.4, 0.5,
    ]);
    expect(sweepValues('network-bits-per-second', { from: 1e6, to: 2e6, steps: 3 })).toEqual([
      1e6, 1.5e6, 2e6,
    ]);
    expect(sweepValues('page-size-bytes', { from: 300, to: 4096, steps: 2 })).toEqual([
      512, 1024, 2048, 4096,
    ]);
    expect(sweepValues('disk-read-ms', { from: 5, to: 9, steps: 1 })).toEqual([5]);
    const logarithmic = sweepValues('network-bits-per-second', {
      from: 1e5,
      to: 1e8,
      steps: 4,
      logarithmic: true,
    });
    expect(logarithmic).toEqual([1e5, 1e6, 1e7, 1e8]);
    expect(isGeometric(logarithmic)).toBe(true);
    expect(isGeometric([1e6, 1.5e6, 2e6])).toBe(false);
    expect(isGeometric([512, 1024])).toBe(false);
  });
});

describe('breakeven', () => {
  it('interpolates linearly between the values that bracket the change of sign', () => {
    // f = 4 at 1, -2 at 4: zero at 1 + 3 * 4/6 = 3.
    expect(
      interpolateBreakeven([
        { value: 4, difference: -2 },
        { value: 1, difference: 4 },
        { value: 8, difference: -5 },
      ]),
    ).toBe(3);
  });

  it('is the value itself on an exact hit, and null without a crossing', () => {
    expect(
      interpolateBreakeven([
        { value: 1, difference: 2 },
        { value: 2, difference: 0 },
        { value: 3, difference: -1 },
      ]),
    ).toBe(2);
    expect(
      interpolateBreakeven([
        { value: 1, difference: 2 },
        { value: 2, difference: 1 },
      ]),
    ).toBeNull();
    expect(interpolateBreakeven([])).toBeNull();
  });

  const result = (
    strategy: TrialResult['strategy'],
    parameterValue: number,
    replication: number,
    endToEndSeconds: number,
  ): TrialResult => madeUpResult({ strategy, replication, parameterValue, metrics: { endToEndSeconds } });

  it('is found from a sweep’s results on the paired mean difference', () => {
    // pure-copy - pure-iou: +2 at 1e6 (pure-iou better), -2 at 3e6 (pure-copy better).
    const results = [
      result('pure-copy', 1e6, 0, 10),
      result('pure-copy', 1e6, 1, 12),
      result('pure-iou', 1e6, 0, 8),
      result('pure-iou', 1e6, 1, 10),
      result('pure-copy', 3e6, 0, 6),
      result('pure-copy', 3e6, 1, 6),
      result('pure-iou', 3e6, 0, 8),
      result('pure-iou', 3e6, 1, 8),
    ];
    const [found] = sweepBreakevens(sweep({ values: [1e6, 3e6] }), results);
    expect(found!.workload).toBe('W');
    expect(found!.differences.map((point) => point.difference.mean)).toEqual([2, -2]);
    expect(found!.breakeven).toBe(2e6);
    expect(found!.description).toBe(
      'breakeven at 2000000 bits/s: pure-iou pf0 is better below, pure-copy above',
    );
    const [none] = sweepBreakevens(sweep({ values: [1e6] }), results);
    expect(none!.breakeven).toBeNull();
    expect(none!.description).toBe('no breakeven in range');
  });

  it('is given only where both sides of its bracket have results (a partial sweep says so)', () => {
    const results = [
      result('pure-copy', 1e6, 0, 10),
      result('pure-iou', 1e6, 0, 8),
      result('pure-copy', 4e6, 0, 6),
      result('pure-iou', 4e6, 0, 8),
    ];
    // 2e6 and 3e6 did not run: the change of sign between 1e6 and 4e6 has no bracket.
    const [gap] = sweepBreakevens(sweep({ values: [1e6, 2e6, 3e6, 4e6] }), results);
    expect(gap!.breakeven).toBeNull();
    expect(gap!.description).toBe(
      'no breakeven where there are results (partial: 2 of 4 values have results for both)',
    );
    // With its neighbours run, the same change of sign is a breakeven.
    const [whole] = sweepBreakevens(sweep({ values: [1e6, 4e6] }), results);
    expect(whole!.breakeven).toBe(2.5e6);
  });
});
