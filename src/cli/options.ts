import { InvalidArgumentError } from 'commander';

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

/** --prefetch: pages fetched along with each faulted page, a non-negative integer. */
export function parsePrefetch(value: string): number {
  const parsed = integer(value);
  if (parsed === null || parsed < 0)
    throw new InvalidArgumentError('prefetch must be a non-negative integer.');
  return parsed;
}
