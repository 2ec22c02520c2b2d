import type { ExperimentDesign } from '../../engine/experiment/design';
import type { TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import type { StrategyName } from '../../engine/model/migration';
import type { FigureSpec } from '../figures/spec';

// The notebook document (format 3) and its entries, with the summary a large experiment keeps
// instead of its trials; format 1 for the upgrade. Re-exported by ../hostApi.ts.

/**
 * A notebook: the lab notebook file (format 3). Notes, experiments with their results, and figure
 * snapshots, in the order the notebook shows them, plus the provenance of the file.
 */
export interface NotebookDocument {
  formatVersion: 3;
  name: string;
  provenance: NotebookProvenance;
  entries: NotebookEntry[];
}

export interface NotebookProvenance {
  /** ENGINE_VERSION of the engine that last saved the file. */
  engineVersion: string;
  /** "Accent Migration Lab 0.1.0". */
  createdBy: string;
}

/** A Markdown note (rendered sanitized: no scripts, links open only when the user agrees). */
export interface NoteEntry {
  kind: 'note';
  id: string;
  markdown: string;
}

/**
 * An experiment: its design (hardware preset values and seed included) and the results of its
 * trials, with the series every chart is redrawn from, and the engine version that ran them.
 */
export interface ExperimentEntry {
  kind: 'experiment';
  id: string;
  design: ExperimentDesign;
  results: TrialResult[];
  engineVersion: string;
  /**
   * Trials of the design the results ran with, when the design was edited after the run (e.g.
   * its repetitions raised): completeness ("partial: k of n trials") is judged against it, not
   * against the edited design. Absent when the results are of the design as it stands.
   */
  trialCount?: number;
  /**
   * A large experiment (more than INLINE_TRIALS trials) keeps its trials in a results store and
   * this summary in the notebook; its `results` are then empty. Absent for a small experiment,
   * whose trials are inline (src/shared/notebook/summary.ts).
   */
  summary?: ExperimentSummary;
}

/** Mean, sample standard deviation and 95% interval (Student's t) of one metric over n trials. */
export interface MetricSummary {
  n: number;
  mean: number;
  sd: number;
  /** The 95% interval; null with fewer than two trials. */
  ciLow: number | null;
  ciHigh: number | null;
}

/** One design point of a summarized experiment: its trials that ended ok, summarized per metric. */
export interface DesignPointSummary {
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  hardware: string;
  parameterValue?: number;
  /** Trials that ended ok, and that failed. */
  n: number;
  failed: number;
  metrics: Partial<Record<keyof TrialMetrics, MetricSummary>>;
  /** Percent end-to-end speedup over pure-copy of the same workload and replication (paired). */
  speedup?: MetricSummary;
}

/** A sensitivity sweep's paired difference (first minus second variant) at one workload and value. */
export interface SweepDifferenceSummary {
  workload: string;
  value: number;
  difference: MetricSummary;
}

/**
 * What the notebook keeps of a large experiment: counts, a summary per design point, a sweep's
 * paired differences, and the trials its per-trial figures draw (the first replication of each
 * design point, up to SUMMARY_FIGURE_TRIALS, series downsampled); every trial is in the store.
 */
export interface ExperimentSummary {
  /** Trials that ended (ok or failed); cancelled ones are not counted. */
  trials: number;
  failed: number;
  /** The results store holding every trial: relative to the notebook's folder, or absolute. */
  store: string;
  points: DesignPointSummary[];
  differences?: SweepDifferenceSummary[];
  figureTrials: TrialResult[];
}

/** A figure drawn from an experiment's results, with a caption. */
export interface FigureEntry {
  kind: 'figure';
  id: string;
  experimentId: string;
  figure: FigureSpec;
  caption: string;
}

export type NotebookEntry = NoteEntry | ExperimentEntry | FigureEntry;

/** Format 1 (before notebooks): experiments and their results only. Upgraded on open. */
export interface NotebookDocumentV1 {
  formatVersion: 1;
  name: string;
  experiments: NotebookExperiment[];
}

export interface NotebookExperiment {
  design: ExperimentDesign;
  results: TrialResult[];
}
