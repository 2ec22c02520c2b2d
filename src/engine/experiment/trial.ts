import { RandomStream } from '../kernel/random';
import { Resource } from '../kernel/resource';
import { Simulation } from '../kernel/simulation';
import type { Process, ProcessBody } from '../kernel/simulation';
import type { HardwarePreset } from '../hardware/presets';
import { hardwareProblems } from '../hardware/presets';
import { AddressSpace } from '../model/addressSpace';
import type { AMap } from '../model/amap';
import { Cluster } from '../model/cluster';
import type { Host } from '../model/cluster';
import { pageKey } from '../model/memory';
import type { OwedPage } from '../model/imaginary';
import type { ImaginarySegment } from '../model/imaginary';
import {
  FAULT_LATENCY_EDGES_MS,
  PushReceiver,
  faultLatencyHistogram,
  insertLive,
  owedSegment,
  pushOwedPages,
  stagePagesMessage,
  strategyOptionsWithDefaults,
} from '../model/liveMigration';
import type { StrategyOptions } from '../model/liveMigration';
import type { AccentProcess, MigrationTimings, StrategyName } from '../model/migration';
import { exciseProcess, insertProcess, isPaperStrategy } from '../model/migration';
import { AddressingError } from '../model/pager';
import type { GeneratedWorkload, WorkloadSpec } from '../workloads/workload';
import { generateWorkload } from '../workloads/workload';
import type { PageReferenceString } from '../workloads/trace';
import { traceWorkload } from '../workloads/trace';
import { ReferenceLoop } from './referenceLoop';

export const ENGINE_VERSION = '0.2.0';

/** One workload x one strategy x one prefetch value x one hardware preset x one seed. */
export interface TrialSpec {
  id: string;
  workload: WorkloadSpec;
  strategy: StrategyName;
  prefetch: number;
  hardware: HardwarePreset;
  /** The experiment's seed. */
  seed: number;
  /** Replications of one design point draw from independent streams of the seed (default 0). */
  replication?: number;
  /** Parameters of the strategies beyond 1987 (defaults: DEFAULT_STRATEGY_OPTIONS). */
  strategyOptions?: Partial<StrategyOptions>;
  /**
   * Crash the source host (or its link) this many simulated seconds after the migration request.
   * A process whose state the source still holds then is lost (`processLost`).
   */
  sourceFailureSeconds?: number;
  /**
   * Run this many copies of the migration at once, each from its own source to its own
   * destination, all sharing one Ethernet (default 1). The metrics describe the first.
   */
  concurrentMigrations?: number;
  /** The sensitivity sweep's parameter value this trial runs at (sweeps only). */
  parameterValue?: number;
}

/** Every metric of section 4 for one trial. Times in seconds, sizes in bytes. */
export interface TrialMetrics {
  exciseSeconds: number;
  amapSeconds: number;
  rimasCollapseSeconds: number;
  insertSeconds: number;
  coreTransferSeconds: number;
  rimasTransferSeconds: number;
  /** Core + RIMAS transfer. */
  transferSeconds: number;
  /** First remote instruction to exit. */
  remoteExecSeconds: number;
  /** Transfer + remote execution (section 4.3.4). */
  endToEndSeconds: number;
  /** Migration request to exit: excise, transfer, insert and remote execution. */
  totalSeconds: number;
  bytesTotal: number;
  bytesFault: number;
  bytesHeaders: number;
  bytesInline: number;
  bytesPageData: number;
  messages: number;
  messagesSource: number;
  messagesDest: number;
  messageSecondsSource: number;
  messageSecondsDest: number;
  packets: number;
  imaginaryFaults: number;
  meanImaginaryFaultMs: number;
  diskFaults: number;
  meanDiskFaultMs: number;
  fillZeroFaults: number;
  prefetchedPages: number;
  prefetchHits: number;
  prefetchHitRatio: number;
  pagesShippedAtMigration: number;
  pagesDeliveredByFaults: number;
  /** Distinct RealMem pages referenced at the new host. */
  pagesTouchedRemote: number;
  realPages: number;
  realZeroPages: number;
  residentPages: number;
  amapEntries: number;
  references: number;
  /** Conservation checks: each must be 0. */
  pagesArrivedTwice: number;
  pagesTouchedNeverArrived: number;
  pagesWithWrongContents: number;
  simulatedEvents: number;
  // Beyond 1987 (docs/model.md): computed for every strategy. Optional only so that results saved
  // before they existed still load.
  /** The process frozen: from the freeze (the request, for the paper's strategies) to its resumption. */
  downtimeSeconds?: number;
  /** From the request until the process is at the destination and no more of its pages are on the way. */
  totalMigrationSeconds?: number;
  /** Pages sent to the destination more than once (pre-copy re-sends pages written after they were sent). */
  pagesResent?: number;
  /** From the request until the source owes nothing: its last owed page sent, or the segment dead. */
  sourceReleaseSeconds?: number;
  /** How long the process ran at the destination while still depending on the source. */
  residualDependencySeconds?: number;
  /** Pre-copy rounds run before the freeze (0 for strategies without rounds). */
  preCopyRounds?: number;
  /** 1 when a source failure lost the process, else 0. */
  processLost?: number;
  /** Migrations run at once over the shared Ethernet (present when more than one). */
  concurrentMigrations?: number;
  /** Mean total migration time over all the concurrent migrations. */
  concurrentMeanTotalMigrationSeconds?: number;
  /** Mean downtime over all the concurrent migrations. */
  concurrentMeanDowntimeSeconds?: number;
}

/** Network bytes per second over time from the migration request, fault traffic apart (Figure 4-5). */
export interface ByteRateSeries {
  binSeconds: number;
  fault: number[];
  other: number[];
}

export interface TrialResult {
  id: string;
  workload: string;
  strategy: StrategyName;
  prefetch: number;
  hardware: string;
  seed: number;
  replication: number;
  /** The sensitivity sweep's parameter value (sweeps only). */
  parameterValue?: number;
  ok: boolean;
  error?: string;
  metrics?: TrialMetrics;
  series?: ByteRateSeries;
  /** Remote-fault latencies, counted in FAULT_LATENCY_EDGES_MS buckets (the last is unbounded). */
  faultLatency?: FaultLatencyHistogram;
  /** With concurrent migrations: each one's times, the first being the one `metrics` describes. */
  concurrent?: ConcurrentMigrationTimes[];
}

export interface ConcurrentMigrationTimes {
  totalSeconds: number;
  downtimeSeconds: number;
  totalMigrationSeconds: number;
  sourceReleaseSeconds: number;
}

export interface FaultLatencyHistogram {
  edgesMs: number[];
  counts: number[];
}

export interface TrialProgress {
  simulatedSeconds: number;
  referencesDone: number;
  referencesTotal: number;
  phase: 'migrating' | 'executing' | 'done';
  /** Bytes on the wire so far, for live byte-rate charts (rate = difference over time). */
  bytesFault: number;
  bytesOther: number;
}

export interface RunTrialOptions {
  onProgress?: (progress: TrialProgress) => void;
  /** Report progress after this many simulation events (default 2,000). */
  progressEvery?: number;
  /** The page-reference string of a trace workload (the engine reads no files; the caller does). */
  pageReferences?: PageReferenceString;
  /**
   * The trial's workload already generated (`generateTrialWorkload(spec)`): the trial reads it and
   * changes nothing in it, so the same one can serve every strategy compared at one replication.
   */
  workload?: GeneratedWorkload;
}

/** Content of a page at migration: never zero, so a lost page cannot pass for a zero-filled one. */
function contentOf(seed: number, page: number): number {
  let h = (seed ^ Math.imul(page + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0 || 1;
}

/** Put the workload's process on the source host as it was at migration time. */
function placeProcess(
  host: Host,
  spec: WorkloadSpec,
  generated: GeneratedWorkload,
  seed: number,
): AccentProcess {
  const cluster = host.cluster;
  const space = AddressSpace.fromRanges(cluster.nextId(), cluster.hardware.pageSizeBytes, generated.ranges);
  for (const page of generated.realPages) {
    space.pages.set(page, { content: contentOf(seed, page), frameKey: pageKey(space.objectId, page) });
  }
  for (const page of generated.residentPages) host.memory.admit(pageKey(space.objectId, page));
  return { name: spec.name, space, portRights: spec.portRights, memoryObjects: spec.memoryObjects };
}

function niceBin(durationSeconds: number, maxBins: number): number {
  const steps = [1, 2, 5];
  let scale = 1e-6;
  for (;;) {
    for (const step of steps) {
      const bin = step * scale;
      if (durationSeconds / bin <= maxBins) return bin;
    }
    scale *= 10;
  }
}

/** What names a trial in its result, whether or not it ran. */
export function trialIdentity(spec: TrialSpec): Omit<TrialResult, 'ok' | 'error' | 'metrics' | 'series'> {
  return {
    id: spec.id,
    workload: spec.workload.name,
    strategy: spec.strategy,
    prefetch: spec.prefetch,
    hardware: spec.hardware.name,
    seed: spec.seed,
    replication: spec.replication ?? 0,
    ...(spec.parameterValue === undefined ? {} : { parameterValue: spec.parameterValue }),
  };
}

/** A page's contents after a write at the source: changes it, and never to zero. */
function written(content: number, reference: number): number {
  return contentOf(content, reference);
}

/** Most migrations one trial can run at once over its shared Ethernet. */
export const MAX_CONCURRENT_MIGRATIONS = 64;

/**
 * The process a trial migrates: its workload generated from the trial's own stream. The stream
 * depends only on the seed and the replication, never on the strategy, so strategies compared at
 * one replication migrate the same process with the same reference string (common random numbers).
 */
export function trialStreams(spec: Pick<TrialSpec, 'seed' | 'replication'>): {
  cluster: RandomStream;
  workload: RandomStream;
  writes: RandomStream;
} {
  return migrationStreams(RandomStream.fromSeed(spec.seed).substream(spec.replication ?? 0));
}

/** A migration's streams from its base stream; write flags have their own (see generateWorkload). */
function migrationStreams(random: RandomStream): {
  cluster: RandomStream;
  workload: RandomStream;
  writes: RandomStream;
} {
  return { cluster: random.substream(0), workload: random.substream(1), writes: random.substream(2) };
}

export function generateTrialWorkload(spec: TrialSpec): GeneratedWorkload {
  const streams = trialStreams(spec);
  return generateWorkload(spec.workload, spec.hardware.pageSizeBytes, streams.workload, streams.writes);
}

function workloadOf(
  spec: TrialSpec,
  pageReferences: PageReferenceString | undefined,
  streams: { workload: RandomStream; writes: RandomStream },
): GeneratedWorkload {
  const trace = spec.workload.trace;
  if (!trace)
    return generateWorkload(spec.workload, spec.hardware.pageSizeBytes, streams.workload, streams.writes);
  if (!pageReferences)
    throw new Error(`trial ${spec.id}: the page references of ${trace.path} were not loaded`);
  const limit = Math.min(trace.residentLimitPages ?? Infinity, spec.hardware.memory.framesPerHost);
  return traceWorkload(pageReferences, trace, limit);
}

/** Run one trial to completion. Never throws for a model-level error: the result says what failed. */
export function runTrial(spec: TrialSpec, options: RunTrialOptions = {}): TrialResult {
  const hardwareIssues = hardwareProblems(spec.hardware);
  if (hardwareIssues.length > 0) throw new Error(`trial ${spec.id}: ${hardwareIssues.join('; ')}`);
  const failAt = spec.sourceFailureSeconds;
  if (failAt !== undefined && !(Number.isFinite(failAt) && failAt >= 0)) {
    throw new Error(`trial ${spec.id}: sourceFailureSeconds must be a finite number of at least 0`);
  }
  const concurrent = spec.concurrentMigrations ?? 1;
  if (!Number.isInteger(concurrent) || concurrent < 1 || concurrent > MAX_CONCURRENT_MIGRATIONS) {
    throw new Error(
      `trial ${spec.id}: concurrentMigrations must be a whole number from 1 to ${MAX_CONCURRENT_MIGRATIONS}`,
    );
  }
  if (concurrent > 1 && failAt !== undefined) {
    throw new Error(`trial ${spec.id}: sourceFailureSeconds works with one migration at a time`);
  }
  const sim = new Simulation();
  // One stream per replication, jumped from the experiment seed; strategies compared at the same
  // replication see the same process (common random numbers).
  const random = RandomStream.fromSeed(spec.seed).substream(spec.replication ?? 0);
  // Concurrent migrations: each its own pair of hosts, all on one Ethernet.
  const link = new Resource(sim, 'ethernet');
  let running = concurrent;
  const done = (): void => {
    running -= 1;
    if (running === 0) sim.stop();
  };
  const migrations = Array.from({ length: concurrent }, (_, index) =>
    startMigration(
      spec,
      sim,
      link,
      index === 0 ? random : random.substream(2 + index),
      options,
      index === 0,
      done,
    ),
  );
  const first = migrations[0]!;
  const progressEvery = options.progressEvery ?? 2_000;
  if (options.onProgress) {
    options.onProgress(first.progress());
    while (sim.runSlice(progressEvery)) options.onProgress(first.progress());
    options.onProgress({ ...first.progress(), phase: 'done' });
  } else {
    sim.run();
  }
  const results = migrations.map((migration) => migration.finish());
  const result = results[0]!;
  if (concurrent === 1 || !result.metrics) return result;
  const failed = results.findIndex((one) => !one.ok || !one.metrics);
  if (failed >= 0) {
    const { metrics: _metrics, series: _series, faultLatency: _latency, ...identity } = result;
    return {
      ...identity,
      ok: false,
      error: `concurrent migration ${failed + 1}: ${results[failed]!.error ?? 'no metrics'}`,
    };
  }
  const each = results.map((one) => one.metrics!);
  const mean = (pick: (metrics: TrialMetrics) => number): number =>
    each.reduce((sum, metrics) => sum + pick(metrics), 0) / each.length;
  return {
    ...result,
    metrics: {
      ...result.metrics,
      concurrentMigrations: concurrent,
      concurrentMeanTotalMigrationSeconds: mean((metrics) => metrics.totalMigrationSeconds!),
      concurrentMeanDowntimeSeconds: mean((metrics) => metrics.downtimeSeconds!),
    },
    concurrent: each.map((metrics) => ({
      totalSeconds: metrics.totalSeconds,
      downtimeSeconds: metrics.downtimeSeconds!,
      totalMigrationSeconds: metrics.totalMigrationSeconds!,
      sourceReleaseSeconds: metrics.sourceReleaseSeconds!,
    })),
  };
}

interface Migration {
  progress(): TrialProgress;
  finish(): TrialResult;
}

/**
 * Set up one migration on its own two hosts in `sim`, over `link`; `done` is called once it has
 * nothing more to do. The trial's first migration is the one its metrics describe.
 */
function startMigration(
  spec: TrialSpec,
  sim: Simulation,
  link: Resource,
  random: RandomStream,
  options: RunTrialOptions,
  first: boolean,
  done: () => void,
): Migration {
  const base = trialIdentity(spec);
  const failAt = spec.sourceFailureSeconds;
  const strategyOptions = strategyOptionsWithDefaults(spec.strategyOptions);
  let finished = false;
  const finishOnce = (): void => {
    if (finished) return;
    finished = true;
    done();
  };
  const streams = migrationStreams(random);
  const hardware = spec.hardware;
  const cluster = new Cluster(sim, hardware, streams.cluster, link);
  const source = cluster.addHost('source');
  const destination = cluster.addHost('destination');
  // Both hosts' memories are full of other work when the migration starts.
  source.memory.admitAnonymous(source.memory.capacity);
  destination.memory.admitAnonymous(destination.memory.capacity);

  // Write flags draw from their own stream, so the paper's trials see the draws they always saw.
  // A workload given by the caller is the first migration's: the others draw their own.
  const generated =
    first && options.workload ? options.workload : workloadOf(spec, options.pageReferences, streams);
  const process = placeProcess(source, spec.workload, generated, spec.seed);
  // The paper's strategies freeze the process at the request; the others take these at the freeze.
  let originalAmap = process.space.amap.clone();
  const originalContents = new Map<number, number>();
  const snapshotContents = (): void => {
    originalContents.clear();
    for (const [page, state] of process.space.pages) originalContents.set(page, state.content);
  };
  snapshotContents();
  const residentPages = generated.residentPages.length;

  const references = generated.references;
  const secondsBefore = generated.secondsBefore;
  let referencesDone = 0;
  let failure: Error | null = null;
  let timings: MigrationTimings | null = null;
  let insertSeconds = 0;
  let freezeAt = 0;
  let remoteStart = 0;
  let remoteEnd = 0;
  let messageSecondsSource = 0;
  let messageSecondsDest = 0;
  /** The destination's reference loop, once the process runs there. */
  let referenceLoop: ReferenceLoop | null = null;
  let migrated: AccentProcess | null = null;
  let eventsAtExit = 0;
  let preCopyRounds = 0;
  let processLost = false;
  let sourceFailed = false;
  let exited = false;
  /** When the source finished its part of the transfer (it may still back owed pages). */
  let transferDoneAt: number | null = null;
  /** Time the source was released, once it is. */
  let releasedAt: number | null = null;
  const touchedRemote = new Set<number>();

  let phase: TrialProgress['phase'] = 'migrating';
  const progress = (): TrialProgress => ({
    simulatedSeconds: sim.now,
    referencesDone,
    referencesTotal: references.length,
    phase,
    bytesFault: cluster.counters.bytesFault,
    bytesOther: cluster.counters.bytesTotal - cluster.counters.bytesFault,
  });

  /** Imaginary segments the source backs for the process (owed pages). */
  const sourceBackers = (): ImaginarySegment[] =>
    [...cluster.segments.values()].filter((segment) => segment.host === source && segment.backer);
  /** The source owes nothing more: its transfer is done and every segment it backs is released. */
  const sourceReleased = (): boolean => {
    if (releasedAt !== null) return true;
    if (transferDoneAt === null) return false;
    const backers = sourceBackers();
    if (backers.some((segment) => segment.backer!.releasedAt === null)) return false;
    releasedAt = Math.max(transferDoneAt, ...backers.map((segment) => segment.backer!.releasedAt!));
    return true;
  };

  function* execute(
    host: Host,
    running: AccentProcess,
    from: number,
    firstReferenceSeconds: number | null,
  ): ProcessBody<void> {
    if (references.length === 0) {
      yield sim.timeout(spec.workload.computeSeconds);
      return;
    }
    const space = running.space;
    const loop = new ReferenceLoop({
      references,
      space,
      memory: host.memory,
      remote: { originalAmap, touchedRemote },
      secondsBefore,
      secondsPerReference: generated.secondsPerReference,
      interval: hardware.memory.backgroundPagesPerSecond > 0 ? 1 : Infinity,
      from,
      firstReferenceSeconds,
    });
    referenceLoop = loop;
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
        referencesDone = index;
        yield sim.timeout(loop.pending);
        loop.pending = 0;
        loop.resumeAt(sim.now);
      }
      if (!loop.tryReference(index)) {
        referencesDone = index;
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
    referencesDone = count;
    loop.settle();
    if (loop.pending > 0) yield sim.timeout(loop.pending);
  }

  // Pre-copy: the process keeps running at the source while its pages are copied.
  const dirty = new Set<number>();
  const sent = new Set<number>();
  let freezeRequested = false;
  /**
   * The process's reference loop at the source, while it runs there. Its writes reach the page
   * contents and `dirty` when it settles: before a round reads them, and at the freeze.
   */
  let sourceLoop: ReferenceLoop | null = null;
  let sourceProcess: Process<void> | null = null;
  const frozen = sim.event<null>();
  /** Stops the compute in progress at the source (the freeze does not wait for it to end). */
  let interruptCompute: (() => void) | null = null;
  /** Compute of the reference in progress at the freeze still to do, at the destination. */
  let computeLeft: number | null = null;
  function* runAtSource(): ProcessBody<void> {
    const space = process.space;
    const secondsOf = (index: number): number =>
      secondsBefore ? secondsBefore[index]! : generated.secondsPerReference;
    /** A write at the source: the page changes, and is dirty again if it was sent. */
    const applyWrite = (page: number, index: number): void => {
      const state = space.pages.get(page)!;
      state.content = written(state.content, index);
      if (dirty.has(page)) return; // nearly always, once a round has begun: one lookup
      if (sent.has(page)) {
        cluster.counters.redirtied.set(page, (cluster.counters.redirtied.get(page) ?? 0) + 1);
      }
      dirty.add(page);
    };
    const loop = new ReferenceLoop({
      references,
      space,
      memory: source.memory,
      writes: { flags: generated.writes, apply: applyWrite },
      secondsBefore,
      secondsPerReference: generated.secondsPerReference,
      interval: Infinity,
      from: 0,
      firstReferenceSeconds: null,
    });
    sourceLoop = loop;
    /** Complete reference `index` by faulting its page in. */
    function* completeByFault(index: number): ProcessBody<void> {
      const page = references[index]!;
      const zeroFill = !space.pages.has(page);
      yield* source.pager.fault(space, page, process.name);
      if (zeroFill) dirty.add(page); // zero-filled just now: a new page to copy
      if (generated.writes[index]) applyWrite(page, index);
      referencesDone = index + 1;
    }
    while (referencesDone < references.length && !freezeRequested) {
      // The references that end before the next event anywhere run here without the kernel: nothing
      // can see the process between them, so one timeout to where they end (summed as the
      // per-reference timeouts would sum it) gives the same run with far fewer events.
      referencesDone = loop.runSourceHits(referencesDone, sim.now, sim.nextEventTime);
      if (loop.stoppedAtFault || referencesDone >= references.length) {
        if (loop.clock > sim.now) yield sim.timeoutAt(loop.clock);
        if (!loop.stoppedAtFault) break;
        yield* completeByFault(referencesDone);
        continue;
      }
      // This reference starts at `clock` and ends after something else happens (a round's end
      // may freeze the process): one wait to its end, which the freeze may cut short.
      const started = loop.clock;
      const referenceSeconds = secondsOf(referencesDone);
      let interrupted = false;
      interruptCompute = () => {
        interrupted = true;
        sourceProcess!.interrupt();
      };
      yield sim.timeoutAt(started + referenceSeconds);
      interruptCompute = null;
      if (interrupted) {
        computeLeft = Math.max(0, referenceSeconds - (sim.now - started));
        break;
      }
      if (loop.tryReference(referencesDone)) referencesDone += 1;
      else yield* completeByFault(referencesDone);
    }
    loop.settle();
    sourceLoop = null;
    frozen.succeed(null);
  }

  function* migrateLive(): ProcessBody<AccentProcess> {
    const strategy = spec.strategy;
    const rounds =
      strategy === 'pre-copy'
        ? strategyOptions.preCopyMaxRounds
        : strategy === 'hybrid'
          ? strategyOptions.hybridRounds
          : 0;
    const stage = destination.migrationManager;
    if (rounds > 0) {
      sourceProcess = sim.process(runAtSource(), 'pre-copy execution at the source');
      /** Page bytes a second the last round achieved, for the downtime rule (0: rule off). */
      let roundBytesPerSecond = 0;
      const maxDowntime = strategyOptions.preCopyMaxDowntimeSeconds;
      for (let round = 1; round <= rounds; round += 1) {
        sourceLoop?.settle(); // what the process wrote so far
        const pages =
          round === 1
            ? [...process.space.pages.keys()]
            : [...dirty].filter((page) => process.space.pages.has(page));
        if (
          round > 1 &&
          (pages.length <= strategyOptions.preCopyStopPages ||
            referencesDone >= references.length ||
            (maxDowntime > 0 && pages.length * hardware.pageSizeBytes <= roundBytesPerSecond * maxDowntime))
        )
          break;
        pages.sort((a, b) => a - b);
        for (const page of pages) {
          dirty.delete(page);
          sent.add(page);
        }
        const roundStarted = sim.now;
        yield source.send(stagePagesMessage(source, process.space, pages), stage.port);
        preCopyRounds = round;
        // Hybrid's second trigger: pages written faster than they can usefully be copied.
        const switchRate = strategyOptions.hybridSwitchDirtyPagesPerSecond;
        const roundSeconds = sim.now - roundStarted;
        if (roundSeconds > 0) roundBytesPerSecond = (pages.length * hardware.pageSizeBytes) / roundSeconds;
        sourceLoop?.settle();
        if (
          strategy === 'hybrid' &&
          switchRate > 0 &&
          roundSeconds > 0 &&
          dirty.size / roundSeconds > switchRate
        )
          break;
      }
      freezeRequested = true;
      interruptCompute?.();
      yield frozen;
    }
    // Stop: the process is frozen from here until it resumes at the destination.
    freezeAt = sim.now;
    originalAmap = process.space.amap.clone();
    snapshotContents();
    const started = sim.now;
    const excised = yield* exciseProcess(source, process);
    const exciseSeconds = sim.now - started;
    const unsent = [...process.space.pages.keys()].filter((page) => !sent.has(page) || dirty.has(page));
    unsent.sort((a, b) => a - b);
    let owed: ImaginarySegment | null = null;
    let staged = stage.staged;
    let rimasTransferSeconds = 0;
    const owedPages = (
      pages: readonly number[],
      frameKeyOf: (page: number) => number,
    ): Map<number, OwedPage> =>
      new Map(
        pages.map((page) => [
          page,
          { content: process.space.pages.get(page)!.content, frameKey: frameKeyOf(page) },
        ]),
      );
    if (strategy === 'pre-copy') {
      // Stop-and-copy: the pages still dirty (all of them when no round ran).
      const sentAt = sim.now;
      for (const page of unsent) sent.add(page);
      if (unsent.length > 0) yield source.send(stagePagesMessage(source, process.space, unsent), stage.port);
      rimasTransferSeconds = sim.now - sentAt;
    } else if (strategy === 'sprite-flush') {
      // Sprite: flush the dirty (resident) pages to the file server; the rest is already there.
      const fileServer = cluster.addHost('file-server');
      fileServer.memory.admitAnonymous(fileServer.memory.capacity);
      fileServer.migrationManager.countStagedArrivals = false;
      const dirtyPages = unsent.filter((page) =>
        source.memory.isResident(process.space.pages.get(page)!.frameKey),
      );
      const sentAt = sim.now;
      if (dirtyPages.length > 0) {
        yield source.send(
          stagePagesMessage(source, process.space, dirtyPages),
          fileServer.migrationManager.port,
        );
      }
      rimasTransferSeconds = sim.now - sentAt;
      const diskObject = cluster.nextId();
      const flushed = fileServer.migrationManager.staged;
      owed = owedSegment(
        fileServer,
        owedPages(unsent, (page) => flushed.get(page)?.frameKey ?? pageKey(diskObject, page)),
        spec.prefetch,
      );
      staged = new Map();
    } else {
      // Post-copy (and hybrid after its rounds): every page not yet at the destination is owed.
      owed = owedSegment(
        source,
        owedPages(unsent, (page) => process.space.pages.get(page)!.frameKey),
        spec.prefetch,
      );
    }
    const corePort = destination.createPort('live-migration.core');
    const coreSent = sim.now;
    yield source.send(excised.core, corePort);
    const coreTransferSeconds = sim.now - coreSent;
    transferDoneAt = sim.now;
    timings = {
      exciseSeconds,
      amapSeconds: excised.amapSeconds,
      rimasCollapseSeconds: excised.rimasSeconds,
      coreTransferSeconds,
      rimasTransferSeconds,
    };
    const core = (yield corePort.receive()) as Parameters<typeof insertLive>[1];
    const insertStarted = sim.now;
    const inserted = yield* insertLive(destination, core, staged, owed);
    insertSeconds = sim.now - insertStarted;
    if (owed && owed.host === source && strategyOptions.pushPagesPerMessage > 0) {
      const receiver = new PushReceiver(destination);
      receiver.start(inserted.space, inserted.space.segmentIds()[0]!);
      sim.process(
        pushOwedPages(owed, receiver.port, strategyOptions.pushPagesPerMessage, () => sourceFailed || exited),
        'post-copy active push',
      );
    }
    return inserted;
  }

  sim.process(
    (function* () {
      try {
        if (isPaperStrategy(spec.strategy)) {
          timings = yield* source.migrationManager.migrate(
            process,
            destination.migrationManager,
            spec.strategy,
            spec.prefetch,
          );
          transferDoneAt = sim.now;
          const [core, rimas] = (yield destination.migrationManager.contextArrived()) as [
            Parameters<typeof insertProcess>[1],
            Parameters<typeof insertProcess>[2],
          ];
          const insertStarted = sim.now;
          migrated = yield* insertProcess(destination, core, rimas);
          insertSeconds = sim.now - insertStarted;
        } else {
          migrated = yield* migrateLive();
        }
        remoteStart = sim.now;
        phase = 'executing';
        yield* execute(destination, migrated, referencesDone, computeLeft);
        remoteEnd = sim.now;
        exited = true;
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        remoteEnd = sim.now;
      }
      // The paper's measurement interval ends with the last remote instruction.
      cluster.counters.open = false;
      messageSecondsSource = source.messageSeconds;
      messageSecondsDest = destination.messageSeconds;
      if (migrated) {
        // The process is gone: its imaginary segments die, and their backers are told.
        const deaths = migrated.space.segmentIds().map((segmentId) =>
          destination.send(
            cluster.message({
              kind: 'imaginary-segment-death',
              noIOUs: true,
              inlineBytes: hardware.ipc.imaginaryRequestBytes,
              portRights: 0,
              traffic: 'other',
              body: segmentId,
            }),
            destination.nms.port,
          ),
        );
        yield sim.allOf(deaths);
      }
      eventsAtExit = sim.eventsProcessed;
      // Past the measured interval: wait until the source is released (the death notices reach it).
      if (!failure && !sourceReleased()) {
        sim.process(
          (function* () {
            yield sim.timeout(3600);
            finishOnce();
          })(),
          'release guard',
        );
        yield sim.allOf(sourceBackers().map((segment) => segment.backer!.whenReleased()));
        sourceReleased();
      }
      // Messages counted before the interval closed (a page push) finish their journey.
      if (cluster.counters.inFlight > 0) {
        const drained = sim.event<null>();
        cluster.counters.whenDrained(() => drained.succeed(null));
        yield drained;
      }
      finishOnce();
    })(),
    'trial',
  );
  if (failAt !== undefined) {
    sim.process(
      (function* () {
        yield sim.timeout(failAt);
        sourceFailed = true;
        if (exited || failure || sourceReleased()) return;
        // The source still held part of the process: it is lost, and the trial ends here.
        processLost = true;
        remoteEnd = sim.now;
        cluster.counters.open = false;
        messageSecondsSource = source.messageSeconds;
        messageSecondsDest = destination.messageSeconds;
        eventsAtExit = sim.eventsProcessed;
        // One migration per trial when a crash is asked for: ending the simulation ends it.
        sim.stop();
      })(),
      'source failure',
    );
  }
  return { progress, finish };

  function finish(): TrialResult {
    const error = failure as Error | null;
    if (error && !(error instanceof AddressingError)) throw error; // a bug in the engine, not in the input
    if (error || (!timings && !processLost)) {
      return { ...base, ok: false, error: error?.message ?? 'migration did not finish' };
    }
    const t: MigrationTimings = (timings as MigrationTimings | null) ?? {
      exciseSeconds: 0,
      amapSeconds: 0,
      rimasCollapseSeconds: 0,
      coreTransferSeconds: 0,
      rimasTransferSeconds: 0,
    };
    const space = (migrated as AccentProcess | null)?.space;
    const counters = cluster.counters;
    const prefetchHits = (referenceLoop as ReferenceLoop | null)?.prefetchHits ?? 0;
    let pagesArrivedTwice = 0;
    let pagesResent = 0;
    for (const [page, count] of counters.arrivals) {
      if (count > 1 + (counters.redirtied.get(page) ?? 0)) pagesArrivedTwice += 1;
      pagesResent += count - 1;
    }
    let pagesTouchedNeverArrived = 0;
    let pagesWithWrongContents = 0;
    for (const page of touchedRemote) {
      if (!counters.arrivals.has(page)) pagesTouchedNeverArrived += 1;
      if (space?.pages.get(page)?.content !== originalContents.get(page)) pagesWithWrongContents += 1;
    }
    const lost = processLost as boolean;
    const resumed = migrated !== null;
    const remoteExecSeconds = resumed ? remoteEnd - remoteStart : 0;
    const transferSeconds = t.coreTransferSeconds + t.rimasTransferSeconds;
    const composition = composeOriginal(originalAmap);
    const release = lost ? remoteEnd : ((releasedAt as number | null) ?? remoteEnd);
    const metrics: TrialMetrics = {
      exciseSeconds: t.exciseSeconds,
      amapSeconds: t.amapSeconds,
      rimasCollapseSeconds: t.rimasCollapseSeconds,
      insertSeconds,
      coreTransferSeconds: t.coreTransferSeconds,
      rimasTransferSeconds: t.rimasTransferSeconds,
      transferSeconds,
      remoteExecSeconds,
      endToEndSeconds: transferSeconds + remoteExecSeconds,
      totalSeconds: remoteEnd,
      bytesTotal: counters.bytesTotal,
      bytesFault: counters.bytesFault,
      bytesHeaders: counters.bytesHeaders,
      bytesInline: counters.bytesInline,
      bytesPageData: counters.bytesPageData,
      messages: counters.messages,
      messagesSource: counters.messagesByHost['source'] ?? 0,
      messagesDest: counters.messagesByHost['destination'] ?? 0,
      messageSecondsSource,
      messageSecondsDest,
      packets: counters.packets,
      imaginaryFaults: counters.imaginaryFaults,
      meanImaginaryFaultMs: counters.imaginaryFaults
        ? (1000 * counters.imaginaryFaultSeconds) / counters.imaginaryFaults
        : 0,
      diskFaults: counters.diskFaults,
      meanDiskFaultMs: counters.diskFaults ? (1000 * counters.diskFaultSeconds) / counters.diskFaults : 0,
      fillZeroFaults: counters.fillZeroFaults,
      prefetchedPages: counters.prefetchedPages,
      prefetchHits,
      prefetchHitRatio: counters.prefetchedPages ? prefetchHits / counters.prefetchedPages : 0,
      pagesShippedAtMigration: counters.pagesShippedAtMigration,
      pagesDeliveredByFaults: counters.pagesDeliveredByFaults,
      pagesTouchedRemote: touchedRemote.size,
      realPages: composition.realPages,
      realZeroPages: composition.realZeroPages,
      residentPages,
      amapEntries: originalAmap.size,
      references: references.length,
      pagesArrivedTwice,
      pagesTouchedNeverArrived,
      pagesWithWrongContents,
      simulatedEvents: eventsAtExit,
      downtimeSeconds: resumed ? remoteStart - freezeAt : remoteEnd - freezeAt,
      totalMigrationSeconds: resumed
        ? Math.max(remoteStart, Math.min(counters.lastArrivalSeconds, remoteEnd))
        : remoteEnd,
      pagesResent,
      sourceReleaseSeconds: release,
      residualDependencySeconds: resumed ? Math.max(0, Math.min(release, remoteEnd) - remoteStart) : 0,
      preCopyRounds,
      processLost: lost ? 1 : 0,
    };
    return {
      ...base,
      ok: true,
      metrics,
      series: byteRate(counters.wire, remoteEnd),
      faultLatency: {
        edgesMs: [...FAULT_LATENCY_EDGES_MS],
        counts: faultLatencyHistogram(counters.remoteFaultSeconds),
      },
    };
  }
}

function composeOriginal(amap: AMap): { realPages: number; realZeroPages: number } {
  return { realPages: amap.countPages('RealMem'), realZeroPages: amap.countPages('RealZeroMem') };
}

function byteRate(
  wire: Iterable<{ time: number; bytes: number; traffic: 'fault' | 'other' }>,
  end: number,
): ByteRateSeries {
  const binSeconds = niceBin(Math.max(end, 1e-6), 400);
  const bins = Math.max(1, Math.ceil(end / binSeconds));
  const fault = new Array<number>(bins).fill(0);
  const other = new Array<number>(bins).fill(0);
  for (const record of wire) {
    const bin = Math.min(bins - 1, Math.floor(record.time / binSeconds));
    (record.traffic === 'fault' ? fault : other)[bin]! += record.bytes / binSeconds;
  }
  return { binSeconds, fault, other };
}
