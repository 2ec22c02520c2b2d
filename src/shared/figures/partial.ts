import { countTrials } from '../../engine/experiment/design';
import type { ExperimentDesign } from '../../engine/experiment/design';
import type { TrialResult } from '../../engine/experiment/trial';
import { TRIAL_CANCELLED } from '../hostApi';
import type { FigureData } from './data';

/**
 * How much of an experiment ran: `done` of its design's `total` trials have a result (ok or
 * failed; a cancelled trial has none). An experiment with fewer is partial (a cancelled sweep, or
 * a campaign not run to its end), and everything drawn from it says so, as the CLI does.
 */
export interface Completeness {
  done: number;
  total: number;
}

/**
 * Trials of a design that have a result among `results` (cancelled ones do not count). `trialCount`
 * is the number of trials of the design the results ran with, when that differs from `design`
 * (the design was edited after the run: raising its repetitions does not make the old run partial).
 */
export function completeness(
  design: ExperimentDesign,
  results: readonly TrialResult[],
  trialCount?: number,
): Completeness {
  let done = 0;
  for (const result of results) if (result.ok || result.error !== TRIAL_CANCELLED) done += 1;
  let total: number;
  try {
    total = trialCount ?? countTrials(design);
  } catch {
    // A design that cannot be counted (an older notebook's) is taken as what ran.
    total = done;
  }
  return { done: Math.min(done, total), total };
}

/** A partial experiment's completeness; null for a complete one (or one with no result at all). */
export function partialOf(
  design: ExperimentDesign,
  results: readonly TrialResult[],
  trialCount?: number,
): Completeness | null {
  const found = completeness(design, results, trialCount);
  return found.done > 0 && found.done < found.total ? found : null;
}

/**
 * An experiment entry's completeness, judged against the design it ran with (its `trialCount`
 * when the design was edited after the run, else its design).
 */
export function entryPartial(entry: {
  design: ExperimentDesign;
  results: readonly TrialResult[];
  trialCount?: number | undefined;
  summary?: { trials: number } | undefined;
}): Completeness | null {
  if (entry.summary) {
    // A summarized experiment counts what ran from its summary (its trials are in a store).
    const found = completeness(entry.design, [], entry.trialCount);
    const done = Math.min(entry.summary.trials, found.total);
    return done > 0 && done < found.total ? { done, total: found.total } : null;
  }
  return partialOf(entry.design, entry.results, entry.trialCount);
}

/** "partial: 3 of 12 trials". */
export function partialText(partial: Completeness): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  return `partial: ${n(partial.done)} of ${n(partial.total)} trials`;
}

/**
 * A figure of a partial experiment: its subtitle starts with "partial: k of n trials", so the
 * chart in the app, its PNG and SVG exports and the CLI's figures all carry the mark. A complete
 * experiment's figure is returned as it is.
 */
export function markPartial(data: FigureData, partial: Completeness | null | undefined): FigureData {
  if (!partial) return data;
  const mark = partialText(partial);
  return { ...data, subtitle: data.subtitle ? `${mark} · ${data.subtitle}` : mark };
}
