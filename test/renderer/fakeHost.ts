import type { LocatedStore, LocateStoreRequest } from '../../src/shared/hostApi';
import type { StoredPairsAnswer, StoredPairsRequest } from '../../src/shared/figures/storedPairs';
import { vi } from 'vitest';
import { expandDesign, type ExperimentDesign } from '../../src/engine/experiment/design';
import type { TrialMetrics, TrialResult } from '../../src/engine/experiment/trial';
import { MODERN_2025, PERQ_1987 } from '../../src/engine/hardware/presets';
import { STRATEGIES } from '../../src/engine/model/migration';
import { REPRESENTATIVES } from '../../src/engine/workloads/representatives';
import type { WorkloadSpec } from '../../src/engine/workloads/spec';
import type {
  ClusterBundle,
  ClusterBundleRequest,
  DesignEstimate,
  HostApi,
  HostEvent,
  ImportedTrace,
  ImportTraceRequest,
  NotebookDocument,
  RecoveredNotebook,
  RecoveryOffer,
  RenderedFigure,
  RenderFigureRequest,
  StoreNotice,
  SweepStarted,
  TraceWorkloadRequest,
} from '../../src/shared/hostApi';

/** A HostApi in memory: records calls, starts sweeps without running them, emits what a test says. */
export class FakeHost implements HostApi {
  readonly listeners = new Set<(event: HostEvent) => void>();
  readonly files = new Map<string, NotebookDocument>();
  started: ExperimentDesign[] = [];
  sweepCount = 0;

  version = vi.fn(async () => '0.1.0-test');
  catalog = vi.fn(async () => ({
    representatives: [...REPRESENTATIVES],
    hardwarePresets: [structuredClone(PERQ_1987), structuredClone(MODERN_2025)],
    strategies: [...STRATEGIES],
    prefetchValues: [0, 1, 3, 7, 15],
  }));
  startSweep = vi.fn(async (design: ExperimentDesign): Promise<SweepStarted> => {
    this.started.push(design);
    this.sweepCount += 1;
    const trials = expandDesign(design).map((spec) => ({
      id: spec.id,
      workload: spec.workload.name,
      strategy: spec.strategy,
      prefetch: spec.prefetch,
      replication: spec.replication ?? 0,
    }));
    return { sweepId: `sweep-${this.sweepCount}`, trialCount: trials.length, trials };
  });
  cancelSweep = vi.fn(async (_sweepId: string) => {});
  retryTrial = vi.fn(async (_sweepId: string, _trialId: string) => {});
  estimateDesign = vi.fn(async (design: ExperimentDesign): Promise<DesignEstimate> => ({
    trials: expandDesign(design).length,
    workers: 2,
    calibrationTrials: 4,
    calibrationSeconds: 0.1,
    seconds: expandDesign(design).length * 0.01,
    notebookBytes: expandDesign(design).length * 1000,
    storeBytes: expandDesign(design).length * 250,
  }));
  writeClusterBundle = vi.fn(async (request: ClusterBundleRequest): Promise<ClusterBundle> => ({
    arrayScript: `${request.out}/campaign.sbatch`,
    mergeScript: `${request.out}/merge.sbatch`,
    commands: ['sbatch array', 'sbatch merge'],
    trialsCsv: `${request.out}/trials.csv`,
  }));
  newNotebook = vi.fn(async (): Promise<NotebookDocument> => ({
    formatVersion: 3,
    name: 'Untitled',
    provenance: { engineVersion: '0.1.0', createdBy: 'Accent Migration Lab 0.1.0-test' },
    entries: [],
  }));
  readonly builtins = new Map<string, NotebookDocument>();
  builtinNotebooks = vi.fn(async () => [...this.builtins].map(([id, doc]) => ({ id, title: doc.name })));
  openBuiltinNotebook = vi.fn(async (id: string) => {
    const doc = this.builtins.get(id);
    if (!doc) throw new Error(`there is no built-in notebook "${id}"`);
    return structuredClone(doc);
  });
  openNotebook = vi.fn(async (path?: string) => {
    if (path === undefined) return null;
    const notebook = this.files.get(path);
    if (!notebook) throw new Error(`no such file: ${path}`);
    return { path, notebook: structuredClone(notebook) };
  });
  saveNotebook = vi.fn(async (notebook: NotebookDocument, path?: string) => {
    if (path === undefined) return null;
    this.files.set(path, structuredClone(notebook));
    return { path };
  });
  /** Store notices the next checkNotebookStores gives (none by default). */
  storeNotices: StoreNotice[] = [];
  checkNotebookStores = vi.fn(async (_path: string): Promise<StoreNotice[]> => this.storeNotices);
  /** A located store: refused unless a test says otherwise. */
  locateStore = vi.fn(async (_request: LocateStoreRequest, path?: string): Promise<LocatedStore | null> => {
    throw new Error(`${path ?? 'no path'} does not exist`);
  });
  /** Compare's pairs from the stores: none (the comparison stays Welch from summaries) by default. */
  pairedFromStores = vi.fn(async (request: StoredPairsRequest): Promise<StoredPairsAnswer[]> =>
    request.others.map((other) => ({
      baselineId: request.baseline.id,
      experimentId: other.id,
      reason: 'the fake host keeps no stores',
    })),
  );
  recentNotebookPaths = vi.fn(async () => [...this.files.keys()]);
  recentNotebooks = vi.fn(async () => [...this.files].map(([path, doc]) => ({ path, title: doc.name })));
  notebooksFolder = vi.fn(async () => '/home/lab');
  importTrace = vi.fn(async (_request: ImportTraceRequest): Promise<ImportedTrace | null> => null);
  cancelTraceImport = vi.fn(async (_importId: string): Promise<void> => {});
  traceWorkload = vi.fn(async (request: TraceWorkloadRequest): Promise<WorkloadSpec> => {
    throw new Error(`no trace ${request.source.path} in the fake host`);
  });

  /** This tab's autosave, as writeRecovery left it. */
  recovery: { notebook: NotebookDocument; path: string | null } | null = null;
  /** The tab id the last recovery call named. */
  recoveryTab: string | null = null;
  /** Unsaved work left behind, newest first (offered one at a time). */
  leftBehind: RecoveredNotebook[] = [];
  private offer(): RecoveryOffer | null {
    const [left, ...more] = this.leftBehind;
    return left
      ? { savedAt: left.savedAt, name: left.notebook.name, path: left.path, more: more.length }
      : null;
  }
  writeRecovery = vi.fn(async (tab: string, notebook: NotebookDocument, path?: string) => {
    this.recoveryTab = tab;
    this.recovery = { notebook: structuredClone(notebook), path: path ?? null };
  });
  clearRecovery = vi.fn(async (tab: string) => {
    this.recoveryTab = tab;
    this.recovery = null;
  });
  pendingRecovery = vi.fn(async (tab: string) => {
    this.recoveryTab = tab;
    return this.offer();
  });
  restoreRecovery = vi.fn(async (tab: string) => {
    this.recoveryTab = tab;
    const left = this.leftBehind.shift();
    if (!left) throw new Error('there is no unsaved work to restore');
    this.recovery = { notebook: structuredClone(left.notebook), path: left.path };
    return structuredClone(left);
  });
  discardRecovery = vi.fn(async (tab: string) => {
    this.recoveryTab = tab;
    this.leftBehind.shift();
    return this.offer();
  });

  /** A stand-in drawing: an SVG that names the figure (the real one is the host's renderer). */
  renderFigure = vi.fn(async (request: RenderFigureRequest): Promise<RenderedFigure> => {
    const text = `<svg xmlns="http://www.w3.org/2000/svg"><text>${request.figure.title}</text></svg>`;
    return { format: request.format, base64: Buffer.from(text).toString('base64') };
  });

  onEvent(listener: (event: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: HostEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

const ZERO_METRICS: TrialMetrics = {
  exciseSeconds: 0,
  amapSeconds: 0,
  rimasCollapseSeconds: 0,
  insertSeconds: 0,
  coreTransferSeconds: 0,
  rimasTransferSeconds: 0,
  transferSeconds: 0,
  remoteExecSeconds: 0,
  endToEndSeconds: 0,
  totalSeconds: 0,
  bytesTotal: 0,
  bytesFault: 0,
  bytesHeaders: 0,
  bytesInline: 0,
  bytesPageData: 0,
  messages: 0,
  messagesSource: 0,
  messagesDest: 0,
  messageSecondsSource: 0,
  messageSecondsDest: 0,
  packets: 0,
  imaginaryFaults: 0,
  meanImaginaryFaultMs: 0,
  diskFaults: 0,
  meanDiskFaultMs: 0,
  fillZeroFaults: 0,
  prefetchedPages: 0,
  prefetchHits: 0,
  prefetchHitRatio: 0,
  pagesShippedAtMigration: 0,
  pagesDeliveredByFaults: 0,
  pagesTouchedRemote: 0,
  realPages: 0,
  realZeroPages: 0,
  residentPages: 0,
  amapEntries: 0,
  references: 0,
  pagesArrivedTwice: 0,
  pagesTouchedNeverArrived: 0,
  pagesWithWrongContents: 0,
  simulatedEvents: 0,
};

/** A successful result with the metrics the views read; the rest zero. */
export function okResult(
  id: string,
  workload: string,
  strategy: TrialResult['strategy'],
  prefetch: number,
  metrics: Partial<TrialMetrics> = {},
  replication = 0,
): TrialResult {
  return {
    id,
    workload,
    strategy,
    prefetch,
    hardware: 'perq-1987',
    seed: 1987,
    replication,
    ok: true,
    metrics: { ...ZERO_METRICS, ...metrics },
  };
}

export function smallDesign(): ExperimentDesign {
  return {
    name: 'Small',
    representatives: ['Minprog', 'Chess'],
    customWorkloads: [],
    strategies: ['pure-copy', 'pure-iou'],
    prefetchValues: [0, 1],
    hardware: structuredClone(PERQ_1987),
    seed: 1987,
    repetitions: 1,
  };
}
