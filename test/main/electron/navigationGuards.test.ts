import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { rendererLocation } from '../../../src/main/electron/rendererLocation';

const electron = vi.hoisted(() => ({
  appListeners: new Map<string, (...args: unknown[]) => void>(),
}));

// The Electron binary never runs under Vitest: stand in for the module the adapter imports.
vi.mock('electron', () => ({
  app: {
    on: (name: string, listener: (...args: unknown[]) => void) => electron.appListeners.set(name, listener),
  },
}));

const { assertOwnSender, guardWebContents, installNavigationGuards, navigationAllowed } =
  await import('../../../src/main/electron/navigationGuards');

const location = rendererLocation(join('/opt/accent-lab/out/main'), undefined);
const own = pathToFileURL(location.indexHtmlPath).href;

/** A web contents that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, (event: unknown) => void>();
  let openHandler: ((details: { url: string }) => { action: string }) | null = null;
  const contents = {
    on: (name: string, listener: (event: unknown) => void) => {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: typeof openHandler) => (openHandler = handler),
  };
  /** Fire `name` with an event for `url` (in the main frame unless told); true when prevented. */
  const fire = (name: string, url = '', frame: 'main' | 'sub' | 'unsaid' = 'main'): boolean => {
    const preventDefault = vi.fn();
    const isMainFrame = frame === 'unsaid' ? {} : { isMainFrame: frame === 'main' };
    listeners.get(name)!({ url, ...isMainFrame, isSameDocument: false, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  return { contents: contents as unknown as WebContents, listeners, fire, open: () => openHandler };
}

describe('navigation guards on every web contents', () => {
  it('lets a navigation, redirect or frame navigation go only to our own page', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents, location);
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      expect(fire(name, `${own}#notes`), name).toBe(false);
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        own.replace('file:///', 'file://evil/'),
      ]) {
        expect(fire(name, url), `${name} ${url}`).toBe(true);
      }
    }
  });

  it('lets no subframe navigate anywhere, not even to our own page; will-navigate is the main frame', () => {
    const { contents, fire } = fakeContents();
    guardWebContents(contents, location);
    for (const name of ['will-frame-navigate', 'will-redirect']) {
      for (const url of [own, `${own}#notes`, 'https://evil.example/', 'about:blank']) {
        expect(fire(name, url, 'sub'), `${name} subframe ${url}`).toBe(true);
        // An event that does not say it is the main frame is taken for a subframe.
        expect(fire(name, url, 'unsaid'), `${name} unsaid ${url}`).toBe(true);
      }
      expect(fire(name, own, 'main'), `${name} main frame`).toBe(false);
    }
    // will-navigate fires for the main frame only, so its own page passes whatever the event says.
    expect(fire('will-navigate', own, 'unsaid')).toBe(false);
    expect(fire('will-navigate', 'https://evil.example/', 'unsaid')).toBe(true);
    expect(navigationAllowed({ url: own, isMainFrame: true }, location)).toBe(true);
    expect(navigationAllowed({ url: own, isMainFrame: false }, location)).toBe(false);
    expect(navigationAllowed({ url: own }, location)).toBe(false);
  });

  it('takes IPC only from our own page in the main frame', () => {
    expect(() => assertOwnSender({ url: `${own}#x`, parent: null }, location)).not.toThrow();
    const subframe = { url: own, parent: { url: own, parent: null } } as unknown as Parameters<
      typeof assertOwnSender
    >[0];
    expect(() => assertOwnSender(subframe, location)).toThrow(
      `IPC from an untrusted frame: a subframe at ${own}`,
    );
    expect(() => assertOwnSender({ url: 'https://evil.example/', parent: null }, location)).toThrow(
      'IPC from an untrusted frame: https://evil.example/',
    );
    expect(() => assertOwnSender(null, location)).toThrow('IPC from an untrusted frame: (gone)');
  });

  it('attaches no <webview> and opens no window', () => {
    const { contents, fire, open } = fakeContents();
    guardWebContents(contents, location);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open()?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });

  it('guards each web contents the app creates, from app.on("web-contents-created")', () => {
    installNavigationGuards(location);
    const created = electron.appListeners.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    const { contents, listeners, fire } = fakeContents();
    created!({}, contents);
    expect([...listeners.keys()].sort()).toEqual([
      'will-attach-webview',
      'will-frame-navigate',
      'will-navigate',
      'will-redirect',
    ]);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
  });
});
