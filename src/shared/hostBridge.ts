import type { HostCall, HostCallMethods } from './hostCalls';

// How the HostApi travels: the preload's global and IPC channels, the methods that forward each
// call (preload and WebSocket client), and the host calls' names passed to the sandboxed preload.
// Re-exported by ./hostApi.ts.

/** The global name under which the preload exposes the {@link HostApi}. */
export const HOST_API_GLOBAL = 'accentLab';

/** IPC channel of a call, and of host events. */
export const ipcChannel = (call: HostCall): string => `host:${call}`;
export const HOST_EVENT_CHANNEL = 'host:event';

/**
 * One named method per call, each forwarding its arguments to `forward` (the preload's IPC invoke,
 * the WebSocket client's frame). Trailing undefined arguments are dropped, so an absent optional
 * parameter is absent on the wire whichever way it travels.
 */
export function forwardingMethods(
  calls: readonly HostCall[],
  forward: (call: HostCall, args: unknown[]) => Promise<unknown>,
): HostCallMethods {
  const methods: Partial<Record<HostCall, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of calls) {
    methods[name] = (...args: unknown[]) => {
      while (args.length > 0 && args.at(-1) === undefined) args.pop();
      return forward(name, args);
    };
  }
  return methods as HostCallMethods;
}

/**
 * The sandboxed preload may require nothing but `electron`, so it cannot bundle the calls'
 * declaration (zod and the engine's tables). The main process passes it the names instead, as a
 * command-line argument of the renderer (webPreferences.additionalArguments, which Electron
 * appends to the preload's `process.argv` for this purpose).
 */
const HOST_CALLS_ARGUMENT = '--accent-lab-host-calls=';

/** The renderer argument that names the host calls (`HOST_CALLS` of ./hostCalls.ts). */
export function hostCallsArgument(calls: readonly HostCall[]): string {
  return HOST_CALLS_ARGUMENT + calls.join(',');
}

/** The host calls named in a renderer's `process.argv`; throws when there are none. */
export function hostCallsFromArgv(argv: readonly string[]): HostCall[] {
  const argument = argv.find((arg) => arg.startsWith(HOST_CALLS_ARGUMENT));
  const calls = argument?.slice(HOST_CALLS_ARGUMENT.length).split(',') ?? [];
  if (calls.length === 0 || !calls.every((call) => /^[A-Za-z]+$/.test(call))) {
    throw new Error(`the host calls are missing from the renderer's arguments (${HOST_CALLS_ARGUMENT})`);
  }
  return calls as HostCall[];
}
