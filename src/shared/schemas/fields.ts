import { z } from 'zod';
import { boundsRequirement } from '../../engine/bounds';
import type { Bounds } from '../../engine/bounds';

/**
 * The building blocks of the runtime schemas (./hardware, ./workload, ./design, ./results,
 * ./notebook and the host calls' arguments, ../validation): number and text fields with their
 * messages, the drift check between a schema and the type it describes, and the error text.
 *
 * Objects are strict: an unknown key is an error rather than silently dropped, so nothing a caller
 * meant to keep disappears on save. Parsing returns a fresh object whose keys follow the schema's
 * order, which is what gives notebook files a stable key order.
 */

export const finite = () => z.number({ error: 'must be a finite number' });
export const nonNegative = () => finite().min(0, { error: 'must not be negative' });
export const positive = () => finite().positive({ error: 'must be greater than 0' });
export const wholeNonNegative = () =>
  z.int({ error: 'must be a whole number' }).min(0, { error: 'must not be negative' });
export const wholePositive = () =>
  z.int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' });
export const fraction = () =>
  finite().min(0, { error: 'must be from 0 to 1' }).max(1, { error: 'must be from 0 to 1' });
export const label = (max: number) =>
  z.string({ error: 'must be text' }).max(max, { error: `must be at most ${max} characters` });
export const nonEmptyLabel = (max: number) => label(max).min(1, { error: 'must not be empty' });

/** A number within bounds from an engine table; the error names them ("must be a whole number from 1 to 1,000,000"). */
export function bounded(bounds: Bounds) {
  const error = `must be ${boundsRequirement(bounds)}`;
  let schema = bounds.whole ? z.int({ error }) : z.number({ error });
  schema = bounds.aboveMin ? schema.gt(bounds.min, { error }) : schema.min(bounds.min, { error });
  if (bounds.max !== Infinity)
    schema = bounds.belowMax ? schema.lt(bounds.max, { error }) : schema.max(bounds.max, { error });
  return schema;
}

export const wholeUpTo = (max: number, min = 0) =>
  z
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be from ${min} to ${max.toLocaleString('en-US')}` })
    .max(max, { error: `must be from ${min} to ${max.toLocaleString('en-US')}` });

// A schema must describe the engine's or the contract's type exactly: `sameShape<Same<z.output<typeof
// schema>, Type>>()` beside each schema fails type checking when either side drifts.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameShape = <T extends true>(): T | undefined => undefined;

/** "design.hardware.pageSizeBytes", "notebook.experiments[0].results[3].ok". */
export function issuePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}

/** One readable line for a zod error: the first few issues, each with the field it is about. */
export function describeIssues(error: z.ZodError, root = ''): string {
  const shown = error.issues.slice(0, 5).map((issue) => {
    const where = issuePath(root ? [root, ...issue.path] : issue.path);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - shown.length;
  return more > 0 ? `${shown.join('; ')} (and ${more} more)` : shown.join('; ');
}
