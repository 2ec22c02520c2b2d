import { InvalidArgumentError } from 'commander';
import { MAX_PREFETCH_PAGES } from '../engine/model/migration';
import { FIGURE_SIDE_PIXELS, isFigureScale, isFigureSide, MAX_FIGURE_SCALE } from '../shared/figures/export';

/** A mistake in how the command was called: reported on stderr, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const MAX_WORKERS = 64;

function integer(value: string): number | null {
  const trimmed = value.trim();
  if (!/^[-+]?\d+$/.test(trimmed)) return null;
  const parsed = Number(trimmed);
  return Number.isSafeInteger(parsed) ? parsed : null;
}

/** --workers: an integer from 1 to 64. */
export function parseWorkers(value: string): number {
  const parsed = integer(value);
  if (parsed === null || parsed < 1 || parsed > MAX_WORKERS) {
    throw new InvalidArgumentError(`workers must be an integer from 1 to ${MAX_WORKERS}.`);
  }
  return parsed;
}

/** --replications: replications of every design point, 1 to 1,000. */
export function parseReplications(value: string): number {
  const parsed = integer(value);
  if (parsed === null || parsed < 1 || parsed > 1000) {
    throw new InvalidArgumentError('replications must be an integer from 1 to 1,000.');
  }
  return parsed;
}

/** --seed: any safe integer. */
export function parseSeed(value: string): number {
  const parsed = integer(value);
  if (parsed === null) {
    throw new InvalidArgumentError(
      `seed must be an integer from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}.`,
    );
  }
  return parsed;
}

/** --prefetch: pages fetched along with each faulted page, 0 to MAX_PREFETCH_PAGES (as designs allow). */
export function parsePrefetch(value: string): number {
  const parsed = integer(value);
  if (parsed === null || parsed < 0 || parsed > MAX_PREFETCH_PAGES)
    throw new InvalidArgumentError(
      `prefetch must be a whole number of pages from 0 to ${MAX_PREFETCH_PAGES.toLocaleString('en-US')}.`,
    );
  return parsed;
}

/** --width / --height: whole pixels from 50 to 8000 (FIGURE_SIDE_PIXELS). */
export function parsePixels(value: string): number {
  const parsed = integer(value);
  if (parsed === null || !isFigureSide(parsed)) {
    throw new InvalidArgumentError(
      `must be a whole number of pixels from ${FIGURE_SIDE_PIXELS.min} to ${FIGURE_SIDE_PIXELS.max}.`,
    );
  }
  return parsed;
}

/** --scale: device pixels per pixel, above 0 and at most 8 (MAX_FIGURE_SCALE). */
export function parseScale(value: string): number {
  const parsed = Number(value.trim());
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !isFigureScale(parsed)) {
    throw new InvalidArgumentError(`scale must be a number above 0 and at most ${MAX_FIGURE_SCALE}.`);
  }
  return parsed;
}

/** The largest --trial-timeout: setTimeout's limit (about 24.8 days). */
export const MAX_TRIAL_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** --trial-timeout: a trial's time budget in whole seconds, returned in ms. */
export function parseTrialTimeout(value: string): number {
  const parsed = integer(value);
  if (parsed === null || parsed < 1 || parsed > MAX_TRIAL_TIMEOUT_SECONDS) {
    throw new InvalidArgumentError(
      `trial timeout must be a whole number of seconds from 1 to ${MAX_TRIAL_TIMEOUT_SECONDS}.`,
    );
  }
  return parsed * 1000;
}
