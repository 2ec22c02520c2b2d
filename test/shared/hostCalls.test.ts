import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  forwardingMethods,
  hostCallsArgument,
  hostCallsFromArgv,
  type HostApi,
} from '../../src/shared/hostApi';
import { declareCall, HOST_CALL_DECLARATIONS, HOST_CALLS } from '../../src/shared/hostCalls';

describe('host calls declared once', () => {
  it('the declaration checks each schema against its parameter (compile time)', () => {
    const text = z.string();
    // Each line below must fail to compile; `npm run typecheck` reports an unused expect-error.
    // @ts-expect-error: a number schema for a text parameter
    declareCall<(x: string) => void>(['x', z.number()]);
    // @ts-expect-error: an optional parameter without its schema
    declareCall<(x: string, y?: string) => void>(['x', text]);
    // @ts-expect-error: a schema for a parameter the call does not have
    declareCall<(x: string) => void>(['x', text], ['y', text]);
    // @ts-expect-error: a schema that lets undefined through for a required parameter
    declareCall<(x: string) => void>(['x', text.optional()]);
    const declared = declareCall<(x: string, y?: string) => void>(['x', text], ['y', text.optional()]);
    expect(declared.parameters.map(([name]) => name)).toEqual(['x', 'y']);
  });

  it('HostApi is derived from it: every call, with its parameters and result (compile time)', () => {
    const api = forwardingMethods(HOST_CALLS, async () => null) as HostApi;
    expect(() => {
      // @ts-expect-error: a missing argument
      void api.startSweep();
    }).not.toThrow();
    const saved: Promise<{ path: string } | null> = api.saveNotebook(null as never);
    void saved;
  });

  it('forwarding methods: one per call, named, dropping trailing undefined arguments', async () => {
    const seen: [string, unknown[]][] = [];
    const methods = forwardingMethods(HOST_CALLS, async (call, args) => {
      seen.push([call, args]);
      return call;
    });
    expect(Object.keys(methods)).toEqual(Object.keys(HOST_CALL_DECLARATIONS));
    expect(HOST_CALLS).toContain('startSweep');
    expect(await methods.version()).toBe('version');
    await methods.openNotebook(undefined);
    await methods.writeRecovery('tab', null as never, undefined);
    await methods.retryTrial('s', 't');
    expect(seen).toEqual([
      ['version', []],
      ['openNotebook', []],
      ['writeRecovery', ['tab', null]],
      ['retryTrial', ['s', 't']],
    ]);
  });

  it('the preload learns the names from its renderer arguments, as the main process passes them', () => {
    const argv = ['/opt/lab/electron', '--type=renderer', hostCallsArgument(HOST_CALLS), '--other'];
    expect(hostCallsFromArgv(argv)).toEqual(HOST_CALLS);
    expect(() => hostCallsFromArgv(['/opt/lab/electron'])).toThrow(/host calls are missing/);
    expect(() => hostCallsFromArgv([hostCallsArgument([]), 'x'])).toThrow(/host calls are missing/);
    expect(() => hostCallsFromArgv(['--accent-lab-host-calls=version,a b'])).toThrow(
      /host calls are missing/,
    );
  });
});
