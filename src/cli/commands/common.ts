import { availableParallelism } from 'node:os';
import { Option } from 'commander';
import type { TrialResult } from '../../engine/experiment/trial';
import { DEFAULT_TRIAL_TIMEOUT_MS } from '../../node/enginePool';
import { EXIT } from '../context';
import type { CliIo } from '../context';
import { MAX_WORKERS, parseTrialTimeout } from '../options';
import { reportFailedTrials } from '../progress';

export const QUIET_HELP = 'no progress bar: a plain progress line about every 10% instead';

/** --trial-timeout, in seconds on the command line, in ms in the options. */
export function trialTimeoutOption(): Option {
  return new Option(
    '--trial-timeout <seconds>',
    "a trial's time budget: a trial still running after it fails with that reason, the others go on",
  )
    .argParser(parseTrialTimeout)
    .default(DEFAULT_TRIAL_TIMEOUT_MS, `${DEFAULT_TRIAL_TIMEOUT_MS / 1000} seconds`);
}

export function defaultWorkers(): number {
  return Math.min(MAX_WORKERS, Math.max(1, availableParallelism()));
}

/** How a make-notebook command ended: interrupted, failed trials (nothing written), or written. */
export function notebookWritten(
  io: CliIo,
  command: string,
  file: string,
  made: { cancelled: boolean; failed: TrialResult[]; bytes: number },
): number {
  if (made.cancelled) {
    io.stderr.write(`${command}: interrupted; nothing written\n`);
    return EXIT.interrupted;
  }
  reportFailedTrials(io.stderr, command, made.failed);
  if (made.failed.length > 0) return EXIT.failed;
  io.stderr.write(`${command}: wrote ${file} (${made.bytes} bytes)\n`);
  return EXIT.ok;
}
