import { platform, setPriority } from 'node:os';
import { isMainThread, MessageChannel, parentPort, workerData } from 'node:worker_threads';
import { PROGRESS_PORT } from './progressPort';
import type { ProgressMessage } from './progressPort';
import { footprintProblem } from '../engine/experiment/footprint';
import { runTrial, trialIdentity } from '../engine/experiment/trial';
import type { TrialProgress, TrialResult, TrialSpec } from '../engine/experiment/trial';
import type { PageReferenceString } from '../engine/workloads/trace';
import type { TraceWorkloadSource } from '../engine/workloads/spec';
import { loadTraceForWorkload } from './traceImport';

/** What the EnginePool sends a worker for one trial. Everything crosses by structured clone. */
export interface TrialTask {
  spec: TrialSpec;
  /**
   * Set when the caller wants progress: every TrialProgress goes out on this worker's progress
   * port (see PROGRESS_PORT) as a ProgressMessage carrying this number.
   */
  progressId?: number;
  /** Report progress after this many simulation events (the engine's default when absent). */
  progressEvery?: number;
}

/** What the EnginePool gives each worker when it starts. */
export interface TrialWorkerData {
  /** Niceness of this worker thread (Linux only: elsewhere it would apply to the whole process). */
  nice: number;
  /** The worker's heap limit in MB: a trace trial whose trace is too large for it is refused. */
  maxOldGenerationSizeMb?: number;
  /** Post a progress port on the parentPort at start (the EnginePool's workers: progressPort.ts). */
  progressPort?: boolean;
}

const startup = workerData as Partial<TrialWorkerData> | null | undefined;

/**
 * This worker's one progress port, for its whole life, handed to the pool as the worker starts
 * (see progressPort.ts). Only in an EnginePool's worker: this module may be imported elsewhere.
 */
const progressChannel =
  !isMainThread && parentPort && startup?.progressPort === true ? new MessageChannel() : null;
if (progressChannel) {
  parentPort!.postMessage({ [PROGRESS_PORT]: progressChannel.port1 }, [progressChannel.port1]);
}
if (platform() === 'linux' && startup?.nice) {
  try {
    // pid 0 is the calling thread on Linux: only this worker yields to the window and host.
    setPriority(0, startup.nice);
  } catch {
    // A container may forbid it; the trial runs the same at normal priority.
  }
}

/**
 * Page-reference strings this worker has read, by trace file, hash and page size: a sweep runs
 * many trials of one trace, and the cache file is read once per worker.
 */
const loadedTraces = new Map<string, Promise<PageReferenceString>>();

function pageReferencesOf(source: TraceWorkloadSource): Promise<PageReferenceString> {
  const key = `${source.path}\0${source.sha256}\0${source.pageSizeBytes}`;
  let loading = loadedTraces.get(key);
  if (!loading) {
    loading = loadTraceForWorkload(source);
    loadedTraces.set(key, loading);
    // A failure is not kept: the file may be put back before the next trial.
    loading.catch(() => loadedTraces.delete(key));
  }
  return loading;
}

/**
 * The worker side of the EnginePool (default export, as piscina expects): runs one trial with the
 * pure engine and posts its progress on the task's port. A trace workload's page references are
 * read here, from the trace's cache (the engine reads no files). An engine exception propagates,
 * and the pool turns it into a failed TrialResult for this trial only.
 */
export default function runTrialTask(task: TrialTask): TrialResult | Promise<TrialResult> {
  const trace = task.spec.workload.trace;
  // Other workloads run synchronously, as they always have.
  if (!trace) return runTask(task, undefined);
  return pageReferencesOf(trace).then((pageReferences) => {
    const limit = startup?.maxOldGenerationSizeMb;
    const size = { pages: pageReferences.pages.length, records: pageReferences.references.length };
    const tooLarge = limit === undefined ? null : footprintProblem(task.spec, limit, size);
    if (tooLarge) return { ...trialIdentity(task.spec), ok: false, error: tooLarge };
    return runTask(task, pageReferences);
  });
}

function runTask(
  { spec, progressId, progressEvery }: TrialTask,
  pageReferences: PageReferenceString | undefined,
): TrialResult {
  const port = progressChannel?.port2;
  return runTrial(spec, {
    ...(port && progressId !== undefined
      ? {
          onProgress: (progress: TrialProgress) =>
            port.postMessage({ progressId, progress } satisfies ProgressMessage),
        }
      : {}),
    ...(progressEvery !== undefined ? { progressEvery } : {}),
    ...(pageReferences ? { pageReferences } : {}),
  });
}
