import type { ExperimentDesign } from '../engine/experiment/design';
import type { TrialMetrics, TrialProgress, TrialResult } from '../engine/experiment/trial';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyName } from '../engine/model/migration';
import type { TraceWorkloadSource } from '../engine/workloads/spec';
import type { WorkloadSpec } from '../engine/workloads/spec';
import type { FigureData } from './figures/charts';
import type { FigureFormat } from './figures/export';
import type { FigureSpec } from './figures/spec';
import type { HostCall, HostCallMethods } from './hostCalls';

export type { HostCall } from './hostCalls';

/**
 * The contract between the renderer and its host. The Electron preload exposes exactly these
 * methods on `window.accentLab`; the web adapter serves the same calls over a WebSocket. The
 * renderer sees only this interface, whichever adapter is behind it. The calls, their parameters'
 * schemas and their results are declared in ./hostCalls.ts, which this interface is derived from.
 */
export interface HostApi extends HostCallMethods {
  /** Subscribe to host events; returns the function that unsubscribes. */
  onEvent(listener: (event: HostEvent) => void): () => void;
}

export interface RenderFigureRequest {
  figure: FigureData;
  format: FigureFormat;
  /** CSS pixels (points in a PDF). */
  width: number;
  height: number;
  /** Device pixels per CSS pixel (PNG only). */
  scale: number;
}

export interface RenderedFigure {
  format: FigureFormat;
  /** The file's bytes, base64 (an SVG's UTF-8 text). */
  base64: string;
}

export interface ImportTraceRequest {
  /** Names the import in its progress events. */
  importId: string;
  pageSizeBytes: number;
  path?: string;
  upload?: TraceUpload;
}

/** A trace file sent by the renderer (dropped or picked in a browser), base64-encoded. */
export interface TraceUpload {
  name: string;
  base64: string;
}

/** Largest trace accepted as an upload; bigger traces are imported by path. */
export const MAX_TRACE_UPLOAD_BYTES = 32 * 1024 * 1024;

/** What a trace holds, counted from the raw file (rules in docs/traces.md). */
export interface TraceSummary {
  path: string;
  pageSizeBytes: number;
  /** SHA-256 of the file as stored (compressed if it is gzip). */
  sha256: string;
  fileBytes: number;
  /** Lines of the (uncompressed) trace, log lines included. */
  lines: number;
  /** I, L, S and M lines. */
  references: number;
  referencesByKind: { instruction: number; load: number; store: number; modify: number };
  /** Instructions executed: the I lines. */
  instructions: number;
  /** Distinct pages touched by any access, an access that crosses a page boundary touching both. */
  distinctPages: number;
  /** Records of the page-reference string: page touches with repeats of the same page merged. */
  pageReferences: number;
}

/**
 * A downsampled picture of a page-reference string: `columns` slices of the run (by instructions)
 * by `rows` bands of the distinct pages in address order (row 0 the lowest). `cells` is base64 of
 * columns x rows bytes, column by column: 0 untouched, 1 read, 2 written.
 */
export interface PageReferenceMap {
  columns: number;
  rows: number;
  cells: string;
}

export interface ImportedTrace {
  /** The file on the host the workload will name. */
  path: string;
  summary: TraceSummary;
  map: PageReferenceMap;
}

export interface TraceWorkloadRequest {
  name: string;
  source: TraceWorkloadSource;
  /** The hardware's frames per host: the default limit of the resident set. */
  framesPerHost: number;
}

export interface Catalog {
  representatives: WorkloadSpec[];
  hardwarePresets: HardwarePreset[];
  strategies: StrategyName[];
  prefetchValues: number[];
}

/** What a design will take, estimated before it runs (HostApi.estimateDesign). */
export interface DesignEstimate {
  trials: number;
  /** The host's worker threads the estimate is for. */
  workers: number;
  /** Trials run to calibrate, and the seconds that took. */
  calibrationTrials: number;
  calibrationSeconds: number;
  /** Seconds the whole design takes on those workers; null when no calibration trial finished. */
  seconds: number | null;
  /** Bytes its results add to the notebook (trials kept inline), from the calibration's. */
  notebookBytes: number | null;
  /** Bytes its trials take in a results store (the CLI's campaigns). */
  storeBytes: number;
}

export interface ClusterBundleRequest {
  /** The saved notebook the jobs run. */
  notebookPath: string;
  /** Folder for the scripts, the shard stores, the logs and trials.csv. */
  out: string;
  /** Array tasks (shards), 1 to 10,000. */
  tasks: number;
  /** Worker threads per task. */
  workers: number;
  /** The jobs' name. */
  name?: string;
}

export interface ClusterBundle {
  arrayScript: string;
  mergeScript: string;
  /** The shell commands that submit the array and, after it, the merge. */
  commands: string[];
  /** Where the merge job leaves the trials. */
  trialsCsv: string;
}

export interface StartSweepOptions {
  confirmLarge?: boolean;
  /**
   * The saved notebook the sweep belongs to (absolute path): its trials stream into the results
   * store beside it, `<notebook>.results.duckdb`, as the CLI's do; an untitled notebook's go to the
   * host's own store. Trials the store already holds are not run again (a resumed sweep).
   */
  notebookPath?: string;
  /** The experiment entry's id, recorded with each stored trial. */
  experiment?: string;
  /**
   * The summary of this experiment the notebook keeps: the store it names and the trials it counts
   * (ok ones). When the store lacks them (missing, or another store), 'sweep-started' says so in
   * `storeWarning` instead of running them all again silently.
   */
  summarized?: { store: string; trials: number };
}

/** The error of a TrialResult whose trial was cancelled before it finished. */
export const TRIAL_CANCELLED = 'cancelled';

/**
 * A sweep of up to this many trials lists them all when it starts; a larger one lists none (its
 * views show the trials as they start), so that a million-trial design starts at once.
 */
export const LISTED_SWEEP_TRIALS = 10_000;

export interface SweepStarted {
  sweepId: string;
  trialCount: number;
  /**
   * The trials in run order, so views can list them before any finishes; empty when there are
   * more than LISTED_SWEEP_TRIALS.
   */
  trials: TrialSummary[];
}

export interface TrialSummary {
  id: string;
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  replication: number;
}

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

export interface RecentNotebook {
  path: string;
  /** The notebook's name as saved in the file; null when the file could not be read. */
  title: string | null;
}

export interface BuiltinNotebook {
  id: string;
  title: string;
}

export interface OpenedNotebook {
  path: string;
  notebook: NotebookDocument;
}

export interface SavedNotebook {
  path: string;
  /**
   * Experiments whose results store the save changed (Save As carries the trials into the store
   * beside the new file): the store each summary now names. Absent when none changed.
   */
  carried?: StoreCarried[];
  /** What could not go with the notebook (the save itself succeeded), in words. */
  storeWarnings?: string[];
}

/** An experiment whose trials a save copied into the store beside the notebook. */
export interface StoreCarried {
  experimentId: string;
  /** The store its summary names now (usually `<notebook>.results.duckdb`, relative). */
  store: string;
  /** Trials copied. */
  trials: number;
}

/**
 * A summarized experiment whose results store is not in order, as the check at notebook open
 * finds it (checkNotebookStores): `missing` (no file where the summary says), `elsewhere` (a file,
 * but not the store beside the notebook a sweep uses), `other` (it holds none of the experiment's
 * trials, looked up by key), `partial` (a complete experiment's store lacks some), `unreadable`.
 */
export interface StoreNotice {
  experimentId: string;
  experimentName: string;
  /** The store as the summary names it, and the file that is. */
  store: string;
  path: string;
  /** The store a sweep of this notebook uses: `<notebook>.results.duckdb` beside it. */
  expected: string;
  problem: 'missing' | 'elsewhere' | 'other' | 'partial' | 'unreadable';
  /** What is wrong, in words ("Big": its 200,000 trials are in ..., which is missing ...). */
  message: string;
  /** How to put the store back (what still works meanwhile: WITHOUT_STORE, shared/notebook/storeNotices.ts). */
  fix: string;
}

/** Unsaved work a crashed session left behind, as the welcome screen offers it. */
export interface RecoveryOffer {
  /** When it was autosaved (ISO 8601). */
  savedAt: string;
  /** The notebook's name. */
  name: string;
  /** The file the notebook belongs to; null for an untitled one. */
  path: string | null;
  /** How many more were left behind (offered after this one, or to the next tab or start). */
  more: number;
}

export interface RecoveredNotebook {
  savedAt: string;
  path: string | null;
  notebook: NotebookDocument;
}

export type MenuCommand =
  | 'new'
  | 'open'
  | 'save'
  | 'save-as'
  | 'export-figure'
  | 'export-report'
  | 'run-start'
  | 'run-cancel'
  | 'undo'
  | 'redo'
  | 'show-notebook'
  | 'show-design'
  | 'show-run'
  | 'show-results'
  | 'shortcuts'
  | 'glossary';

export type HostEvent =
  | {
      type: 'sweep-started';
      sweepId: string;
      trialCount: number;
      /**
       * Trials the results store already held, not run again: a listed sweep's come as
       * 'trial-finished' events first; a larger one's are only counted here.
       */
      stored?: number;
      /** Why the results store could not be used (the sweep runs without it). */
      storeError?: string;
      /**
       * The store lacks trials the experiment's summary counts (StartSweepOptions.summarized): it is
       * missing or another store; those trials run again (said before they do).
       */
      storeWarning?: string;
    }
  | { type: 'trial-started'; sweepId: string; trialId: string }
  | { type: 'trial-progress'; sweepId: string; trialId: string; progress: TrialProgress }
  | { type: 'trial-finished'; sweepId: string; result: TrialResult }
  | {
      type: 'sweep-finished';
      sweepId: string;
      done: number;
      failed: number;
      cancelled: boolean;
      /**
       * A sweep of more than INLINE_TRIALS trials, or whose trials take more than INLINE_BYTES as
       * JSON: its summary, from every trial in the store (the notebook keeps it, not the trials).
       */
      summary?: ExperimentSummary;
    }
  | { type: 'trace-import-progress'; importId: string; bytesRead: number; totalBytes: number }
  | { type: 'menu'; command: MenuCommand };

/** The global name under which the preload exposes the {@link HostApi}. */
export const HOST_API_GLOBAL = 'accentLab';

/** IPC channel of a call, and of host events. */
export const ipcChannel = (call: HostCall): string => `host:${call}`;
export const HOST_EVENT_CHANNEL = 'host:event';

/**
 * One named method per call, each forwarding its arguments to `forward` (the preload's IPC invoke,
 * the WebSocket client's frame). Trailing undefined arguments are dropped, so an absent optional
 * parameter is absent on the wire whichever way it travels.
 */
export function forwardingMethods(
  calls: readonly HostCall[],
  forward: (call: HostCall, args: unknown[]) => Promise<unknown>,
): HostCallMethods {
  const methods: Partial<Record<HostCall, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of calls) {
    methods[name] = (...args: unknown[]) => {
      while (args.length > 0 && args.at(-1) === undefined) args.pop();
      return forward(name, args);
    };
  }
  return methods as HostCallMethods;
}

/**
 * The sandboxed preload may require nothing but `electron`, so it cannot bundle the calls'
 * declaration (zod and the engine's tables). The main process passes it the names instead, as a
 * command-line argument of the renderer (webPreferences.additionalArguments, which Electron
 * appends to the preload's `process.argv` for this purpose).
 */
const HOST_CALLS_ARGUMENT = '--accent-lab-host-calls=';

/** The renderer argument that names the host calls (`HOST_CALLS` of ./hostCalls.ts). */
export function hostCallsArgument(calls: readonly HostCall[]): string {
  return HOST_CALLS_ARGUMENT + calls.join(',');
}

/** The host calls named in a renderer's `process.argv`; throws when there are none. */
export function hostCallsFromArgv(argv: readonly string[]): HostCall[] {
  const argument = argv.find((arg) => arg.startsWith(HOST_CALLS_ARGUMENT));
  const calls = argument?.slice(HOST_CALLS_ARGUMENT.length).split(',') ?? [];
  if (calls.length === 0 || !calls.every((call) => /^[A-Za-z]+$/.test(call))) {
    throw new Error(`the host calls are missing from the renderer's arguments (${HOST_CALLS_ARGUMENT})`);
  }
  return calls as HostCall[];
}
