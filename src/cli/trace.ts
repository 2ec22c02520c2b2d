import { printablePath } from '../node/printable';
import type { HardwarePreset } from '../engine/hardware/presets';
import type { MigrationPoint, TraceWorkloadSource } from '../engine/workloads/spec';
import { defaultInstructionsPerSecond, traceWorkloadSpec } from '../engine/workloads/trace';
import type { WorkloadSpec } from '../engine/workloads/spec';
import type { PageReferenceString } from '../engine/workloads/trace';
import { loadTrace } from '../node/traceImport';
import type { LoadedTrace } from '../node/traceImport';
import { UsageError } from './options';
import { createProgress } from './progress';

/** Below this size a trace loads in well under a second: no progress bar. */
const PROGRESS_FROM_BYTES = 16 << 20;
const MB = 1 << 20;

/** `--page-size`: a power of two from 128 bytes to 1 MiB, as hardware presets allow. */
export function parsePageSize(value: string): number {
  const size = Number(value);
  if (!/^\d+$/.test(value) || size < 128 || size > 1 << 20 || (size & (size - 1)) !== 0) {
    throw new UsageError(`--page-size must be a power of two from 128 to 1048576 bytes (got "${value}")`);
  }
  return size;
}

/** `--migrate-at`: a fraction of the run from 0 to 1, or a whole instruction count above 1. */
export function parseMigrationPoint(value: string): MigrationPoint {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new UsageError(
      `--migrate-at must be a fraction of the run (0 to 1) or an instruction count (got "${value}")`,
    );
  }
  if (number <= 1) return { fraction: number };
  if (!Number.isSafeInteger(number)) {
    throw new UsageError(`--migrate-at above 1 is an instruction count and must be whole (got "${value}")`);
  }
  return { instructions: number };
}

export function parsePositiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!(Number.isFinite(number) && number > 0)) throw new UsageError(`${flag} must be a positive number`);
    return number;
  };
}

export function parseWholeNumber(flag: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number))
      throw new UsageError(`${flag} must be a whole number`);
    return number;
  };
}

/** Load a trace with a progress bar (or lines) on `stream` for big files. */
export async function loadTraceWithProgress(
  path: string,
  pageSizeBytes: number,
  stream: NodeJS.WriteStream,
  quiet = false,
): Promise<LoadedTrace> {
  const progress = createProgress({ stream, quiet, noun: 'MB', prefix: 'trace' });
  let started = false;
  // Ctrl-C stops the import (its child process is killed); the command then exits with 130.
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    return await loadTrace(path, {
      pageSizeBytes,
      signal: controller.signal,
      onProgress: (read, total) => {
        if (total < PROGRESS_FROM_BYTES) return;
        if (!started) {
          progress.start(Math.ceil(total / MB));
          started = true;
        }
        progress.update(read === total ? Math.ceil(total / MB) : Math.floor(read / MB), printablePath(path));
      },
    });
  } finally {
    process.off('SIGINT', interrupt);
    if (started) progress.stop();
  }
}

export interface TraceTrialOptions {
  trace: string;
  migrateAt: MigrationPoint;
  instructionsPerSecond?: number;
  residentLimit?: number;
}

/** A trace workload for one trial on `hardware`, with its page references. */
export async function traceWorkloadFor(
  options: TraceTrialOptions,
  hardware: HardwarePreset,
  stream: NodeJS.WriteStream,
): Promise<{ workload: WorkloadSpec; pageReferences: PageReferenceString }> {
  const loaded = await loadTraceWithProgress(options.trace, hardware.pageSizeBytes, stream);
  const source: TraceWorkloadSource = {
    path: options.trace,
    sha256: loaded.summary.sha256,
    pageSizeBytes: hardware.pageSizeBytes,
    migrateAt: options.migrateAt,
    instructionsPerSecond: options.instructionsPerSecond ?? defaultInstructionsPerSecond(hardware.name),
    ...(options.residentLimit !== undefined ? { residentLimitPages: options.residentLimit } : {}),
  };
  const name = (options.trace.split(/[\\/]/).pop() ?? 'trace').replace(/\.(trace|log|txt)?(\.gz)?$/, '');
  return {
    workload: traceWorkloadSpec(name, loaded.pageReferences, source, hardware.memory.framesPerHost),
    pageReferences: loaded.pageReferences,
  };
}
