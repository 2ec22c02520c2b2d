import { describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import type { SensitivitySweep } from '../../src/engine/experiment/sensitivity';
import { summarize } from '../../src/engine/experiment/statistics';
import { runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { pngSize, renderFigurePng } from '../../src/node/figureRenderer';
import { sensitivityFigureData } from '../../src/shared/figures/sensitivity';
import { figureConfig, figureCsv, figureData, variantColours } from '../../src/shared/figures/charts';
import { variantOf } from '../../src/shared/figures/comparison';
import { downsampleSeries, seriesBytes } from '../../src/shared/figures/series';
import { FIGURE_KINDS } from '../../src/shared/figures/spec';
import { smallDesign } from '../helpers/designs';
import { madeUpResult } from '../helpers/trials';

const results: TrialResult[] = expandDesign(
  smallDesign({ representatives: ['Minprog'], strategies: ['pure-copy', 'pure-iou', 'resident-set'] }),
).map((spec) => runTrial(spec));

describe('figure module', () => {
  it.each(FIGURE_KINDS)('%s: a titled, labelled, still chart of fixed size on white', (kind) => {
    // A reference figure draws values from elsewhere beside the trials: here one for Minprog.
    const reference = {
      label: 'reference',
      metric: 'bytesPageData' as const,
      values: [{ workload: 'Minprog', value: 1e6 }],
    };
    const data = figureData(kind === 'reference' ? { kind, reference } : { kind }, results);
    expect(data.empty).toBe(false);
    expect(data.title.length).toBeGreaterThan(0);
    const config = figureConfig(data, { scale: 2 });
    const options = config.options as Record<string, unknown> & {
      scales: { x: { title: { text: string } }; y: { title: { text: string } } };
      plugins: { title: { text: string } };
    };
    expect(options['animation']).toBe(false);
    expect(options['responsive']).toBe(false);
    expect(options['devicePixelRatio']).toBe(2);
    expect(options.plugins.title.text).toBe(data.title);
    expect(options.scales.x.title.text).toBe(data.xLabel);
    expect(options.scales.y.title.text).toBe(data.yLabel);
    expect(config.plugins?.map((plugin) => plugin.id)).toEqual([
      'whiteBackground',
      'errorBars',
      'verticalMarkers',
      'fitAxisTitle',
    ]);
  });

  it('keeps the y title off the subtitle of a short chart: the unit alone, or none', async () => {
    const { fitAxisTitle } = await import('../../src/shared/figures/charts');
    const draw = (height: number, full: string, short: string) => {
      const title = { display: true, text: full, font: { size: 12 } };
      const chart = {
        scales: { y: { options: { title } } },
        chartArea: { top: 0, bottom: height },
        // 6 px per character, as a 12 px font roughly measures.
        ctx: {
          save() {},
          restore() {},
          font: '',
          measureText: (text: string) => ({ width: 6 * text.length }),
        },
      };
      (fitAxisTitle.beforeDraw as (c: unknown, a: unknown, o: unknown) => void)(chart, {}, { full, short });
      return title;
    };
    expect(draw(400, 'end-to-end time (seconds)', 'seconds')).toMatchObject({
      display: true,
      text: 'end-to-end time (seconds)',
    });
    expect(draw(100, 'end-to-end time (seconds)', 'seconds')).toMatchObject({
      display: true,
      text: 'seconds',
    });
    expect(draw(30, 'end-to-end time (seconds)', 'seconds')).toMatchObject({ display: false });
  });

  it('compares strategies per workload, and writes the same numbers as CSV', () => {
    const data = figureData({ kind: 'bytes' }, results);
    expect(data.categories).toEqual(['Minprog']);
    expect(data.bars.map((bar) => bar.label)).toEqual([
      'pure-copy',
      'pure-iou pf0',
      'pure-iou pf1',
      'resident-set pf0',
      'resident-set pf1',
    ]);
    const copy = results.find((result) => result.strategy === 'pure-copy')!;
    expect(data.bars[0]!.values).toEqual([copy.metrics!.bytesTotal]);
    const csv = figureCsv(data).split('\r\n');
    expect(csv[0]).toBe('workload,pure-copy,pure-iou pf0,pure-iou pf1,resident-set pf0,resident-set pf1');
    expect(csv[1]!.split(',')[1]).toBe(String(copy.metrics!.bytesTotal));
  });

  it('speedup leaves pure-copy out and measures against it', () => {
    const data = figureData({ kind: 'speedup' }, results);
    expect(data.bars.map((bar) => bar.label)).not.toContain('pure-copy');
    const copy = results.find((r) => r.strategy === 'pure-copy')!.metrics!.endToEndSeconds;
    const iou = results.find((r) => r.strategy === 'pure-iou' && r.prefetch === 0)!.metrics!.endToEndSeconds;
    expect(data.bars[0]!.values[0]).toBeCloseTo((100 * (copy - iou)) / copy, 9);
  });

  it('byte rate: fault and other traffic per strategy at the chosen prefetch, stepping over each interval', () => {
    const data = figureData({ kind: 'byte-rate', workload: 'Minprog', prefetch: 1 }, results);
    expect(data.lines.map((line) => line.label)).toEqual([
      'pure-copy · fault',
      'pure-copy · other',
      'pure-iou pf1 · fault',
      'pure-iou pf1 · other',
      'resident-set pf1 · fault',
      'resident-set pf1 · other',
    ]);
    expect(data.lines.map((line) => line.dashed ?? false)).toEqual([false, true, false, true, false, true]);
    const copy = results.find((r) => r.strategy === 'pure-copy')!.series!;
    const [fault, other] = data.lines;
    expect(fault!.points).toHaveLength(copy.fault.length + 1);
    expect(fault!.points.at(-1)!.x).toBeCloseTo(copy.fault.length * copy.binSeconds, 9);
    // Pure-copy moves everything at migration: no fault traffic, all of it "other".
    expect(fault!.points.every((point) => point.y === 0)).toBe(true);
    expect(other!.points.some((point) => point.y > 0)).toBe(true);
  });

  it('an empty experiment gives an empty figure, not an error', () => {
    for (const kind of FIGURE_KINDS) expect(figureData({ kind }, []).empty).toBe(true);
  });

  it('colours pure-copy grey, pure-IOU blue and resident set orange', () => {
    const [copy, iou, rs] = variantColours(['pure-copy', 'pure-iou pf0', 'resident-set pf0']);
    expect(copy).toMatch(/^hsl\(215, 20%/);
    expect(iou).toMatch(/^hsl\(221, 83%/);
    expect(rs).toMatch(/^hsl\(25, 95%/);
  });
});

describe('downsampleSeries', () => {
  it('keeps the total bytes and at most the bins asked for', () => {
    const series = results.find((r) => r.strategy === 'pure-copy')!.series!;
    const before = seriesBytes(series);
    for (const bins of [300, 97, 10, 1]) {
      const small = downsampleSeries(series, bins);
      expect(small.fault.length).toBeLessThanOrEqual(bins);
      const after = seriesBytes(small);
      expect(after.fault).toBeCloseTo(before.fault, 6);
      expect(after.other).toBeCloseTo(before.other, 6);
    }
  });

  it('leaves a short series as it is', () => {
    const series = { binSeconds: 0.5, fault: [1, 2], other: [3, 4] };
    expect(downsampleSeries(series, 300)).toEqual(series);
    expect(downsampleSeries({ binSeconds: 1, fault: [1, 2, 3], other: [0, 0, 6] }, 2)).toEqual({
      binSeconds: 2,
      fault: [1.5, 1.5],
      other: [0, 3],
    });
  });
});

describe('figures beyond 1987', () => {
  const modern: TrialResult[] = expandDesign(
    smallDesign({
      representatives: ['PM-End'],
      strategies: ['pure-copy', 'pure-iou', 'pre-copy', 'post-copy'],
    }),
  ).map((spec) => runTrial(spec));

  it('loss risk: every variant starts at 100% lost and falls to 0 once its source is released', () => {
    const data = figureData({ kind: 'loss-risk' }, modern);
    expect(data.type).toBe('line');
    expect(data.lines.map((line) => line.label)).toEqual(
      expect.arrayContaining(['pure-copy', 'pure-iou pf0', 'pre-copy', 'post-copy pf0']),
    );
    for (const line of data.lines) {
      expect(line.points[0]!.y).toBe(100);
      expect(line.points[line.points.length - 1]!.y).toBe(0);
      const result = modern.find((r) => variantOf(r) === line.label)!;
      const end = Math.min(result.metrics!.sourceReleaseSeconds!, result.metrics!.totalSeconds);
      for (const point of line.points) expect(point.y).toBe(point.x < end ? 100 : 0);
    }
  });

  it('fault latency: the buckets hold every remote fault', () => {
    const data = figureData({ kind: 'fault-latency' }, modern);
    const faults = modern
      .filter((r) => r.strategy === 'pure-iou' && r.prefetch === 0)
      .reduce((sum, r) => sum + r.metrics!.imaginaryFaults, 0);
    const bar = data.bars.find((series) => series.label === 'pure-iou pf0')!;
    expect(bar.values.reduce<number>((sum, value) => sum + (value ?? 0), 0)).toBe(faults);
    expect(faults).toBeGreaterThan(0);
  });

  it('downtime and source release are bars per workload, pre-copy far below pure-copy', () => {
    const downtime = figureData({ kind: 'downtime' }, modern);
    const value = (label: string) => downtime.bars.find((bar) => bar.label === label)!.values[0]!;
    expect(value('pre-copy')).toBeLessThan(value('pure-copy') / 2);
    expect(figureData({ kind: 'source-release' }, modern).empty).toBe(false);
  });
});

describe('statistics in figures', () => {
  // Three replications of pure-copy and resident set: each mean with its 95% interval (Minprog's
  // resident-set time varies with the process drawn; its pure-copy time does not).
  const repeated: TrialResult[] = expandDesign(
    smallDesign({ strategies: ['pure-copy', 'resident-set'], prefetchValues: [0], repetitions: 3 }),
  ).map((spec) => runTrial(spec));

  it('comparison bars carry 95% error bars (mean ± t half-width) when trials repeat', () => {
    const data = figureData({ kind: 'end-to-end' }, repeated);
    const sample = repeated
      .filter((r) => r.strategy === 'resident-set')
      .map((r) => r.metrics!.endToEndSeconds);
    const expected = summarize(sample);
    const iou = data.bars.find((bar) => bar.label === 'resident-set pf0')!;
    expect(iou.values[0]).toBeCloseTo(expected.mean, 12);
    expect(iou.errors![0]).toBeCloseTo(expected.halfWidth, 12);
    expect(expected.halfWidth).toBeGreaterThan(0);
    expect(data.subtitle).toMatch(/95% confidence interval/);
    expect(data.table[0]).toEqual([
      'workload',
      'pure-copy',
      'pure-copy ±95% CI',
      'resident-set pf0',
      'resident-set pf0 ±95% CI',
    ]);
    const config = figureConfig(data);
    const datasets = config.data.datasets as unknown as { label: string; errorBars?: number[] }[];
    expect(datasets.find((d) => d.label === 'resident-set pf0')!.errorBars).toEqual(iou.errors);
  });

  it('single runs have no error bars and keep their CSV as it was', () => {
    const data = figureData({ kind: 'end-to-end' }, results);
    expect(data.bars.every((bar) => bar.errors === undefined)).toBe(true);
    expect(
      (figureConfig(data).data.datasets as unknown as { errorBars?: unknown }[]).every(
        (dataset) => dataset.errorBars === undefined,
      ),
    ).toBe(true);
  });

  it('the PNG renderer draws the error bars', () => {
    const data = figureData({ kind: 'end-to-end' }, repeated);
    const withBars = renderFigurePng(data, { width: 400, height: 300, scale: 1 });
    const without = renderFigurePng(
      { ...data, bars: data.bars.map(({ errors: _errors, ...bar }) => bar) },
      { width: 400, height: 300, scale: 1 },
    );
    expect(pngSize(withBars)).toEqual({ width: 400, height: 300 });
    expect(Buffer.compare(withBars, without)).not.toBe(0);
  });

  it('a sensitivity sweep: metric against the parameter, a line per strategy, the breakeven marked', () => {
    const sweep: SensitivitySweep = {
      parameter: 'network-bits-per-second',
      values: [1e6, 3e6],
      compare: ['pure-copy', 'pure-iou pf0'],
      metric: 'endToEndSeconds',
    };
    const result = (
      strategy: TrialResult['strategy'],
      parameterValue: number,
      replication: number,
      seconds: number,
    ): TrialResult =>
      madeUpResult({ strategy, replication, parameterValue, metrics: { endToEndSeconds: seconds } });
    const sweepResults = [
      result('pure-copy', 1e6, 0, 10),
      result('pure-copy', 1e6, 1, 12),
      result('pure-iou', 1e6, 0, 8),
      result('pure-iou', 1e6, 1, 10),
      result('pure-copy', 3e6, 0, 6),
      result('pure-copy', 3e6, 1, 6),
      result('pure-iou', 3e6, 0, 8),
      result('pure-iou', 3e6, 1, 8),
    ];
    const data = sensitivityFigureData(sweep, sweepResults);
    // The comparison bars keep the parameter values apart, written as the app writes values.
    expect(figureData({ kind: 'end-to-end' }, sweepResults).categories).toEqual(['W @ 1 M', 'W @ 3 M']);
    expect(data.type).toBe('line');
    expect(data.lines.map((line) => line.label)).toEqual(['pure-copy', 'pure-iou pf0']);
    expect(data.lines[0]!.points).toEqual([
      { x: 1e6, y: 11 },
      { x: 3e6, y: 6 },
    ]);
    // 2 replications: t(0.975, 1) * sd / sqrt(2) = 12.706 * 1.414 / 1.414
    expect(data.lines[0]!.errors![0]).toBeCloseTo(12.706, 3);
    expect(data.markers).toEqual([{ x: 2e6, label: 'breakeven 2 M bits/s' }]);
    expect(data.subtitle).toMatch(
      /breakeven at 2000000 bits\/s: pure-iou pf0 is better below, pure-copy above/,
    );
    const config = figureConfig(data);
    const plugins = config.options!.plugins as unknown as { verticalMarkers: { markers: unknown } };
    expect(plugins.verticalMarkers.markers).toEqual(data.markers);
    expect(figureCsv(data)).toContain('breakeven,W,pure-copy vs pure-iou pf0,,2000000');
    // Paired differences: +2 at 1e6 (both replications), -2 at 3e6 (both): sd 0, interval [2, 2].
    expect(figureCsv(data)).toContain('1000000,W,difference pure-copy - pure-iou pf0,2,2,2,2');
    const png = renderFigurePng(data, { width: 400, height: 300, scale: 1 });
    const unmarked = renderFigurePng({ ...data, markers: [] }, { width: 400, height: 300, scale: 1 });
    expect(Buffer.compare(png, unmarked)).not.toBe(0);
  });
});
