import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import { breakevenTrials, paperTrials } from '../../src/engine/reproduction/designs';
import { breakevenShare, fidelityHeadline, reproductionReport } from '../../src/engine/reproduction/paper';
import type { PaperValues } from '../../src/engine/reproduction/paper';

const readJson = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../resources/paper/${name}`, import.meta.url), 'utf8'));
const paper = {
  ...(readJson('zayas-1987.json') as Omit<PaperValues, 'claims'>),
  claims: (readJson('claims.json') as { claims: PaperValues['claims'] }).claims,
};
const CLAIMS = paper.claims;

/** Claims restated by the checks of another claim of the register (no check of their own). */
const RESTATED_ONLY = ['realzero-half', 'rs-half-real', 't4-3-text', 'lisp-longest-excise'];

describe("the paper's evaluation", () => {
  // Over replications, not one pinned seed: three replications of the default seed.
  const REPLICATIONS = 3;
  const trials = paperTrials(undefined, REPLICATIONS);
  const results = trials.map((trial) => runTrial(trial));
  const breakeven = breakevenTrials(undefined, REPLICATIONS).map((trial) => runTrial(trial));
  const report = reproductionReport(results, breakeven, paper);

  it('is 7 representatives x (pure-copy + 2 strategies x 5 prefetch values) = 77 trials a replication', () => {
    expect(paperTrials()).toHaveLength(77);
    expect(trials).toHaveLength(77 * REPLICATIONS);
    expect(new Set(trials.map((trial) => trial.id)).size).toBe(77 * REPLICATIONS);
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('gives every check a tier from the claims register and its share of replications', () => {
    const claims = new Set(CLAIMS.map((claim) => claim.id));
    for (const entry of report.fidelity) {
      expect(claims.has(entry.claim)).toBe(true);
      expect(['input', 'calibrated', 'prediction', 'disputed']).toContain(entry.tier);
      expect(entry.replications).toBe(REPLICATIONS);
      expect(entry.replicationShare).toBeGreaterThanOrEqual(0);
      expect(entry.replicationShare).toBeLessThanOrEqual(1);
      if (entry.tier === 'calibrated') expect(entry.knob).toBeTruthy();
    }
    // Every checkable claim of the register is measured by at least one check.
    const measured = new Set(report.fidelity.map((entry) => entry.claim));
    const unmeasured = CLAIMS.filter((claim) => claim.tier !== 'unchecked' && !measured.has(claim.id));
    expect(unmeasured.map((claim) => claim.id).filter((id) => !RESTATED_ONLY.includes(id))).toEqual([]);
  });

  it('restates every input and meets every calibrated target on the mean of the replications', () => {
    const misses = report.fidelity.filter(
      (entry) => (entry.tier === 'input' || entry.tier === 'calibrated') && !entry.pass,
    );
    expect(misses.map((entry) => entry.name)).toEqual([]);
    expect(fidelityHeadline(report.fidelity)).toMatch(
      /^predictions \d+\/\d+ \u00b7 calibrated (\d+)\/\1 \u00b7 disputed \d+\/\d+ shown \u00b7 inputs \d+ restated$/,
    );
  });

  it('judges each check on the mean: a table cell is mean ± interval when replications differ', () => {
    const figure = report.tables.find((table) => table.id === 'figure4_1')!;
    const lispDel = figure.rows.find((row) => row[0] === 'Lisp-Del')!;
    expect(String(lispDel[2])).toMatch(/^[\d.]+ ± [\d.]+$/);
    // Figure 4-5 (Lisp-Del) and the breakeven sweep too, over every replication.
    const rates = report.tables.find((table) => table.id === 'figure4_5')!;
    expect(rates.rows.map((row) => row[0])).toEqual(['pure-copy', 'pure-iou', 'resident-set']);
    expect(String(rates.rows[0]![1])).toMatch(/^[\d.]+ ± [\d.]+$/);
    const sweep = report.tables.find((table) => table.id === 'breakeven')!;
    expect(sweep.rows.at(-1)![0]).toBe('Breakeven %');
    expect(String(sweep.rows.at(-1)![2])).toMatch(/^\d+ of \d+ replications cross$/);
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
