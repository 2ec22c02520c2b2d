import { describe, expect, it } from 'vitest';
import { lossRiskCurves, lostByCrashAt } from '../../src/engine/experiment/lossRisk';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialSpec } from '../../src/engine/experiment/trial';
import { ETHERNET_1G_2025, PERQ_1987 } from '../../src/engine/hardware/presets';
import type { HardwarePreset } from '../../src/engine/hardware/presets';
import { representative } from '../../src/engine/workloads/representatives';
import { workloadForPageSize } from '../../src/engine/workloads/workload';

function spec(
  workload: string,
  strategy: TrialSpec['strategy'],
  extra: Partial<TrialSpec> = {},
  hardware: HardwarePreset = PERQ_1987,
): TrialSpec {
  return {
    id: `${workload}/${strategy}`,
    workload: workloadForPageSize(representative(workload), hardware.pageSizeBytes),
    strategy,
    prefetch: 1,
    hardware,
    seed: 1987,
    ...extra,
  };
}

function metricsOf(trial: TrialSpec) {
  const result = runTrial(trial);
  expect(result.ok, result.error).toBe(true);
  return result.metrics!;
}

describe('pre-copy', () => {
  for (const [workload, hardware] of [
    ['PM-End', PERQ_1987],
    ['PM-Mid', PERQ_1987],
    ['Chess', ETHERNET_1G_2025],
  ] as const) {
    it(`ships every RealMem page at least once and re-sends only dirtied ones (${workload}, ${hardware.name})`, () => {
      const m = metricsOf(spec(workload, 'pre-copy', {}, hardware));
      expect(m.preCopyRounds).toBeGreaterThanOrEqual(1);
      // Distinct pages that arrived are all the RealMem the process had at the freeze.
      expect(m.pagesShippedAtMigration - m.pagesResent!).toBe(m.realPages);
      // No page arrived more often than once plus once per write after it was sent.
      expect(m.pagesArrivedTwice).toBe(0);
      expect(m.pagesTouchedNeverArrived).toBe(0);
      expect(m.pagesWithWrongContents).toBe(0);
      expect(m.imaginaryFaults).toBe(0);
      expect(m.residualDependencySeconds).toBe(0);
    });
  }

  it('re-sends pages written during the rounds, and none when nothing is written', () => {
    const written = metricsOf(spec('PM-End', 'pre-copy'));
    expect(written.pagesResent).toBeGreaterThan(0);
    const workload = { ...representative('PM-End'), writeFraction: 0 };
    const readOnly = metricsOf({ ...spec('PM-End', 'pre-copy'), workload });
    expect(readOnly.pagesResent).toBe(0);
    expect(readOnly.pagesShippedAtMigration).toBe(readOnly.realPages);
  });

  it('freezes the process only for the last round: downtime far below pure-copy', () => {
    const pre = metricsOf(spec('PM-End', 'pre-copy'));
    const copy = metricsOf(spec('PM-End', 'pure-copy'));
    expect(pre.downtimeSeconds!).toBeLessThan(copy.downtimeSeconds! / 2);
    expect(copy.downtimeSeconds).toBeCloseTo(
      copy.exciseSeconds + copy.transferSeconds + copy.insertSeconds,
      6,
    );
  });

  it('stops the rounds at the round limit', () => {
    const m = metricsOf(
      spec('Chess', 'pre-copy', { strategyOptions: { preCopyMaxRounds: 1, preCopyStopPages: 0 } }),
    );
    expect(m.preCopyRounds).toBe(1);
    const more = metricsOf(
      spec('Chess', 'pre-copy', { strategyOptions: { preCopyMaxRounds: 2, preCopyStopPages: 0 } }),
    );
    expect(more.preCopyRounds).toBe(2);
  });
});

describe('post-copy', () => {
  for (const [workload, hardware, prefetch] of [
    ['PM-End', PERQ_1987, 0],
    ['Lisp-T', PERQ_1987, 3],
    ['Chess', PERQ_1987, 1],
    ['Lisp-Del', ETHERNET_1G_2025, 1],
  ] as const) {
    it(`never sends a page twice, and every touched page arrives intact (${workload}, ${hardware.name}, PF${prefetch})`, () => {
      const m = metricsOf(spec(workload, 'post-copy', { prefetch }, hardware));
      expect(m.pagesResent).toBe(0);
      expect(m.pagesArrivedTwice).toBe(0);
      expect(m.pagesTouchedNeverArrived).toBe(0);
      expect(m.pagesWithWrongContents).toBe(0);
      expect(m.preCopyRounds).toBe(0);
    });
  }

  it('pushes every owed page before a long-running process exits, then releases the source', () => {
    const m = metricsOf(spec('Chess', 'post-copy'));
    expect(m.pagesShippedAtMigration + m.pagesDeliveredByFaults).toBe(m.realPages);
    expect(m.sourceReleaseSeconds!).toBeLessThan(m.totalSeconds);
    expect(m.totalMigrationSeconds!).toBeLessThan(m.totalSeconds);
  });

  it('keeps several push messages in flight: every page once, and the source released sooner than stop-and-wait', () => {
    const windowed = (pushWindowMessages: number) =>
      metricsOf(spec('Chess', 'post-copy', { strategyOptions: { pushWindowMessages } }, ETHERNET_1G_2025));
    const stopAndWait = windowed(1);
    const streamed = windowed(4);
    for (const m of [stopAndWait, streamed]) {
      expect(m.pagesShippedAtMigration + m.pagesDeliveredByFaults).toBe(m.realPages);
      expect(m.pagesArrivedTwice).toBe(0);
      expect(m.pagesWithWrongContents).toBe(0);
    }
    expect(streamed.sourceReleaseSeconds!).toBeLessThan(stopAndWait.sourceReleaseSeconds!);
  });

  it('without the push is demand paging: the source is held until the process exits', () => {
    const m = metricsOf(spec('Chess', 'post-copy', { strategyOptions: { pushPagesPerMessage: 0 } }));
    expect(m.sourceReleaseSeconds!).toBeGreaterThan(m.totalSeconds);
    expect(m.pagesDeliveredByFaults).toBeLessThan(m.realPages);
  });

  it('hybrid with 0 rounds is post-copy', () => {
    const post = runTrial(spec('PM-Mid', 'post-copy'));
    const hybrid = runTrial(spec('PM-Mid', 'hybrid', { strategyOptions: { hybridRounds: 0 } }));
    expect(hybrid.metrics).toEqual(post.metrics);
  });

  it('hybrid switches early when pages are written faster than its dirty-rate trigger', () => {
    const options = { hybridRounds: 10, preCopyStopPages: 0 };
    // A Pasmac run that outlives its first copy round (PM-Mid's own 16 s end within it).
    const longRun = { workload: { ...representative('PM-Mid'), computeSeconds: 60 } };
    const rounds = metricsOf(spec('PM-Mid', 'hybrid', { ...longRun, strategyOptions: options }));
    expect(rounds.preCopyRounds).toBeGreaterThan(1);
    const early = metricsOf(
      spec('PM-Mid', 'hybrid', {
        ...longRun,
        strategyOptions: { ...options, hybridSwitchDirtyPagesPerSecond: 1 },
      }),
    );
    expect(early.preCopyRounds).toBe(1);
    expect(early.pagesArrivedTwice).toBe(0);
    expect(early.pagesWithWrongContents).toBe(0);
  });

  it('hybrid copies some pages first, then owes the rest', () => {
    const m = metricsOf(spec('PM-Start', 'hybrid'));
    expect(m.preCopyRounds).toBe(1);
    expect(m.pagesArrivedTwice).toBe(0);
    expect(m.pagesTouchedNeverArrived).toBe(0);
    expect(m.pagesWithWrongContents).toBe(0);
  });
});

describe('sprite-flush', () => {
  it('releases the source once dirty pages are flushed; faults go to the file server', () => {
    const m = metricsOf(spec('PM-End', 'sprite-flush'));
    expect(m.sourceReleaseSeconds!).toBeLessThan(m.downtimeSeconds! + 1e-9);
    expect(m.imaginaryFaults).toBeGreaterThan(0);
    expect(m.residualDependencySeconds).toBe(0);
    expect(m.pagesArrivedTwice).toBe(0);
    expect(m.pagesTouchedNeverArrived).toBe(0);
    expect(m.pagesWithWrongContents).toBe(0);
  });
});

describe('source failure', () => {
  it('a crash before the last owed page loses a copy-on-reference process, not a pure-copy one', () => {
    // PM-End: pure-copy's transfer ends at about 32 s, the pure-IOU process runs until about 38 s.
    const iou = runTrial(spec('PM-End', 'pure-iou', { sourceFailureSeconds: 35 }));
    const copy = runTrial(spec('PM-End', 'pure-copy', { sourceFailureSeconds: 35 }));
    expect(iou.ok).toBe(true);
    expect(iou.metrics!.processLost).toBe(1);
    expect(iou.metrics!.totalSeconds).toBe(35);
    expect(copy.ok).toBe(true);
    expect(copy.metrics!.processLost).toBe(0);
    // The same run as without a crash, but for the crash's own timer event.
    const { simulatedEvents: _crashed, ...withCrash } = copy.metrics!;
    const { simulatedEvents: _clean, ...withoutCrash } = runTrial(spec('PM-End', 'pure-copy')).metrics!;
    expect(withCrash).toEqual(withoutCrash);
    const post = runTrial(spec('PM-End', 'post-copy', { sourceFailureSeconds: 10 }));
    expect(post.metrics!.processLost).toBe(1);
  });

  it('agrees with the loss-risk curve derived from release times', () => {
    const strategies = ['pure-copy', 'pure-iou', 'post-copy', 'pre-copy', 'sprite-flush'] as const;
    const clean = strategies.map((strategy) => runTrial(spec('PM-End', strategy)));
    const times = [1, 6, 15, 25, 33, 40];
    const curves = lossRiskCurves(clean, times);
    expect(curves).toHaveLength(strategies.length);
    for (const [index, strategy] of strategies.entries()) {
      for (const [at, time] of times.entries()) {
        const crashed = runTrial(spec('PM-End', strategy, { sourceFailureSeconds: time }));
        const derived = lostByCrashAt(clean[index]!.metrics!, time);
        expect(crashed.metrics!.processLost, `${strategy} at ${time} s`).toBe(derived ? 1 : 0);
        expect(curves[index]!.lostShare[at]).toBe(derived ? 1 : 0);
      }
    }
  });
});

describe('determinism', () => {
  for (const strategy of ['pre-copy', 'post-copy', 'hybrid', 'sprite-flush'] as const) {
    it(`${strategy} gives the same result twice, another with another seed`, () => {
      const a = JSON.stringify(runTrial(spec('PM-Mid', strategy)));
      expect(JSON.stringify(runTrial(spec('PM-Mid', strategy)))).toBe(a);
      expect(JSON.stringify(runTrial(spec('PM-Mid', strategy, { seed: 7 })))).not.toBe(a);
    });
  }
});

describe('network contention', () => {
  it('two migrations sharing a 1 Gb/s link take longer than one when the transfer is bandwidth-bound', () => {
    const one = runTrial(spec('Lisp-T', 'pure-copy', {}, ETHERNET_1G_2025));
    const two = runTrial(spec('Lisp-T', 'pure-copy', { concurrentMigrations: 2 }, ETHERNET_1G_2025));
    expect(one.concurrent).toBeUndefined();
    expect(two.ok).toBe(true);
    expect(two.concurrent).toHaveLength(2);
    const alone = one.metrics!.totalMigrationSeconds!;
    // 2.2 MB at 1 Gb/s is ~18 ms; two at once share the wire and each takes close to twice as long.
    expect(two.metrics!.concurrentMeanTotalMigrationSeconds!).toBeGreaterThan(1.6 * alone);
    for (const each of two.concurrent!) {
      expect(each.totalMigrationSeconds).toBeGreaterThan(alone);
    }
    // Each migration still conserves its pages.
    expect(two.metrics!.pagesArrivedTwice).toBe(0);
    expect(two.metrics!.pagesShippedAtMigration).toBe(two.metrics!.realPages);
  });

  it('one concurrent migration is the plain trial, and the run is deterministic', () => {
    const plain = runTrial(spec('PM-End', 'post-copy', {}, ETHERNET_1G_2025));
    expect(runTrial(spec('PM-End', 'post-copy', { concurrentMigrations: 1 }, ETHERNET_1G_2025))).toEqual(
      plain,
    );
    const three = spec('PM-End', 'pre-copy', { concurrentMigrations: 3 }, ETHERNET_1G_2025);
    expect(JSON.stringify(runTrial(three))).toBe(JSON.stringify(runTrial(three)));
  });

  it('a trial fails when one of its concurrent migrations fails', () => {
    const workload = { ...representative('Minprog'), extraReferences: [2 ** 30] };
    const result = runTrial({ ...spec('Minprog', 'pure-copy', { concurrentMigrations: 2 }), workload });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/addressing error/);
    expect(result.metrics).toBeUndefined();
  });

  it('refuses a source failure together with concurrent migrations', () => {
    expect(() =>
      runTrial(spec('PM-End', 'pure-copy', { concurrentMigrations: 2, sourceFailureSeconds: 1 })),
    ).toThrow(/sourceFailureSeconds works with one migration at a time/);
  });
});
