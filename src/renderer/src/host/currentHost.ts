import type { HostApi } from '../../../shared/hostApi';

/** What the renderer needs to know about the host besides its calls. */
export interface HostTraits {
  /**
   * The host asks the user itself before a link leaves the app (Electron's native dialog in the
   * main process), so the renderer must not ask as well.
   */
  confirmsLinks: boolean;
}

let current: HostApi | null = null;
let traits: HostTraits = { confirmsLinks: false };

/** Make `api` the host every store talks to (once at start-up; tests install fakes). */
export function installHost(api: HostApi, hostTraits: HostTraits = { confirmsLinks: false }): void {
  current = api;
  traits = hostTraits;
}

/** The installed host; throws before installHost ran. */
export function useHost(): HostApi {
  if (!current) throw new Error('the lab host is not connected yet');
  return current;
}

/** The installed host's traits (a browser host confirms nothing itself). */
export function useHostTraits(): HostTraits {
  return traits;
}
