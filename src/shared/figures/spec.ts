/**
 * What a figure shows. The kinds are the paper's Figures 4-1 to 4-5 plus the end-to-end
 * comparison, then the metrics beyond 1987 (docs/model.md); a figure draws from one experiment's
 * results (see ./charts.ts).
 */
export const FIGURE_KINDS = [
  'remote-exec',
  'speedup',
  'bytes',
  'message-time',
  'byte-rate',
  'end-to-end',
  'completion',
  'downtime',
  'total-migration',
  'source-release',
  'pages-resent',
  'loss-risk',
  'fault-latency',
  'reference',
] as const;

/** Kinds a user can add to a notebook from an experiment (a reference figure needs its values). */
export const EXPERIMENT_FIGURE_KINDS = FIGURE_KINDS.filter((kind) => kind !== 'reference');

/** Metrics a reference figure compares. */
export const REFERENCE_METRICS = ['totalMigrationSeconds', 'downtimeSeconds', 'bytesPageData'] as const;

/**
 * Values of one metric per workload from elsewhere (another simulator, a formula), drawn beside
 * the experiment's own (`accent-lab crosscheck`: SimGrid).
 */
export interface ReferenceValues {
  /** Names the reference, e.g. "SimGrid 3.32". */
  label: string;
  metric: (typeof REFERENCE_METRICS)[number];
  values: { workload: string; value: number }[];
}

export type FigureKind = (typeof FIGURE_KINDS)[number];

export interface FigureSpec {
  kind: FigureKind;
  /** Replaces the kind's default title. */
  title?: string;
  /** byte-rate only: the workload whose trials are drawn (default: the experiment's first). */
  workload?: string;
  /** byte-rate only: the prefetch value of the IOU and resident-set trials (default 0). */
  prefetch?: number;
  /** reference only: what the experiment's trials are drawn beside. */
  reference?: ReferenceValues;
}

/** The default titles, as the paper captions its figures. */
export const FIGURE_TITLES: Record<FigureKind, string> = {
  'remote-exec': 'Remote execution time',
  speedup: 'Percent end-to-end speedup over pure-copy',
  bytes: 'Bytes transferred',
  'message-time': 'Message-handling time per host',
  'byte-rate': 'Network byte rate over time',
  'end-to-end': 'End-to-end time (transfer + remote execution)',
  completion: 'Completion time (request to exit)',
  downtime: 'Downtime (process frozen)',
  'total-migration': 'Total migration time',
  'source-release': 'Time until the source can be released',
  'pages-resent': 'Pages sent more than once',
  'loss-risk': 'Risk of losing the process to a source crash',
  'fault-latency': 'Remote-fault latency',
  reference: 'Against a reference',
};
