import type { HostApi } from '../../../shared/hostApi';

let current: HostApi | null = null;

/** Make `api` the host every store talks to (once at start-up; tests install fakes). */
export function installHost(api: HostApi): void {
  current = api;
}

/** The installed host; throws before installHost ran. */
export function useHost(): HostApi {
  if (!current) throw new Error('the lab host is not connected yet');
  return current;
}
