import type { RandomStream } from '../kernel/random';
import type { Resource } from '../kernel/resource';
import type { ProcessBody, Simulation } from '../kernel/simulation';
import type { AMap } from '../model/amap';
import { Cluster } from '../model/cluster';
import type { Host } from '../model/cluster';
import type { ImaginarySegment } from '../model/imaginary';
import { strategyOptionsWithDefaults } from '../model/strategyOptions';
import type { StrategyOptions } from '../model/strategyOptions';
import type { AccentProcess, MigrationTimings } from '../model/migration';
import { insertProcess, isPaperStrategy } from '../model/migration';
import type { GeneratedWorkload } from '../workloads/spec';
import { LiveMigration } from './liveStrategies';
import { ReferenceLoop } from './referenceLoop';
import { migrationStreams, placeProcess, workloadOf } from './trialSetup';
import { trialIdentity } from './trialTypes';
import type { RunTrialOptions, TrialProgress, TrialResult, TrialSpec } from './trialTypes';
import { trialResult } from './trialMetrics';

/**
 * One migration of a trial on its own two hosts in `sim`, over a shared `link`: the process placed
 * at the source, migrated by the trial's strategy, run to its exit at the destination, and the
 * state its metrics are read from (trialResult, ./trialMetrics). `done` is called once it has
 * nothing more to do. The trial's first migration is the one its metrics describe.
 */
export class MigrationRun {
  readonly identity: ReturnType<typeof trialIdentity>;
  readonly strategyOptions: StrategyOptions;
  readonly cluster: Cluster;
  readonly source: Host;
  readonly destination: Host;
  readonly generated: GeneratedWorkload;
  /** The process at the source, as it was at migration time. */
  readonly process: AccentProcess;
  readonly residentPages: number;
  /** The process's AMap when it was frozen (the request, for the paper's strategies). */
  originalAmap: AMap;
  /** Each RealMem page's contents when the process was frozen. */
  readonly originalContents = new Map<number, number>();
  /** RealMem pages referenced at the destination. */
  readonly touchedRemote = new Set<number>();
  /** The pre-copy family's state: rounds, dirty pages, the freeze. */
  readonly live: LiveMigration;

  phase: TrialProgress['phase'] = 'migrating';
  referencesDone = 0;
  failure: Error | null = null;
  timings: MigrationTimings | null = null;
  insertSeconds = 0;
  freezeAt = 0;
  remoteStart = 0;
  remoteEnd = 0;
  messageSecondsSource = 0;
  messageSecondsDest = 0;
  /** The destination's reference loop, once the process runs there. */
  referenceLoop: ReferenceLoop | null = null;
  /** The process at the destination, once inserted. */
  migrated: AccentProcess | null = null;
  eventsAtExit = 0;
  preCopyRounds = 0;
  processLost = false;
  sourceFailed = false;
  exited = false;
  /** When the source finished its part of the transfer (it may still back owed pages). */
  transferDoneAt: number | null = null;
  /** Time the source was released, once it is. */
  releasedAt: number | null = null;
  private finished = false;

  constructor(
    readonly spec: TrialSpec,
    readonly sim: Simulation,
    link: Resource,
    random: RandomStream,
    options: RunTrialOptions,
    first: boolean,
    private readonly done: () => void,
  ) {
    this.identity = trialIdentity(spec);
    this.strategyOptions = strategyOptionsWithDefaults(spec.strategyOptions);
    const streams = migrationStreams(random);
    this.cluster = new Cluster(sim, spec.hardware, streams.cluster, link);
    this.source = this.cluster.addHost('source');
    this.destination = this.cluster.addHost('destination');
    // Both hosts' memories are full of other work when the migration starts.
    this.source.memory.admitAnonymous(this.source.memory.capacity);
    this.destination.memory.admitAnonymous(this.destination.memory.capacity);

    // Write flags draw from their own stream, so the paper's trials see the draws they always saw.
    // A workload given by the caller is the first migration's: the others draw their own.
    this.generated =
      first && options.workload ? options.workload : workloadOf(spec, options.pageReferences, streams);
    this.process = placeProcess(this.source, spec.workload, this.generated, spec.seed);
    // The paper's strategies freeze the process at the request; the others take these at the freeze.
    this.originalAmap = this.process.space.amap.clone();
    this.snapshotContents();
    this.residentPages = this.generated.residentPages.length;
    this.live = new LiveMigration(this);

    sim.process(this.lifecycle(), 'trial');
    const failAt = spec.sourceFailureSeconds;
    if (failAt !== undefined) sim.process(this.sourceFailure(failAt), 'source failure');
  }

  progress(): TrialProgress {
    const counters = this.cluster.counters;
    return {
      simulatedSeconds: this.sim.now,
      referencesDone: this.referencesDone,
      referencesTotal: this.generated.references.length,
      phase: this.phase,
      bytesFault: counters.bytesFault,
      bytesOther: counters.bytesTotal - counters.bytesFault,
    };
  }

  /** The trial's result from this migration: its metrics, or why it failed. */
  finish(): TrialResult {
    return trialResult(this);
  }

  /** Take the process's AMap and page contents as they are now: the freeze. */
  snapshotContents(): void {
    this.originalContents.clear();
    for (const [page, state] of this.process.space.pages) this.originalContents.set(page, state.content);
  }

  /** Imaginary segments the source backs for the process (owed pages). */
  sourceBackers(): ImaginarySegment[] {
    return [...this.cluster.segments.values()].filter(
      (segment) => segment.host === this.source && segment.backer,
    );
  }

  /** The source owes nothing more: its transfer is done and every segment it backs is released. */
  sourceReleased(): boolean {
    if (this.releasedAt !== null) return true;
    if (this.transferDoneAt === null) return false;
    const backers = this.sourceBackers();
    if (backers.some((segment) => segment.backer!.releasedAt === null)) return false;
    this.releasedAt = Math.max(this.transferDoneAt, ...backers.map((segment) => segment.backer!.releasedAt!));
    return true;
  }

  private finishOnce(): void {
    if (this.finished) return;
    this.finished = true;
    this.done();
  }

  /** Migrate by the paper's strategies: the source's MigrationManager does it all. */
  private *migratePaper(): ProcessBody<AccentProcess> {
    const { sim, source, destination, spec } = this;
    this.timings = yield* source.migrationManager.migrate(
      this.process,
      destination.migrationManager,
      spec.strategy,
      spec.prefetch,
    );
    this.transferDoneAt = sim.now;
    const [core, rimas] = (yield destination.migrationManager.contextArrived()) as [
      Parameters<typeof insertProcess>[1],
      Parameters<typeof insertProcess>[2],
    ];
    const insertStarted = sim.now;
    const inserted = yield* insertProcess(destination, core, rimas);
    this.insertSeconds = sim.now - insertStarted;
    return inserted;
  }

  /** The trial: migrate, run to the exit, close the measurement, wait for the source's release. */
  private *lifecycle(): ProcessBody<void> {
    const { sim, cluster, source, destination } = this;
    try {
      const migrated = isPaperStrategy(this.spec.strategy)
        ? yield* this.migratePaper()
        : yield* this.live.migrate();
      this.migrated = migrated;
      this.remoteStart = sim.now;
      this.phase = 'executing';
      yield* this.execute(destination, migrated, this.referencesDone, this.live.computeLeft);
      this.remoteEnd = sim.now;
      this.exited = true;
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.remoteEnd = sim.now;
    }
    // The paper's measurement interval ends with the last remote instruction.
    cluster.counters.open = false;
    this.messageSecondsSource = source.messageSeconds;
    this.messageSecondsDest = destination.messageSeconds;
    if (this.migrated) yield this.segmentDeaths(this.migrated);
    this.eventsAtExit = sim.eventsProcessed;
    // Past the measured interval: wait until the source is released (the death notices reach it).
    if (!this.failure && !this.sourceReleased()) {
      sim.process(this.releaseGuard(), 'release guard');
      yield sim.allOf(this.sourceBackers().map((segment) => segment.backer!.whenReleased()));
      this.sourceReleased();
    }
    // Messages counted before the interval closed (a page push) finish their journey.
    if (cluster.counters.inFlight > 0) {
      const drained = sim.event<null>();
      cluster.counters.whenDrained(() => drained.succeed(null));
      yield drained;
    }
    this.finishOnce();
  }

  /** The process is gone: its imaginary segments die, and their backers are told. */
  private segmentDeaths(migrated: AccentProcess): ReturnType<Simulation['allOf']> {
    const { cluster, destination } = this;
    const deaths = migrated.space.segmentIds().map((segmentId) =>
      destination.send(
        cluster.message({
          kind: 'imaginary-segment-death',
          noIOUs: true,
          inlineBytes: this.spec.hardware.ipc.imaginaryRequestBytes,
          portRights: 0,
          traffic: 'other',
          body: segmentId,
        }),
        destination.nms.port,
      ),
    );
    return this.sim.allOf(deaths);
  }

  private *releaseGuard(): ProcessBody<void> {
    yield this.sim.timeout(3600);
    this.finishOnce();
  }

  /** The source host (or its link) crashes `failAt` seconds after the request. */
  private *sourceFailure(failAt: number): ProcessBody<void> {
    const { sim, source, destination } = this;
    yield sim.timeout(failAt);
    this.sourceFailed = true;
    if (this.exited || this.failure || this.sourceReleased()) return;
    // The source still held part of the process: it is lost, and the trial ends here.
    this.processLost = true;
    this.remoteEnd = sim.now;
    this.cluster.counters.open = false;
    this.messageSecondsSource = source.messageSeconds;
    this.messageSecondsDest = destination.messageSeconds;
    this.eventsAtExit = sim.eventsProcessed;
    // One migration per trial when a crash is asked for: ending the simulation ends it.
    sim.stop();
  }

  /** Run the process at `host` from reference `from` to its exit. */
  private *execute(
    host: Host,
    running: AccentProcess,
    from: number,
    firstReferenceSeconds: number | null,
  ): ProcessBody<void> {
    const { sim, generated } = this;
    const references = generated.references;
    if (references.length === 0) {
      yield sim.timeout(this.spec.workload.computeSeconds);
      return;
    }
    const space = running.space;
    const loop = new ReferenceLoop({
      references,
      space,
      memory: host.memory,
      remote: { originalAmap: this.originalAmap, touchedRemote: this.touchedRemote },
      secondsBefore: generated.secondsBefore,
      secondsPerReference: generated.secondsPerReference,
      interval: this.spec.hardware.memory.backgroundPagesPerSecond > 0 ? 1 : Infinity,
      from,
      firstReferenceSeconds,
    });
    this.referenceLoop = loop;
    loop.resumeAt(sim.now);
    const count = references.length;
    let index = from;
    // The loop's touches reach the LRU order when the memory next changes (see `settle`).
    for (;;) {
      // Nearly every reference runs in `runHits`; it stops at those that need a yield.
      index = loop.runHits(index);
      if (index >= count) break;
      // Batch compute between references, but never across a tick of the other work on the host.
      if (loop.tickDue()) {
        this.referencesDone = index;
        yield sim.timeout(loop.pending);
        loop.pending = 0;
        loop.resumeAt(sim.now);
      }
      if (!loop.tryReference(index)) {
        this.referencesDone = index;
        if (loop.pending > 0) {
          yield sim.timeout(loop.pending);
          loop.pending = 0;
        }
        const outcome = yield* host.pager.fault(space, references[index]!, running.name);
        loop.faulted(index, outcome.prefetched);
        loop.resumeAt(sim.now);
      }
      loop.referenced(index);
      index += 1;
    }
    this.referencesDone = count;
    loop.settle();
    if (loop.pending > 0) yield sim.timeout(loop.pending);
  }
}
