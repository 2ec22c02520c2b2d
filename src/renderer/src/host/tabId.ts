/** Where a tab keeps its id: sessionStorage survives a reload of the tab and differs per tab. */
export const TAB_ID_KEY = 'accent-lab.tab';

/** The part of Web Storage used here (the unit tests run in Node, which has none). */
interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

let fallback: string | null = null;

/** 32 random hex digits (crypto.getRandomValues works in every context, secure or not). */
function randomTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * This browser tab's id (the desktop app's window is one tab), which names its recovery file on
 * the host: kept in the tab's sessionStorage, so a reload finds the tab's own autosave and two
 * tabs never share one. Without sessionStorage (storage disabled), an id for this page's life.
 */
export function tabId(): string {
  try {
    const storage = (globalThis as { sessionStorage?: TabStorage }).sessionStorage;
    if (!storage) throw new Error('no sessionStorage');
    const kept = storage.getItem(TAB_ID_KEY);
    if (kept && /^[A-Za-z0-9_-]{1,64}$/.test(kept)) return kept;
    const made = randomTabId();
    storage.setItem(TAB_ID_KEY, made);
    return made;
  } catch {
    fallback ??= randomTabId();
    return fallback;
  }
}
