import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HARDWARE_PRESETS } from '../engine/hardware/presets';
import { PAPER_PREFETCH_VALUES, STRATEGIES } from '../engine/model/migration';
import { REPRESENTATIVES } from '../engine/workloads/representatives';
import { version as packageVersion } from '../../package.json';
import type {
  Catalog,
  HostApi,
  HostCall,
  HostEvent,
  NotebookDocument,
  RenderedFigure,
  RenderFigureRequest,
} from '../shared/hostApi';
import { HOST_CALLS } from '../shared/hostCalls';
import { parseCallArgs } from '../shared/validation';
import { DEFAULT_TRIAL_TIMEOUT_MS, EnginePool } from '../node/enginePool';
import { renderFigure } from '../node/figureRenderer';
import { CampaignService } from './services/campaignService';
import { NotebookService } from './services/notebookService';
import { RecoveryService } from './services/recoveryService';
import { checkNotebookStores, locateStore } from './services/storeCheck';
import { readStoredPairs } from '../node/storedPairs';
import type { CarryOptions } from './services/storeCarry';
import { SweepService } from './services/sweepService';
import { TraceService } from './services/traceService';
import { defaultNotebooksFolder, notebookFileCalls, notebookTitle } from './notebookFileCalls';

export interface HostServicesOptions {
  /** The EnginePool's worker module (out/main/trialWorker.js in a build). */
  workerFile: string | URL;
  /** Folder for settings such as the recent-files list. */
  settingsDir: string;
  /** Folder for autosaved unsaved work (default: `<settingsDir>/recovery`). */
  recoveryDir?: string;
  /** Time budget of one trial in ms (default DEFAULT_TRIAL_TIMEOUT_MS); over it, the trial fails. */
  trialTimeoutMs?: number;
  /** The package's resources folder (its notebooks/ holds the built-in notebooks). */
  resourcesDir?: string;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** The folder suggested for a first save (default: ~/Documents if it exists, else the home folder). */
  notebooksFolder?: string;
  /** Ask the user for a notebook to open (Electron's dialog); null when they cancel. */
  pickOpenPath?: () => Promise<string | null>;
  /** Ask the user where to save (Electron's dialog); null when they cancel. */
  pickSavePath?: (notebook: NotebookDocument) => Promise<string | null>;
  /** Ask the user for a trace file to import (Electron's dialog); null when they cancel. */
  pickTracePath?: () => Promise<string | null>;
  /** Ask the user for a results store (Electron's dialog); null when they cancel. */
  pickStorePath?: () => Promise<string | null>;
  /** Passed to the SweepService (tests shorten or lengthen them). */
  progressIntervalMs?: number;
  /**
   * The byte limit of an experiment's inline trials (default INLINE_BYTES): a sweep's, and an old
   * notebook's inline experiment's on save (tests lower it).
   */
  inlineBytes?: number;
  progressEvery?: number;
  /**
   * The lab's command line (bin/accent-lab.js) that "Run on a cluster…" has the jobs run (default:
   * the one beside the resources folder, when there is one; null: none).
   */
  cliPath?: string | null;
}

/** The HostApi as both adapters serve it, plus what they need to run it. */
export interface HostServices extends HostApi {
  /** Send an event to every listener (the Electron adapter's menu uses it). */
  emit(event: HostEvent): void;
  /** Cancel all sweeps and stop the worker threads. */
  close(): Promise<void>;
  readonly sweeps: SweepService;
  readonly notebooks: NotebookService;
  readonly recovery: RecoveryService;
  /**
   * The services as one connection of the web adapter (one browser tab) sees them: the tab it
   * names in its recovery calls is held open (its autosave is not offered to other tabs) and the
   * trace imports it started run until end(), called when the connection closes.
   */
  connect(): HostConnection;
}

/** One connection's view of the host services (see HostServices.connect). */
export interface HostConnection {
  readonly api: HostApi;
  /** The connection closed: its tab's autosave is left behind, its trace imports are cancelled. */
  end(): void;
}

/** Niceness of the host's engine workers (see EnginePoolOptions.workerNice). */
export const BACKGROUND_WORKER_NICE = 10;

/** What the designer offers: the representatives, hardware presets, strategies and prefetch values. */
function catalog(): Catalog {
  return {
    representatives: REPRESENTATIVES.map((workload) => structuredClone(workload)),
    hardwarePresets: Object.values(HARDWARE_PRESETS).map((preset) => structuredClone(preset)),
    strategies: [...STRATEGIES],
    prefetchValues: [...PAPER_PREFETCH_VALUES],
  };
}

/** The services behind the host calls, sharing one worker pool and one event hub. */
interface HostParts {
  pool: EnginePool;
  sweeps: SweepService;
  notebooks: NotebookService;
  traces: TraceService;
  campaigns: CampaignService;
  recovery: RecoveryService;
  /** The results store of an untitled notebook's sweeps. */
  untitledStore: string;
}

/**
 * The host's services behind the HostApi: sweeps on a worker pool, notebook files and the catalog.
 * Node only; the Electron and web adapters validate each call (see {@link callHost}) and forward
 * events from onEvent. Each HostApi method is one call declared in shared/hostCalls.ts: the services
 * are made by hostParts, and this binds each call to them, one line per call where it can.
 */
export function createHostServices(options: HostServicesOptions): HostServices {
  const { events, emit, onEvent } = eventHub();
  const parts = hostParts(options, emit);
  const { sweeps, notebooks, traces, campaigns, recovery } = parts;
  let closing: Promise<void> | null = null;

  const services: HostServices = {
    sweeps,
    notebooks,
    recovery,
    connect: () => connection(services, recovery, traces),
    emit,
    version: async () => packageVersion,
    catalog: async () => catalog(),
    startSweep: async (design, options) => sweeps.startSweep(design, options),
    cancelSweep: async (sweepId) => sweeps.cancelSweep(sweepId),
    retryTrial: async (sweepId, trialId) => sweeps.retryTrial(sweepId, trialId),
    estimateDesign: (design) => campaigns.estimateDesign(design),
    writeClusterBundle: (request) => campaigns.writeClusterBundle(request),
    newNotebook: async () => notebooks.newNotebook(),
    ...notebookFileCalls(notebooks, options, storesToCarry(parts)),
    checkNotebookStores: (path) =>
      checkNotebookStores(path, (file, use) =>
        sweeps.stores
          ? sweeps.stores.inspect(file, use)
          : Promise.reject(new Error('this host keeps no stores')),
      ),
    locateStore: async (request, path) => {
      let file = path;
      if (file === undefined) {
        if (!options.pickStorePath) throw new Error("locateStore: give the store's path");
        const picked = await options.pickStorePath();
        if (picked === null) return null;
        file = picked;
      }
      return locateStore(request, file, (at, use) =>
        sweeps.stores
          ? sweeps.stores.inspect(at, use)
          : Promise.reject(new Error('this host keeps no stores')),
      );
    },
    pairedFromStores: (request) =>
      readStoredPairs(request, (file, use) =>
        sweeps.stores
          ? sweeps.stores.inspect(file, use)
          : Promise.reject(new Error('this host keeps no stores')),
      ),
    recentNotebookPaths: () => notebooks.recent(),
    recentNotebooks: async () =>
      Promise.all(
        (await notebooks.recent()).map(async (path) => ({ path, title: await notebookTitle(path) })),
      ),
    notebooksFolder: async () => options.notebooksFolder ?? defaultNotebooksFolder(),
    builtinNotebooks: () => notebooks.builtinNotebooks(),
    openBuiltinNotebook: (id) => notebooks.openBuiltin(id),
    importTrace: (request) => traces.importTrace(request),
    cancelTraceImport: async (importId) => traces.cancel(importId),
    traceWorkload: (request) => traces.traceWorkload(request),
    writeRecovery: (tab, notebook, path) => recovery.write(tab, notebook, path),
    clearRecovery: (tab) => recovery.clear(tab),
    pendingRecovery: (tab) => recovery.pending(tab),
    restoreRecovery: (tab) => recovery.restore(tab),
    discardRecovery: (tab) => recovery.discard(tab),
    renderFigure: async (request) => figureImage(request),
    onEvent,
    close() {
      closing ??= closeParts(parts, events);
      return closing;
    },
  };
  return services;
}

/** The services the host calls are bound to: one worker pool for sweeps and campaign estimates. */
function hostParts(options: HostServicesOptions, emit: (event: HostEvent) => void): HostParts {
  const pool = new EnginePool({
    workerFile: options.workerFile,
    trialTimeoutMs: options.trialTimeoutMs ?? DEFAULT_TRIAL_TIMEOUT_MS,
    // Sweeps are batch work: the window (and this host) come first when the cores are full.
    workerNice: BACKGROUND_WORKER_NICE,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  const untitledStore = join(options.settingsDir, 'results', 'untitled.results.duckdb');
  const sweeps = new SweepService(pool, {
    emit,
    // App sweeps stream into the results store beside their notebook (an untitled one's here).
    stores: { untitled: untitledStore },
    ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
    ...(options.progressEvery !== undefined ? { progressEvery: options.progressEvery } : {}),
    ...(options.inlineBytes !== undefined ? { inlineBytes: options.inlineBytes } : {}),
  });
  const notebooks = new NotebookService({
    settingsDir: options.settingsDir,
    ...(options.resourcesDir ? { builtinDir: join(options.resourcesDir, 'notebooks') } : {}),
  });
  const traces = new TraceService({
    uploadDir: join(options.settingsDir, 'traces'),
    emit,
    ...(options.pickTracePath ? { pickTracePath: options.pickTracePath } : {}),
  });
  const campaigns = new CampaignService(pool, {
    cliPath: options.cliPath !== undefined ? options.cliPath : defaultCliPath(options.resourcesDir),
  });
  const recovery = new RecoveryService({ dir: options.recoveryDir ?? join(options.settingsDir, 'recovery') });
  return { pool, sweeps, notebooks, traces, campaigns, recovery, untitledStore };
}

/** Where Save As finds the stores whose trials go with a notebook (see notebookFileCalls). */
function storesToCarry({ sweeps, untitledStore }: HostParts): Pick<CarryOptions, 'untitled' | 'open'> {
  return {
    untitled: untitledStore,
    open: (path) => {
      if (!sweeps.stores) throw new Error('this host keeps no results stores');
      return sweeps.stores.openFile(path);
    },
  };
}

/** A figure drawn on the host (PNG, SVG or PDF), base64 for the bridge. */
async function figureImage(request: RenderFigureRequest): Promise<RenderedFigure> {
  const drawn = renderFigure(
    request.figure,
    { width: request.width, height: request.height, scale: request.scale },
    request.format,
  );
  return { format: request.format, base64: drawn.toString('base64') };
}

/** Close the host: trace imports and sweeps cancelled, stores closed, workers stopped, listeners gone. */
async function closeParts({ traces, sweeps, pool }: HostParts, events: EventEmitter): Promise<void> {
  traces.cancelAll();
  await sweeps.cancelAll();
  await sweeps.closeStores();
  await pool.close();
  events.removeAllListeners();
}

/** The host's events: `emit` sends one to every listener, whatever one of them throws. */
function eventHub(): {
  events: EventEmitter;
  emit: (event: HostEvent) => void;
  onEvent: HostApi['onEvent'];
} {
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const emit = (event: HostEvent): void => {
    // One listener's failure must not stop the others or the sweep that emitted.
    for (const listener of events.listeners('event') as ((event: HostEvent) => void)[]) {
      try {
        listener(event);
      } catch (error) {
        console.error('host event listener failed:', error);
      }
    }
  };
  const onEvent: HostApi['onEvent'] = (listener) => {
    events.on('event', listener);
    return () => void events.off('event', listener);
  };
  return { events, emit, onEvent };
}

/** One connection of the web adapter (see HostServices.connect). */
function connection(services: HostServices, recovery: RecoveryService, traces: TraceService): HostConnection {
  const releases = new Map<string, () => void>();
  const imports = new Set<string>();
  let ended = false;
  const holding = (tab: string): string => {
    if (!ended && !releases.has(tab)) releases.set(tab, recovery.hold(tab));
    return tab;
  };
  const api: HostApi = {
    ...services,
    async importTrace(request) {
      imports.add(request.importId);
      try {
        return await traces.importTrace(request);
      } finally {
        imports.delete(request.importId);
      }
    },
    writeRecovery: (tab, notebook, path) => recovery.write(holding(tab), notebook, path),
    clearRecovery: (tab) => recovery.clear(holding(tab)),
    pendingRecovery: (tab) => recovery.pending(holding(tab)),
    restoreRecovery: (tab) => recovery.restore(holding(tab)),
    discardRecovery: (tab) => recovery.discard(holding(tab)),
  };
  return {
    api,
    end() {
      ended = true;
      for (const release of releases.values()) release();
      releases.clear();
      for (const importId of imports) traces.cancel(importId);
    },
  };
}

/** bin/accent-lab.js of the package whose resources folder is given, when it is there. */
export function defaultCliPath(resourcesDir: string | undefined): string | null {
  if (!resourcesDir) return null;
  const cli = join(resourcesDir, '..', 'bin', 'accent-lab.js');
  return existsSync(cli) ? resolve(cli) : null;
}

/** True for the names of host calls (anything else arriving from outside is refused). */
export function isHostCall(name: unknown): name is HostCall {
  return typeof name === 'string' && (HOST_CALLS as readonly string[]).includes(name);
}

/**
 * Run one call that arrived from outside (IPC or the web socket): validate its arguments against
 * the shared schemas, then call the service. Rejects with an Error naming the offending field.
 */
export async function callHost(services: HostApi, call: HostCall, args: unknown): Promise<unknown> {
  const parsed = parseCallArgs(call, args);
  const method = services[call] as (...a: unknown[]) => Promise<unknown>;
  return method.apply(services, parsed as unknown[]);
}
