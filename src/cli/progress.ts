import { Presets, SingleBar } from 'cli-progress';

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
      stream,
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
      if (running) bar.update(done, { label });
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
