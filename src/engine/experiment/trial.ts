import { RandomStream } from '../kernel/random';
import { Simulation } from '../kernel/simulation';
import type { ProcessBody } from '../kernel/simulation';
import type { HardwarePreset } from '../hardware/presets';
import { hardwareProblems } from '../hardware/presets';
import { AddressSpace } from '../model/addressSpace';
import type { AMap } from '../model/amap';
import { Cluster } from '../model/cluster';
import type { Host } from '../model/cluster';
import { pageKey } from '../model/memory';
import type { AccentProcess, MigrationTimings, StrategyName } from '../model/migration';
import { insertProcess } from '../model/migration';
import { AddressingError } from '../model/pager';
import type { GeneratedWorkload, WorkloadSpec } from '../workloads/workload';
import { generateWorkload } from '../workloads/workload';
import type { PageReferenceString } from '../workloads/trace';
import { traceWorkload } from '../workloads/trace';

export const ENGINE_VERSION = '0.1.0';

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

/**
 * The process a trial migrates: its workload generated from the trial's own stream. The stream
 * depends only on the seed and the replication, never on the strategy, so strategies compared at
 * one replication migrate the same process with the same reference string (common random numbers).
 */
export function trialStreams(spec: Pick<TrialSpec, 'seed' | 'replication'>): {
  cluster: RandomStream;
  workload: RandomStream;
} {
  const random = RandomStream.fromSeed(spec.seed).substream(spec.replication ?? 0);
  return { cluster: random.substream(0), workload: random.substream(1) };
}

export function generateTrialWorkload(spec: TrialSpec): GeneratedWorkload {
  return generateWorkload(spec.workload, spec.hardware.pageSizeBytes, trialStreams(spec).workload);
}

function workloadOf(
  spec: TrialSpec,
  pageReferences: PageReferenceString | undefined,
  random: RandomStream,
): GeneratedWorkload {
  const trace = spec.workload.trace;
  if (!trace) return generateWorkload(spec.workload, spec.hardware.pageSizeBytes, random);
  if (!pageReferences)
    throw new Error(`trial ${spec.id}: the page references of ${trace.path} were not loaded`);
  const limit = Math.min(trace.residentLimitPages ?? Infinity, spec.hardware.memory.framesPerHost);
  return traceWorkload(pageReferences, trace, limit);
}

/** Run one trial to completion. Never throws for a model-level error: the result says what failed. */
export function runTrial(spec: TrialSpec, options: RunTrialOptions = {}): TrialResult {
  const base = trialIdentity(spec);
  const hardwareIssues = hardwareProblems(spec.hardware);
  if (hardwareIssues.length > 0) throw new Error(`trial ${spec.id}: ${hardwareIssues.join('; ')}`);
  const sim = new Simulation();
  // One stream per replication, jumped from the experiment seed; strategies compared at the same
  // replication see the same process (common random numbers).
  const streams = trialStreams(spec);
  const hardware = spec.hardware;
  const cluster = new Cluster(sim, hardware, streams.cluster);
  const source = cluster.addHost('source');
  const destination = cluster.addHost('destination');
  // Both hosts' memories are full of other work when the migration starts.
  source.memory.admitAnonymous(source.memory.capacity);
  destination.memory.admitAnonymous(destination.memory.capacity);

  const generated = workloadOf(spec, options.pageReferences, streams.workload);
  const process = placeProcess(source, spec.workload, generated, spec.seed);
  const originalAmap = process.space.amap.clone();
  const originalContents = new Map<number, number>();
  for (const [page, state] of process.space.pages) originalContents.set(page, state.content);
  const residentPages = generated.residentPages.length;

  const references = generated.references;
  const secondsBefore = generated.secondsBefore;
  const progressEvery = options.progressEvery ?? 2_000;
  let referencesDone = 0;
  let failure: Error | null = null;
  let timings: MigrationTimings | null = null;
  let insertSeconds = 0;
  let remoteStart = 0;
  let remoteEnd = 0;
  let messageSecondsSource = 0;
  let messageSecondsDest = 0;
  let prefetchHits = 0;
  let migrated: AccentProcess | null = null;
  const touchedRemote = new Set<number>();

  let phase: TrialProgress['phase'] = 'migrating';
  const report = (): void =>
    options.onProgress?.({
      simulatedSeconds: sim.now,
      referencesDone,
      referencesTotal: references.length,
      phase,
      bytesFault: cluster.counters.bytesFault,
      bytesOther: cluster.counters.bytesTotal - cluster.counters.bytesFault,
    });

  function* execute(host: Host, running: AccentProcess): ProcessBody<void> {
    const space = running.space;
    const prefetched = new Set<number>();
    const interval = hardware.memory.backgroundPagesPerSecond > 0 ? 1 : Infinity;
    let pending = 0;
    if (references.length === 0) {
      yield sim.timeout(spec.workload.computeSeconds);
      return;
    }
    for (let index = 0; index < references.length; index += 1) {
      pending += secondsBefore ? secondsBefore[index]! : generated.secondsPerReference;
      // Batch compute between references, but never across a tick of the other work on the host.
      if (sim.now + pending >= Math.floor(sim.now / interval + 1) * interval) {
        yield sim.timeout(pending);
        pending = 0;
      }
      const page = references[index]!;
      if (!touchedRemote.has(page) && originalAmap.distanceOf(page) === 'RealMem') touchedRemote.add(page);
      const state = space.pages.get(page);
      if (!(state && host.memory.touch(state.frameKey))) {
        if (pending > 0) {
          yield sim.timeout(pending);
          pending = 0;
        }
        const outcome = yield* host.pager.fault(space, page, running.name);
        for (const arrived of outcome.prefetched) prefetched.add(arrived);
      }
      if (prefetched.delete(page)) prefetchHits += 1;
      referencesDone = index + 1;
    }
    if (pending > 0) yield sim.timeout(pending);
  }

  sim.process(
    (function* () {
      try {
        timings = yield* source.migrationManager.migrate(
          process,
          destination.migrationManager,
          spec.strategy,
          spec.prefetch,
        );
        const [core, rimas] = (yield destination.migrationManager.contextArrived()) as [
          Parameters<typeof insertProcess>[1],
          Parameters<typeof insertProcess>[2],
        ];
        const insertStarted = sim.now;
        migrated = yield* insertProcess(destination, core, rimas);
        insertSeconds = sim.now - insertStarted;
        remoteStart = sim.now;
        phase = 'executing';
        yield* execute(destination, migrated);
        remoteEnd = sim.now;
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
      sim.stop();
    })(),
    'trial',
  );
  if (options.onProgress) {
    report();
    while (sim.runSlice(progressEvery)) report();
    phase = 'done';
    report();
  } else {
    sim.run();
  }

  const error = failure as Error | null;
  if (error && !(error instanceof AddressingError)) throw error; // a bug in the engine, not in the input
  if (error || !timings) {
    return { ...base, ok: false, error: error?.message ?? 'migration did not finish' };
  }
  const t = timings as MigrationTimings;
  const space = (migrated as AccentProcess | null)!.space;
  const counters = cluster.counters;
  let pagesArrivedTwice = 0;
  for (const count of counters.arrivals.values()) if (count > 1) pagesArrivedTwice += 1;
  let pagesTouchedNeverArrived = 0;
  let pagesWithWrongContents = 0;
  for (const page of touchedRemote) {
    if (!counters.arrivals.has(page)) pagesTouchedNeverArrived += 1;
    if (space.pages.get(page)?.content !== originalContents.get(page)) pagesWithWrongContents += 1;
  }
  const remoteExecSeconds = remoteEnd - remoteStart;
  const transferSeconds = t.coreTransferSeconds + t.rimasTransferSeconds;
  const composition = composeOriginal(originalAmap);
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
    simulatedEvents: sim.eventsProcessed,
  };
  return { ...base, ok: true, metrics, series: byteRate(counters.wire, remoteEnd) };
}

function composeOriginal(amap: AMap): { realPages: number; realZeroPages: number } {
  return { realPages: amap.countPages('RealMem'), realZeroPages: amap.countPages('RealZeroMem') };
}

function byteRate(
  wire: { time: number; bytes: number; traffic: 'fault' | 'other' }[],
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
