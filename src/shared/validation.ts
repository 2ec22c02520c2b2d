import { describeIssues } from './schemas/fields';
import { callParameters, type CallArgs, type HostCall } from './hostCalls';

/**
 * The arguments of every host call, checked at the host's door. Both adapters (Electron IPC and
 * the web socket) run {@link parseCallArgs} on every incoming call before the host services see
 * it. Each call's parameters and their schemas are declared in ./hostCalls.ts; the schemas of what
 * the calls carry live by subject in ./schemas (hardware, workload, design, results, notebook,
 * calls).
 */

export type { CallArgs } from './hostCalls';

/**
 * Check the arguments of one host call and return them parsed (fresh objects, unknown keys
 * refused). Throws an Error whose message names the call and the offending field, e.g.
 * `startSweep: design.hardware.pageSizeBytes: the page size must be a power of two ...`.
 */
export function parseCallArgs<C extends HostCall>(call: C, args: unknown): CallArgs<C> {
  const parameters = callParameters(call);
  if (!parameters) throw new Error(`unknown host call "${String(call)}"`);
  if (!Array.isArray(args)) throw new Error(`${call}: the arguments must be a list`);
  if (args.length > parameters.length) {
    throw new Error(
      `${call}: takes ${parameters.length === 0 ? 'no' : `at most ${parameters.length}`} argument${parameters.length === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
  const parsed: unknown[] = [];
  parameters.forEach(([name, schema], index) => {
    const result = schema.safeParse(args[index]);
    if (!result.success) throw new Error(`${call}: ${describeIssues(result.error, name)}`);
    parsed.push(result.data);
  });
  // Optional trailing parameters that were not given stay absent.
  while (parsed.length > 0 && parsed.length > args.length && parsed.at(-1) === undefined) parsed.pop();
  return parsed as CallArgs<C>;
}
