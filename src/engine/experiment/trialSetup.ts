import { RandomStream } from '../kernel/random';
import { AddressSpace } from '../model/addressSpace';
import type { Host } from '../model/cluster';
import { pageKey } from '../model/memory';
import type { AccentProcess } from '../model/migration';
import type { PageReferenceString } from '../workloads/trace';
import { traceWorkload } from '../workloads/trace';
import type { GeneratedWorkload, WorkloadSpec } from '../workloads/spec';
import { generateWorkload } from '../workloads/synthetic';
import type { TrialSpec } from './trialTypes';

// The random streams of a trial and the process it migrates, placed on the source host as it was
// at migration time.

/** Content of a page at migration: never zero, so a lost page cannot pass for a zero-filled one. */
export function contentOf(seed: number, page: number): number {
  let h = (seed ^ Math.imul(page + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0 || 1;
}

/** A page's contents after a write at the source: changes it, and never to zero. */
export function written(content: number, reference: number): number {
  return contentOf(content, reference);
}

/** Put the workload's process on the source host as it was at migration time. */
export function placeProcess(
  host: Host,
  spec: Pick<WorkloadSpec, 'name' | 'portRights' | 'memoryObjects'>,
  generated: Pick<GeneratedWorkload, 'ranges' | 'realPages' | 'residentPages'>,
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
export function migrationStreams(random: RandomStream): {
  cluster: RandomStream;
  workload: RandomStream;
  writes: RandomStream;
} {
  return { cluster: random.substream(0), workload: random.substream(1), writes: random.substream(2) };
}

export function generateTrialWorkload(spec: TrialSpec): GeneratedWorkload {
  return workloadOf(spec, undefined, trialStreams(spec));
}

export function workloadOf(
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
