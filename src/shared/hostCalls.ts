import type { z } from 'zod';
import type { ExperimentDesign } from '../engine/experiment/design';
import type { WorkloadSpec } from '../engine/workloads/spec';
import type {
  BuiltinNotebook,
  Catalog,
  ClusterBundle,
  ClusterBundleRequest,
  DesignEstimate,
  ImportedTrace,
  ImportTraceRequest,
  LocatedStore,
  LocateStoreRequest,
  OpenedNotebook,
  NotebookDocument,
  RecentNotebook,
  RecoveredNotebook,
  RecoveryOffer,
  RenderedFigure,
  RenderFigureRequest,
  SavedNotebook,
  StartSweepOptions,
  StoreNotice,
  SweepStarted,
  TraceWorkloadRequest,
} from './hostApi';
import type { StoredPairsAnswer, StoredPairsRequest } from './figures/storedPairs';
import {
  clusterBundleRequestSchema,
  id,
  importTraceRequestSchema,
  optionalPath,
  requiredPath,
  locateStoreRequestSchema,
  startSweepOptionsSchema,
  storedPairsRequestSchema,
  tabId,
  traceWorkloadRequestSchema,
} from './schemas/calls';
import { experimentDesignSchema } from './schemas/design';
import { renderFigureRequestSchema } from './schemas/figure';
import { notebookDocumentSchema } from './schemas/notebook';

/**
 * Every host call, declared once: its signature (parameters and the value it resolves to) and one
 * schema per parameter, which the host runs on every argument that arrives. From this one table
 * come the typed `HostApi` (./hostApi.ts), the list of calls and their IPC channels, the preload's
 * named methods, the WebSocket client's methods, both adapters' dispatch and the argument checks
 * (../shared/validation.ts). Adding a call is one entry here and its implementation in
 * `createHostServices` (src/main/hostServices.ts); docs/ARCHITECTURE.md says how.
 */

/** One parameter of a call: its name (error messages say it) and the schema its value must pass. */
export type CallParameter<T = unknown> = readonly [name: string, schema: z.ZodType<T>];

/**
 * One schema per parameter of `Args`, in order, optional ones included; a schema's parsed value
 * must fit its parameter's type (zod's output type is covariant, so a narrower schema is fine).
 */
type ParameterSchemas<Args extends readonly unknown[]> = { [I in keyof Args]: CallParameter<Args[I]> } & {
  length: Required<Args>['length'];
};

/** A declared call: the schemas of its parameters, and its signature for the derived types. */
export interface HostCallDeclaration<Signature extends (...args: never[]) => unknown> {
  readonly parameters: readonly CallParameter[];
  /** Never set at run time; it carries `Signature` to the types derived from the table. */
  readonly signature?: Signature;
}

/**
 * Declare a call with the signature `Signature` (what the renderer calls and the host implements,
 * without the Promise every call returns) and one schema per parameter.
 */
// The signature's parameters are only read, never called with `never`s: `any` lets any parameter
// list through `extends` (`unknown[]` would reject every non-empty one by contravariance).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function declareCall<Signature extends (...args: any[]) => unknown>(
  ...parameters: ParameterSchemas<Parameters<Signature>>
): HostCallDeclaration<Signature> {
  return { parameters: parameters as readonly CallParameter[] };
}

export const HOST_CALL_DECLARATIONS = {
  /** The application version reported by the host. */
  version: declareCall<() => string>(),
  /** What can be put in a design: the representatives, hardware presets and strategies. */
  catalog: declareCall<() => Catalog>(),

  /**
   * Expand and start running a design; events report its progress. A design of more than
   * LARGE_DESIGN_TRIALS trials runs only with `confirmLarge` (the user was asked).
   */
  startSweep: declareCall<(design: ExperimentDesign, options?: StartSweepOptions) => SweepStarted>(
    ['design', experimentDesignSchema],
    ['options', startSweepOptionsSchema],
  ),
  /** Stop a sweep: running trials are stopped, queued ones dropped. */
  cancelSweep: declareCall<(sweepId: string) => void>(['sweepId', id()]),
  /** Run one failed or cancelled trial of a sweep again. */
  retryTrial: declareCall<(sweepId: string, trialId: string) => void>(['sweepId', id()], ['trialId', id()]),
  /**
   * Estimate a design before running it: its trials, its time on this host (from a short
   * calibration on a few of its trials) and its size on disk.
   */
  estimateDesign: declareCall<(design: ExperimentDesign) => DesignEstimate>([
    'design',
    experimentDesignSchema,
  ]),
  /**
   * "Run on a cluster…": write the Slurm bundle of a saved notebook (what `accent-lab slurm`
   * writes) and return the commands that submit it.
   */
  writeClusterBundle: declareCall<(request: ClusterBundleRequest) => ClusterBundle>([
    'request',
    clusterBundleRequestSchema,
  ]),

  /** A fresh, unsaved notebook. */
  newNotebook: declareCall<() => NotebookDocument>(),
  /** Open a notebook file; without a path the host asks the user (Electron) or refuses (web). */
  openNotebook: declareCall<(path?: string) => OpenedNotebook | null>(['path', optionalPath]),
  /**
   * Save a notebook; without a path the host asks where (Electron) or refuses (web). `from` is the
   * file it came from (none for an untitled one): saved elsewhere, its experiments' trials are
   * copied into the results store beside the new file (SavedNotebook.carried).
   */
  saveNotebook: declareCall<
    (notebook: NotebookDocument, path?: string, from?: string) => SavedNotebook | null
  >(['notebook', notebookDocumentSchema], ['path', optionalPath], ['from', optionalPath]),
  /**
   * Check the results stores of a saved notebook's summarized experiments (missing, moved, other
   * results): one notice per experiment whose store is not in order. Reads only.
   */
  checkNotebookStores: declareCall<(path: string) => StoreNotice[]>(['path', requiredPath]),
  /**
   * Locate a store the check found missing: at `path` (the browser host asks for it as text), or
   * where the user picks (Electron's dialog; null when they cancel). Verifies that it holds the
   * experiments' trials (a sample, by key) and says what the summaries would name it; throws
   * saying why when it does not. Reads only: the renderer points the summaries at it.
   */
  locateStore: declareCall<(request: LocateStoreRequest, path?: string) => LocatedStore | null>(
    ['request', locateStoreRequestSchema],
    ['path', optionalPath],
  ),
  /**
   * Compare's paired test for summarized experiments: each of `others` paired with `baseline`
   * from their results stores (trials read by key, a chunk at a time; per design point and metric
   * the pairs' moments come back), or why not (a store missing, seeds that differ). Reads only.
   */
  pairedFromStores: declareCall<(request: StoredPairsRequest) => StoredPairsAnswer[]>([
    'request',
    storedPairsRequestSchema,
  ]),
  recentNotebookPaths: declareCall<() => string[]>(),
  /** The recent files with the title each notebook has inside (null when it cannot be read). */
  recentNotebooks: declareCall<() => RecentNotebook[]>(),
  /**
   * An absolute folder to suggest for a first save when no recent file names one (the browser
   * host asks for paths as text; a relative one is refused).
   */
  notebooksFolder: declareCall<() => string>(),
  /** The notebooks shipped with the app (resources/notebooks), e.g. the paper's reproduction. */
  builtinNotebooks: declareCall<() => BuiltinNotebook[]>(),
  /**
   * A built-in notebook's document, upgraded and validated. It has no path: saving it asks where,
   * so the shipped file is never overwritten.
   */
  openBuiltinNotebook: declareCall<(id: string) => NotebookDocument>(['id', id()]),

  /**
   * Read a Valgrind lackey trace at a page size (streamed, cached beside it): its counts and a
   * page-reference map to look at. The trace is a file on the host (`path`; without one, the host
   * asks: Electron's dialog), or the contents of a file the user dropped or picked (`upload`),
   * which the host stores in its settings folder. Progress comes as trace-import-progress events.
   * Null when the user cancels the dialog.
   */
  importTrace: declareCall<(request: ImportTraceRequest) => ImportedTrace | null>([
    'request',
    importTraceRequestSchema,
  ]),
  /** Stop a running import (its importTrace rejects, saying it was cancelled); no-op when none. */
  cancelTraceImport: declareCall<(importId: string) => void>(['importId', id()]),
  /** The workload of an imported trace at a migration point, its composition read from the trace. */
  traceWorkload: declareCall<(request: TraceWorkloadRequest) => WorkloadSpec>([
    'request',
    traceWorkloadRequestSchema,
  ]),

  /**
   * Autosave the open notebook's unsaved work (with the file it belongs to, if any) to the
   * recovery folder, as the recovery file of this browser tab (the desktop app's window): `tab` is
   * the id the tab keeps in its sessionStorage. The renderer calls it every 30 s while there are
   * unsaved changes and after every sweep.
   */
  writeRecovery: declareCall<(tab: string, notebook: NotebookDocument, path?: string) => void>(
    ['tab', tabId],
    ['notebook', notebookDocumentSchema],
    ['path', optionalPath],
  ),
  /** Remove this tab's autosave (no other tab's): its notebook was saved or closed cleanly. */
  clearRecovery: declareCall<(tab: string) => void>(['tab', tabId]),
  /**
   * Called once when the tab's page starts: the newest unsaved work left behind (a crashed host,
   * a closed tab, this tab before a reload), or null. Another open tab's work is never offered.
   */
  pendingRecovery: declareCall<(tab: string) => RecoveryOffer | null>(['tab', tabId]),
  /** Take over the unsaved work offered to this tab; it stays in the recovery folder until saved. */
  restoreRecovery: declareCall<(tab: string) => RecoveredNotebook>(['tab', tabId]),
  /** Delete the unsaved work offered to this tab (the user chose not to restore it); the next one, or null. */
  discardRecovery: declareCall<(tab: string) => RecoveryOffer | null>(['tab', tabId]),

  /**
   * Draw a figure with the host's headless renderer (chart.js on @napi-rs/canvas, the one
   * `accent-lab figures` uses) as PNG, SVG or PDF: the app's vector exports and its report's figures.
   */
  renderFigure: declareCall<(request: RenderFigureRequest) => RenderedFigure>([
    'request',
    renderFigureRequestSchema,
  ]),
};

type Declarations = typeof HOST_CALL_DECLARATIONS;

/** The name of a host call. */
export type HostCall = keyof Declarations;

/**
 * The calls in their declared order; each crosses the bridge on its own channel. (The sandboxed
 * preload cannot bundle the schemas: the main process hands it these names, see
 * hostCallsArgument in ./hostApi.ts.)
 */
export const HOST_CALLS = Object.keys(HOST_CALL_DECLARATIONS) as HostCall[];

type SignatureOf<C extends HostCall> = Declarations[C] extends HostCallDeclaration<infer S> ? S : never;

/** The arguments of `call`, as its declaration gives them. */
export type CallArgs<C extends HostCall> = Parameters<SignatureOf<C>>;

/** What `call` resolves to. */
export type CallResult<C extends HostCall> = ReturnType<SignatureOf<C>>;

/** Every call as a method returning a Promise, with its declaration's doc comment (HostApi extends it). */
export type HostCallMethods = {
  [C in keyof Declarations]: (...args: CallArgs<C>) => Promise<CallResult<C>>;
};

/** The parameters of `call`: their names and schemas. */
export function callParameters(call: HostCall): readonly CallParameter[] | undefined {
  return Object.hasOwn(HOST_CALL_DECLARATIONS, call) ? HOST_CALL_DECLARATIONS[call].parameters : undefined;
}
