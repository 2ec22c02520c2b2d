import type { ExperimentDesign } from '../engine/experiment/design';
import type { TrialProgress, TrialResult } from '../engine/experiment/trial';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { StrategyName } from '../engine/model/migration';
import type { TraceWorkloadSource } from '../engine/workloads/trace';
import type { WorkloadSpec } from '../engine/workloads/workload';
import type { FigureData } from './figures/charts';
import type { FigureFormat } from './figures/export';
import type { FigureSpec } from './figures/spec';

/**
 * The contract between the renderer and its host. The Electron preload exposes exactly these
 * methods on `window.accentLab`; the web adapter serves the same calls over a WebSocket. The
 * renderer sees only this interface, whichever adapter is behind it.
 */
export interface HostApi {
  /** The application version reported by the host. */
  version(): Promise<string>;
  /** What can be put in a design: the representatives, hardware presets and strategies. */
  catalog(): Promise<Catalog>;

  /**
   * Expand and start running a design; events report its progress. A design of more than
   * LARGE_DESIGN_TRIALS trials runs only with `confirmLarge` (the user was asked).
   */
  startSweep(design: ExperimentDesign, options?: StartSweepOptions): Promise<SweepStarted>;
  /** Stop a sweep: running trials are stopped, queued ones dropped. */
  cancelSweep(sweepId: string): Promise<void>;
  /** Run one failed or cancelled trial of a sweep again. */
  retryTrial(sweepId: string, trialId: string): Promise<void>;
  /**
   * Estimate a design before running it: its trials, its time on this host (from a short
   * calibration on a few of its trials) and its size on disk.
   */
  estimateDesign(design: ExperimentDesign): Promise<DesignEstimate>;
  /**
   * "Run on a cluster…": write the Slurm bundle of a saved notebook (what `accent-lab slurm`
   * writes) and return the commands that submit it.
   */
  writeClusterBundle(request: ClusterBundleRequest): Promise<ClusterBundle>;

  /** A fresh, unsaved project. */
  newProject(): Promise<ProjectDocument>;
  /** Open a project file; without a path the host asks the user (Electron) or refuses (web). */
  openProject(path?: string): Promise<OpenedProject | null>;
  /** Save a project; without a path the host asks where (Electron) or refuses (web). */
  saveProject(project: ProjectDocument, path?: string): Promise<SavedProject | null>;
  recentProjects(): Promise<string[]>;
  /** The recent files with the title each notebook has inside (null when it cannot be read). */
  recentNotebooks(): Promise<RecentNotebook[]>;
  /**
   * An absolute folder to suggest for a first save when no recent file names one (the browser
   * host asks for paths as text; a relative one is refused).
   */
  projectsFolder(): Promise<string>;
  /** The notebooks shipped with the app (resources/notebooks), e.g. the paper's reproduction. */
  builtinNotebooks(): Promise<BuiltinNotebook[]>;
  /**
   * A built-in notebook's document, upgraded and validated. It has no path: saving it asks where,
   * so the shipped file is never overwritten.
   */
  openBuiltinNotebook(id: string): Promise<ProjectDocument>;

  /**
   * Read a Valgrind lackey trace at a page size (streamed, cached beside it): its counts and a
   * page-reference map to look at. The trace is a file on the host (`path`; without one, the host
   * asks: Electron's dialog), or the contents of a file the user dropped or picked (`upload`),
   * which the host stores in its settings folder. Progress comes as trace-import-progress events.
   * Null when the user cancels the dialog.
   */
  importTrace(request: ImportTraceRequest): Promise<ImportedTrace | null>;
  /** Stop a running import (its importTrace rejects, saying it was cancelled); no-op when none. */
  cancelTraceImport(importId: string): Promise<void>;
  /** The workload of an imported trace at a migration point, its composition read from the trace. */
  traceWorkload(request: TraceWorkloadRequest): Promise<WorkloadSpec>;

  /**
   * Autosave the open project's unsaved work (with the file it belongs to, if any) to the
   * recovery folder, as the recovery file of this browser tab (the desktop app's window): `tab` is
   * the id the tab keeps in its sessionStorage. The renderer calls it every 30 s while there are
   * unsaved changes and after every sweep.
   */
  writeRecovery(tab: string, project: ProjectDocument, path?: string): Promise<void>;
  /** Remove this tab's autosave (no other tab's): its project was saved or closed cleanly. */
  clearRecovery(tab: string): Promise<void>;
  /**
   * Called once when the tab's page starts: the newest unsaved work left behind (a crashed host,
   * a closed tab, this tab before a reload), or null. Another open tab's work is never offered.
   */
  pendingRecovery(tab: string): Promise<RecoveryOffer | null>;
  /** Take over the unsaved work offered to this tab; it stays in the recovery folder until saved. */
  restoreRecovery(tab: string): Promise<RecoveredProject>;
  /** Delete the unsaved work offered to this tab (the user chose not to restore it); the next one, or null. */
  discardRecovery(tab: string): Promise<RecoveryOffer | null>;

  /**
   * Draw a figure with the host's headless renderer (chart.js on @napi-rs/canvas, the one
   * `accent-lab figures` uses) as PNG, SVG or PDF: the app's vector exports and its report's figures.
   */
  renderFigure(request: RenderFigureRequest): Promise<RenderedFigure>;

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
 * A project: the lab notebook file (format 3). Notes, experiments with their results, and figure
 * snapshots, in the order the notebook shows them, plus the provenance of the file.
 */
export interface ProjectDocument {
  formatVersion: 3;
  name: string;
  provenance: ProjectProvenance;
  entries: NotebookEntry[];
}

export interface ProjectProvenance {
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
export interface ProjectDocumentV1 {
  formatVersion: 1;
  name: string;
  experiments: ProjectExperiment[];
}

export interface ProjectExperiment {
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

export interface OpenedProject {
  path: string;
  project: ProjectDocument;
}

export interface SavedProject {
  path: string;
}

/** Unsaved work a crashed session left behind, as the welcome screen offers it. */
export interface RecoveryOffer {
  /** When it was autosaved (ISO 8601). */
  savedAt: string;
  /** The project's name. */
  name: string;
  /** The file the project belongs to; null for an untitled one. */
  path: string | null;
  /** How many more were left behind (offered after this one, or to the next tab or start). */
  more: number;
}

export interface RecoveredProject {
  savedAt: string;
  path: string | null;
  project: ProjectDocument;
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
  | { type: 'sweep-started'; sweepId: string; trialCount: number }
  | { type: 'trial-started'; sweepId: string; trialId: string }
  | { type: 'trial-progress'; sweepId: string; trialId: string; progress: TrialProgress }
  | { type: 'trial-finished'; sweepId: string; result: TrialResult }
  | { type: 'sweep-finished'; sweepId: string; done: number; failed: number; cancelled: boolean }
  | { type: 'trace-import-progress'; importId: string; bytesRead: number; totalBytes: number }
  | { type: 'menu'; command: MenuCommand };

/** The global name under which the preload exposes the {@link HostApi}. */
export const HOST_API_GLOBAL = 'accentLab';

/** The calls of HostApi that cross the bridge (all but onEvent), one channel each. */
export const HOST_CALLS = [
  'version',
  'catalog',
  'startSweep',
  'cancelSweep',
  'retryTrial',
  'estimateDesign',
  'writeClusterBundle',
  'newProject',
  'openProject',
  'saveProject',
  'recentProjects',
  'recentNotebooks',
  'projectsFolder',
  'builtinNotebooks',
  'openBuiltinNotebook',
  'importTrace',
  'cancelTraceImport',
  'traceWorkload',
  'writeRecovery',
  'clearRecovery',
  'pendingRecovery',
  'restoreRecovery',
  'discardRecovery',
  'renderFigure',
] as const satisfies readonly Exclude<keyof HostApi, 'onEvent'>[];

export type HostCall = (typeof HOST_CALLS)[number];

/** IPC channel of a call, and of host events. */
export const ipcChannel = (call: HostCall): string => `host:${call}`;
export const HOST_EVENT_CHANNEL = 'host:event';
