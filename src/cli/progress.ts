import { Presets, SingleBar } from 'cli-progress';
import { printablePath, rawStream } from '../node/printable';

/** How a long run tells the user how far it is. */
export interface ProgressReporter {
  start(total: number): void;
  /** `done` of `total` finished; `label` names the one that just finished. */
  update(done: number, label: string): void;
  stop(): void;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream;
  /** Never draw the bar (plain lines instead). */
  quiet?: boolean;
  /** What is counted, for the plain lines ("trials"). */
  noun?: string;
  prefix?: string;
}

/**
 * A cli-progress bar when the stream is a terminal and --quiet is not given; otherwise a plain
 * line about every 10%, which reads well in logs and CI.
 */
export function createProgress(options: ProgressOptions): ProgressReporter {
  const { stream, quiet = false, noun = 'trials', prefix = 'accent-lab' } = options;
  if (!quiet && stream.isTTY) return barProgress(stream, noun);
  return lineProgress(stream, noun, prefix);
}

function barProgress(stream: NodeJS.WriteStream, noun: string): ProgressReporter {
  const bar = new SingleBar(
    {
      // The bar draws with escapes of its own; its label (a trial's id, a file name) is made
      // printable here instead.
      stream: rawStream(stream),
      format: `${noun} [{bar}] {value}/{total} {percentage}% | {duration_formatted} elapsed | {label}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
    },
    Presets.shades_classic,
  );
  let running = false;
  return {
    start(total) {
      bar.start(total, 0, { label: '' });
      running = true;
    },
    update(done, label) {
      if (running) bar.update(done, { label: printablePath(label) });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, noun: string, prefix: string): ProgressReporter {
  let total = 0;
  let lastDecile = 0;
  return {
    start(count) {
      total = count;
      lastDecile = 0;
    },
    update(done) {
      if (total === 0) return;
      const decile = Math.floor((10 * done) / total);
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${prefix}: ${done}/${total} ${noun} (${Math.floor((100 * done) / total)}%)\n`);
      }
    },
    stop() {},
  };
}

/** What withTrialProgress hands the run it wraps. */
export interface TrialProgressHooks {
  /** Fires on the first Ctrl-C: the run stops its trials and writes nothing. */
  signal: AbortSignal;
  onTrialDone: (result: { id: string }, done: number, total: number) => void;
}

/**
 * Run a command's trials with a progress report (started with `total`, or at the first finished
 * trial), and Ctrl-C as a cancellation rather than a kill in the middle of writing files.
 */
export async function withTrialProgress<T>(
  options: ProgressOptions & { total?: number },
  run: (hooks: TrialProgressHooks) => Promise<T>,
): Promise<T> {
  const progress = createProgress(options);
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  let started = options.total !== undefined;
  if (options.total !== undefined) progress.start(options.total);
  try {
    return await run({
      signal: controller.signal,
      onTrialDone: (result, done, total) => {
        // Trials cancelled by an interrupt also "end": they are not progress.
        if (controller.signal.aborted) return;
        if (!started) progress.start(total);
        started = true;
        progress.update(done, result.id);
      },
    });
  } finally {
    progress.stop();
    process.off('SIGINT', interrupt);
  }
}

/** One line per failed trial on `stream`, after the prefix of the command. */
export function reportFailedTrials(
  stream: NodeJS.WritableStream,
  prefix: string,
  failed: readonly { id: string; error?: string }[],
): void {
  for (const result of failed)
    stream.write(`${prefix}: trial ${result.id} failed: ${result.error ?? 'no metrics'}\n`);
}
