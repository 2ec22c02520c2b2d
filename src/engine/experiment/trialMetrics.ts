import type { AMap } from '../model/amap';
import { FAULT_LATENCY_EDGES_MS, faultLatencyHistogram } from '../model/liveMigration';
import type { MigrationTimings } from '../model/migration';
import { AddressingError } from '../model/pager';
import type { MigrationRun } from './migrationRun';
import type { ByteRateSeries, TrialMetrics, TrialResult } from './trialTypes';

/** The timings of a migration that lost its process before they were taken: all zero. */
const NO_TIMINGS: MigrationTimings = {
  exciseSeconds: 0,
  amapSeconds: 0,
  rimasCollapseSeconds: 0,
  coreTransferSeconds: 0,
  rimasTransferSeconds: 0,
};

/** The trial's result from a migration that has run: its metrics, or why it failed. */
export function trialResult(run: MigrationRun): TrialResult {
  const { failure: error, timings, processLost: lost } = run;
  if (error && !(error instanceof AddressingError)) throw error; // a bug in the engine, not in the input
  if (error || (!timings && !lost)) {
    return { ...run.identity, ok: false, error: error?.message ?? 'migration did not finish' };
  }
  const counters = run.cluster.counters;
  return {
    ...run.identity,
    ok: true,
    metrics: trialMetrics(run, timings ?? NO_TIMINGS),
    series: byteRate(counters.wire, run.remoteEnd),
    faultLatency: {
      edgesMs: [...FAULT_LATENCY_EDGES_MS],
      counts: faultLatencyHistogram(counters.remoteFaultSeconds),
    },
  };
}

/**
 * The metrics of a migration that finished (or lost its process). One literal in the order of
 * TrialMetrics, which is the column order of trials.csv and results.json: it reads best whole.
 */
function trialMetrics(run: MigrationRun, t: MigrationTimings): TrialMetrics {
  const { migrated, processLost: lost, referenceLoop, releasedAt } = run;
  const { cluster, originalAmap, touchedRemote, remoteStart, remoteEnd, freezeAt } = run;
  const counters = cluster.counters;
  const prefetchHits = referenceLoop?.prefetchHits ?? 0;
  const pages = pageDelivery(run);
  const resumed = migrated !== null;
  const remoteExecSeconds = resumed ? remoteEnd - remoteStart : 0;
  const transferSeconds = t.coreTransferSeconds + t.rimasTransferSeconds;
  const composition = composeOriginal(originalAmap);
  const release = lost ? remoteEnd : (releasedAt ?? remoteEnd);
  return {
    exciseSeconds: t.exciseSeconds,
    amapSeconds: t.amapSeconds,
    rimasCollapseSeconds: t.rimasCollapseSeconds,
    insertSeconds: run.insertSeconds,
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
    messageSecondsSource: run.messageSecondsSource,
    messageSecondsDest: run.messageSecondsDest,
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
    residentPages: run.residentPages,
    amapEntries: originalAmap.size,
    references: run.generated.references.length,
    pagesArrivedTwice: pages.arrivedTwice,
    pagesTouchedNeverArrived: pages.touchedNeverArrived,
    pagesWithWrongContents: pages.wrongContents,
    simulatedEvents: run.eventsAtExit,
    downtimeSeconds: resumed ? remoteStart - freezeAt : remoteEnd - freezeAt,
    totalMigrationSeconds: resumed
      ? Math.max(remoteStart, Math.min(counters.lastArrivalSeconds, remoteEnd))
      : remoteEnd,
    pagesResent: pages.resent,
    sourceReleaseSeconds: release,
    residualDependencySeconds: resumed ? Math.max(0, Math.min(release, remoteEnd) - remoteStart) : 0,
    preCopyRounds: run.preCopyRounds,
    processLost: lost ? 1 : 0,
  };
}

/**
 * How the pages arrived: pages that arrived more than once beyond their re-dirtying, the resends,
 * and the pages touched at the destination that never arrived or hold other contents.
 */
function pageDelivery(run: MigrationRun): {
  arrivedTwice: number;
  resent: number;
  touchedNeverArrived: number;
  wrongContents: number;
} {
  const counters = run.cluster.counters;
  const space = run.migrated?.space;
  let arrivedTwice = 0;
  let resent = 0;
  for (const [page, count] of counters.arrivals) {
    if (count > 1 + (counters.redirtied.get(page) ?? 0)) arrivedTwice += 1;
    resent += count - 1;
  }
  let touchedNeverArrived = 0;
  let wrongContents = 0;
  for (const page of run.touchedRemote) {
    if (!counters.arrivals.has(page)) touchedNeverArrived += 1;
    if (space?.pages.get(page)?.content !== run.originalContents.get(page)) wrongContents += 1;
  }
  return { arrivedTwice, resent, touchedNeverArrived, wrongContents };
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
