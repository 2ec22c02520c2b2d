import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExperimentDesign } from '../../engine/experiment/design';
import { countTrials, designProblems, DesignTrials } from '../../engine/experiment/design';
import type { EnginePool } from '../../node/enginePool';
import { isCancelled } from '../../node/enginePool';
import { writeSlurmBundle } from '../../node/slurmBundle';
import { calibratedPace, storeBytes } from '../../shared/estimate';
import type { ClusterBundle, ClusterBundleRequest, DesignEstimate } from '../../shared/hostApi';

export interface CampaignServiceOptions {
  /** The lab's command line (bin/accent-lab.js) the cluster's jobs run; null when not shipped. */
  cliPath: string | null;
  /** Longest a calibration runs before it is stopped (ms, default 20 s). */
  calibrationLimitMs?: number;
}

/** Calibration trials: a couple per worker, spread over the design. */
const calibrationCount = (workers: number): number => Math.max(2, 2 * workers);

/**
 * The designer's view of a run before it starts: an estimate from a short calibration (a few of
 * the design's own trials, timed on the host's workers) and "Run on a cluster…" (the CLI's
 * Slurm bundle, written by the same code as `accent-lab slurm`).
 */
export class CampaignService {
  private readonly calibrationLimitMs: number;

  constructor(
    private readonly pool: EnginePool,
    private readonly options: CampaignServiceOptions,
  ) {
    this.calibrationLimitMs = options.calibrationLimitMs ?? 20_000;
  }

  /**
   * Run a few of the design's trials (spread evenly over it, so its heavy and light workloads
   * both count) and estimate the whole: its time on this host's workers (the median time of a
   * trial on its worker, each worker's first left out) and its size, in the notebook (the trials'
   * JSON, as the app keeps them) and in a results store.
   */
  async estimateDesign(design: ExperimentDesign): Promise<DesignEstimate> {
    const problems = designProblems(design);
    if (problems.length > 0)
      throw new Error(`experiment "${design.name}" cannot run: ${problems.join('; ')}`);
    const trials = new DesignTrials(structuredClone(design));
    const total = countTrials(design);
    const workers = this.pool.workers;
    const count = Math.min(total, calibrationCount(workers));
    const indices = Array.from({ length: count }, (_, at) => Math.floor((at * total) / count));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.calibrationLimitMs);
    const startedAt = new Map<number, [order: number, at: number]>();
    const trialSeconds: number[] = [];
    let starts = 0;
    let jsonBytes = 0;
    let ran = 0;
    const began = performance.now();
    try {
      await this.pool.runEach(trials, {
        signal: controller.signal,
        indices,
        onTrialStart: (index) => startedAt.set(index, [starts++, performance.now()]),
        onResult: (index, result) => {
          const start = startedAt.get(index);
          if (isCancelled(result) || !start) return;
          trialSeconds[start[0]] = result.ok ? (performance.now() - start[1]) / 1000 : NaN;
          jsonBytes += Buffer.byteLength(JSON.stringify(result));
          ran += 1;
        },
      });
    } finally {
      clearTimeout(timer);
    }
    const pace = calibratedPace(trialSeconds, Math.min(workers, total));
    return {
      trials: total,
      workers,
      calibrationTrials: ran,
      calibrationSeconds: (performance.now() - began) / 1000,
      seconds: Number.isFinite(pace) && pace > 0 ? total / pace : null,
      notebookBytes: ran > 0 ? Math.round((jsonBytes / ran) * total) : null,
      storeBytes: storeBytes(total, trials.pointCount, ran > 0 ? jsonBytes / ran : null),
    };
  }

  /**
   * Write the Slurm bundle of a saved notebook (`accent-lab slurm`'s): a job array of `tasks`
   * shards and a merge job, and the commands that submit them.
   */
  async writeClusterBundle(request: ClusterBundleRequest): Promise<ClusterBundle> {
    if (!this.options.cliPath) {
      throw new Error('this installation has no command line (bin/accent-lab.js) for the cluster to run');
    }
    const notebook = resolve(request.notebookPath);
    if (!existsSync(notebook)) throw new Error(`the notebook ${notebook} is not on disk: save it first`);
    const bundle = await writeSlurmBundle(notebook, {
      tasks: request.tasks,
      out: request.out,
      workers: request.workers,
      ...(request.name ? { name: request.name } : {}),
      // Electron's own binary is no Node.js to run the CLI with: the cluster's `node` is.
      node: process.versions['electron'] ? 'node' : process.execPath,
      cli: this.options.cliPath,
    });
    return {
      arrayScript: bundle.arrayScript,
      mergeScript: bundle.mergeScript,
      commands: bundle.commands,
      trialsCsv: join(resolve(request.out), 'trials.csv'),
    };
  }
}
