import type { ImportedTrace, TraceWorkloadRequest } from '../../../../shared/hostApi';

/** The trace form: the workload's name, its migration point, and the instruction rate. */
export interface TraceForm {
  name: string;
  /** The migration point as a share of the run, or as an instruction count. */
  migrateBy: 'fraction' | 'instructions';
  migrateAt: number;
  migrateInstruction: number;
  instructionsPerSecond: number;
}

/** A share of the run, kept within 0..1. */
const clampShare = (share: number): number => Math.min(1, Math.max(0, share));

/** A trace file's name without its folder and trace extensions ("trace" when nothing is left). */
export function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.(trace|log|txt)?(\.gz)?$/, '') || 'trace';
}

/** The migration point as a share of a run of `instructions`, for the map. */
export function migrationShareOf(form: TraceForm, instructions: number): number {
  if (form.migrateBy === 'fraction') return clampShare(form.migrateAt);
  return instructions > 0 ? clampShare(form.migrateInstruction / instructions) : 0;
}

/** What the host needs to make a workload of an imported trace, as the form says. */
export function traceWorkloadRequest(
  trace: ImportedTrace,
  form: TraceForm,
  framesPerHost: number,
): TraceWorkloadRequest {
  return {
    name: form.name.trim() || baseName(trace.path),
    framesPerHost,
    source: {
      path: trace.path,
      sha256: trace.summary.sha256,
      pageSizeBytes: trace.summary.pageSizeBytes,
      migrateAt:
        form.migrateBy === 'fraction'
          ? { fraction: clampShare(form.migrateAt) }
          : { instructions: Math.max(0, Math.round(form.migrateInstruction)) },
      instructionsPerSecond: form.instructionsPerSecond,
    },
  };
}
