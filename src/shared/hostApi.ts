import type { TrialProgress, TrialResult } from '../engine/experiment/trial';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyName } from '../engine/model/migration';
import type { ExperimentDesign } from '../engine/experiment/designSpace';
import type { WorkloadSpec } from '../engine/workloads/spec';
import type { FigureData } from './figures/charts';
import type { FigureFormat } from './figures/export';
import type { HostCallMethods } from './hostCalls';
import type { ExperimentSummary, NotebookDocument } from './notebook/document';

export type { HostCall } from './hostCalls';
// The contract's parts that have a home of their own, re-exported so importers are unchanged:
// the notebook document (notebook/document.ts), trace import (traceTypes.ts), and how the calls
// travel (hostBridge.ts).
export type {
  DesignPointSummary,
  ExperimentEntry,
  ExperimentSummary,
  FigureEntry,
  MetricSummary,
  NotebookDocument,
  NotebookDocumentV1,
  NotebookEntry,
  NotebookExperiment,
  NotebookProvenance,
  NoteEntry,
  SweepDifferenceSummary,
} from './notebook/document';
export { MAX_TRACE_UPLOAD_BYTES } from './traceTypes';
export type {
  ImportedTrace,
  ImportTraceRequest,
  PageReferenceMap,
  TraceSummary,
  TraceUpload,
  TraceWorkloadRequest,
} from './traceTypes';
export {
  forwardingMethods,
  HOST_API_GLOBAL,
  HOST_EVENT_CHANNEL,
  hostCallsArgument,
  hostCallsFromArgv,
  ipcChannel,
} from './hostBridge';

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
  /**
   * Inline experiments over the inline limit (an old notebook's) that the save moved into the
   * results store beside the file: the file keeps their summary, as a fresh large run's, instead
   * of their trials. Absent when none moved.
   */
  compacted?: CompactedInline[];
  /** What could not go with the notebook (the save itself succeeded), in words. */
  storeWarnings?: string[];
}

/** An inline experiment a save moved into the results store: the summary the notebook keeps. */
export interface CompactedInline {
  experimentId: string;
  /** Trials the summary counts (all in the store). */
  trials: number;
  summary: ExperimentSummary;
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

/** A store the user located for summarized experiments whose store was missing (HostApi.locateStore). */
export interface LocateStoreRequest {
  /** The notebook's file (a store in its folder is then named relative to it); null when unsaved. */
  notebookPath: string | null;
  /** The experiments to look for in it: their designs and engine version give their trials' keys. */
  experiments: { id: string; name: string; design: ExperimentDesign; engineVersion: string }[];
}

/** What a located store holds of each experiment asked about (a sample of its trials, by key). */
export interface LocatedStore {
  /** The file, absolute. */
  path: string;
  /** The name a summary gives it: its file name when it is in the notebook's folder, else the absolute path. */
  store: string;
  found: { experimentId: string; held: number; checked: number }[];
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
