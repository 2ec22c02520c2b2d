import type { AMap } from '../model/amap';
import { FAULT_LATENCY_EDGES_MS, faultLatencyHistogram } from '../model/liveMigration';
import type { MigrationTimings } from '../model/migration';
import { AddressingError } from '../model/pager';
import type { MigrationRun } from './migrationRun';
import type { ByteRateSeries, TrialMetrics, TrialResult } from './trialTypes';

/** The trial's result from a migration that has run: its metrics, or why it failed. */
export function trialResult(run: MigrationRun): TrialResult {
  const { failure: error, timings, migrated, processLost: lost, referenceLoop, releasedAt } = run;
  const { cluster, originalAmap, originalContents, touchedRemote, remoteStart, remoteEnd, freezeAt } = run;
  if (error && !(error instanceof AddressingError)) throw error; // a bug in the engine, not in the input
  if (error || (!timings && !lost)) {
    return { ...run.identity, ok: false, error: error?.message ?? 'migration did not finish' };
  }
  const t: MigrationTimings = timings ?? {
    exciseSeconds: 0,
    amapSeconds: 0,
    rimasCollapseSeconds: 0,
    coreTransferSeconds: 0,
    rimasTransferSeconds: 0,
  };
  const space = migrated?.space;
  const counters = cluster.counters;
  const prefetchHits = referenceLoop?.prefetchHits ?? 0;
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
  const resumed = migrated !== null;
  const remoteExecSeconds = resumed ? remoteEnd - remoteStart : 0;
  const transferSeconds = t.coreTransferSeconds + t.rimasTransferSeconds;
  const composition = composeOriginal(originalAmap);
  const release = lost ? remoteEnd : (releasedAt ?? remoteEnd);
  const metrics: TrialMetrics = {
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
    pagesArrivedTwice,
    pagesTouchedNeverArrived,
    pagesWithWrongContents,
    simulatedEvents: run.eventsAtExit,
    downtimeSeconds: resumed ? remoteStart - freezeAt : remoteEnd - freezeAt,
    totalMigrationSeconds: resumed
      ? Math.max(remoteStart, Math.min(counters.lastArrivalSeconds, remoteEnd))
      : remoteEnd,
    pagesResent,
    sourceReleaseSeconds: release,
    residualDependencySeconds: resumed ? Math.max(0, Math.min(release, remoteEnd) - remoteStart) : 0,
    preCopyRounds: run.preCopyRounds,
    processLost: lost ? 1 : 0,
  };
  return {
    ...run.identity,
    ok: true,
    metrics,
    series: byteRate(counters.wire, remoteEnd),
    faultLatency: {
      edgesMs: [...FAULT_LATENCY_EDGES_MS],
      counts: faultLatencyHistogram(counters.remoteFaultSeconds),
    },
  };
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
