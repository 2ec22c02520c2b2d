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
] as const;

export type FigureKind = (typeof FIGURE_KINDS)[number];

export interface FigureSpec {
  kind: FigureKind;
  /** Replaces the kind's default title. */
  title?: string;
  /** byte-rate only: the workload whose trials are drawn (default: the experiment's first). */
  workload?: string;
  /** byte-rate only: the prefetch value of the IOU and resident-set trials (default 0). */
  prefetch?: number;
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
};
