import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import { breakevenTrials, paperTrials } from '../../src/engine/reproduction/designs';
import { breakevenShare, reproductionReport } from '../../src/engine/reproduction/paper';
import type { PaperValues } from '../../src/engine/reproduction/paper';

const paper = JSON.parse(
  readFileSync(new URL('../../resources/paper/zayas-1987.json', import.meta.url), 'utf8'),
) as PaperValues;

describe("the paper's evaluation", () => {
  const trials = paperTrials();
  const results = trials.map((trial) => runTrial(trial));
  const breakeven = breakevenTrials().map((trial) => runTrial(trial));
  const report = reproductionReport(results, breakeven, paper);

  it('is 7 representatives x (pure-copy + 2 strategies x 5 prefetch values) = 77 trials', () => {
    expect(trials).toHaveLength(77);
    expect(new Set(trials.map((trial) => trial.id)).size).toBe(77);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('meets every fidelity target with the default seed', () => {
    const misses = report.fidelity.filter((entry) => !entry.pass);
    expect(misses).toEqual([]);
    expect(report.fidelity.length).toBeGreaterThan(100);
  });

  it('shows the paper beside ours for Tables 4-1 to 4-5 and Figures 4-1 to 4-5', () => {
    const ids = report.tables.map((table) => table.id);
    for (const id of [
      'table4_1',
      'table4_2',
      'table4_3',
      'table4_4',
      'table4_5',
      'figure4_1',
      'figure4_2',
      'figure4_3',
      'figure4_4',
      'figure4_5',
    ]) {
      expect(ids).toContain(id);
    }
    const table45 = report.tables.find((table) => table.id === 'table4_5')!;
    expect(table45.rows).toHaveLength(7);
    expect(table45.rows[2]![0]).toBe('Lisp-Del');
    expect(table45.rows[2]![7]).toBe(168.5);
  });

  it('finds the breakeven by interpolating the sweep', () => {
    const { points, share } = breakevenShare(breakeven);
    expect(points).toHaveLength(12);
    expect(share).not.toBeNull();
    // Below the breakeven pure-IOU wins, above it pure-copy does.
    expect(points[0]!.iou).toBeLessThan(points[0]!.copy);
    expect(points[points.length - 1]!.iou).toBeGreaterThan(points[points.length - 1]!.copy);
  });

  it('reports a failed trial by name instead of producing numbers', () => {
    const broken = results.map((result) =>
      result.id === 'Chess/pure-copy' ? { ...result, ok: false, error: 'boom' } : result,
    );
    expect(() => reproductionReport(broken, breakeven, paper)).toThrow('trial Chess/pure-copy failed: boom');
  });
});
