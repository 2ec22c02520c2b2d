import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { NotebookDocument, RecoveredNotebook, RecoveryOffer } from '../../shared/hostApi';
import {
  deserializeNotebook,
  readNotebookFile,
  serializeNotebook,
  writeAtomically,
} from '../../node/notebookFile';
import { removeStaleTemporariesIn } from '../../node/wholeFile';
import { messageOf } from '../../shared/messageOf';

/** Recovery files end in this; each browser tab (the desktop app's window) writes its own. */
const RECOVERY_EXTENSION = '.recovery.json';

/** A tab id: the renderer keeps one per tab in its sessionStorage (it survives a reload). */
export const TAB_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export interface RecoveryServiceOptions {
  /** The recovery folder (Electron: userData/recovery); created when first needed. */
  dir: string;
  /** The clock (tests fix it). */
  now?: () => Date;
}

/** What a recovery file holds, besides the notebook document. */
interface RecoveryHeader {
  recoveryFormat: 1;
  savedAt: string;
  /** The file the notebook belongs to; null for an untitled or built-in one. */
  path: string | null;
}

interface RecoveryFile extends RecoveredNotebook {
  file: string;
}

/**
 * Autosaved unsaved work (Node only), one file per tab: `<dir>/<tab>.recovery.json`. The renderer
 * names its tab with an id kept in the tab's sessionStorage (so a reload keeps it and two tabs
 * differ; the desktop app's window is one tab) and sends the open notebook while it has unsaved
 * changes; the file is written whole like a notebook file. A clean save or close removes that
 * tab's file only (clear).
 *
 * Unsaved work left behind (a crashed or killed host, a closed tab, a reloaded page) is offered
 * one file at a time: pending() names the newest to the tab that asks, restore() makes it that
 * tab's own, discard() deletes it and names the next; the others stay for the next tab or start.
 * A file of a tab that is still open elsewhere (held by its connection, see hold()) is never
 * offered, restored or discarded by another tab.
 *
 * Calls run one after another in the order they arrive, so a write that was sent before a save
 * cannot land after the clear that follows the save, and two tabs cannot take the same file.
 */
export class RecoveryService {
  readonly dir: string;
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();
  /** Tabs with an open connection, and how many (a reload briefly has two). */
  private readonly held = new Map<string, number>();
  /** The file last offered to each tab, which its restore() or discard() acts on. */
  private readonly offered = new Map<string, string>();
  /** Tabs that wrote or restored a recovery file through this service (see clearTabs). */
  private readonly tabs = new Set<string>();

  constructor(options: RecoveryServiceOptions) {
    this.dir = options.dir;
    this.now = options.now ?? (() => new Date());
  }

  /** The recovery file of `tab`. */
  ownFile(tab: string): string {
    return join(this.dir, fileName(tab));
  }

  /**
   * `tab` is open (a connection of the web adapter uses it): its file is not unsaved work left
   * behind. Returns the release, called when the connection closes (idempotent).
   */
  hold(tab: string): () => void {
    checkTab(tab);
    this.held.set(tab, (this.held.get(tab) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const count = (this.held.get(tab) ?? 1) - 1;
      if (count > 0) this.held.set(tab, count);
      else this.held.delete(tab);
    };
  }

  /** Autosave `notebook` (belonging to `path`, if it has a file) as the recovery file of `tab`. */
  write(tab: string, notebook: NotebookDocument, path?: string | null): Promise<void> {
    checkTab(tab);
    return this.serially(async () => {
      const header: RecoveryHeader = {
        recoveryFormat: 1,
        savedAt: this.now().toISOString(),
        path: path ?? null,
      };
      // serializeNotebook validates: an invalid document is refused, the last good autosave kept.
      const text = `${JSON.stringify(header)}\n${serializeNotebook(notebook)}`;
      await mkdir(this.dir, { recursive: true });
      this.tabs.add(tab);
      await writeAtomically(this.ownFile(tab), text);
    });
  }

  /**
   * Remove the recovery files of every tab that wrote or restored one through this service: the
   * desktop app's close that the user agreed to (its one window is the one tab; the main process
   * does not know the window's tab id). Files left by other processes stay.
   */
  clearTabs(): Promise<void> {
    return this.serially(async () => {
      for (const tab of this.tabs) await rm(this.ownFile(tab), { force: true });
    });
  }

  /** Remove the recovery file of `tab` (after a clean save or close of its notebook); no other. */
  clear(tab: string): Promise<void> {
    checkTab(tab);
    return this.serially(() => rm(this.ownFile(tab), { force: true }));
  }

  /**
   * The page of `tab` has started: the newest unsaved work left behind, or null. Called once per
   * page. A file of this very tab is the work of its page before a reload: it is set aside (under
   * a new name) and offered like any other, so the tab's next autosave does not overwrite it.
   */
  pending(tab: string): Promise<RecoveryOffer | null> {
    checkTab(tab);
    return this.serially(async () => {
      // Autosaves killed midway (of any tab, open or gone) leave their temporaries here.
      await removeStaleTemporariesIn(this.dir);
      try {
        await rename(this.ownFile(tab), this.ownFile(randomUUID()));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      return this.offer(tab);
    });
  }

  /**
   * Take over the unsaved work last offered to `tab`: its file becomes the tab's recovery file (so
   * it stays safe until saved). Work the tab had autosaved is set aside first, never overwritten.
   */
  restore(tab: string): Promise<RecoveredNotebook> {
    checkTab(tab);
    return this.serially(async () => {
      const name = this.offered.get(tab);
      if (name === undefined) throw new Error('there is no unsaved work to restore');
      this.offered.delete(tab);
      const file = join(this.dir, name);
      let recovered: RecoveredNotebook;
      try {
        recovered = parseRecovery(await readNotebookFile(file), name);
      } catch (error) {
        if (isMissing(error)) {
          throw new Error('that unsaved work was restored or discarded in another tab', { cause: error });
        }
        throw error;
      }
      try {
        await rename(this.ownFile(tab), this.ownFile(randomUUID()));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.tabs.add(tab);
      await rename(file, this.ownFile(tab));
      return recovered;
    });
  }

  /**
   * Delete the unsaved work last offered to `tab` (the user chose not to restore it); returns the
   * next one left behind, or null.
   */
  discard(tab: string): Promise<RecoveryOffer | null> {
    checkTab(tab);
    return this.serially(async () => {
      const name = this.offered.get(tab);
      this.offered.delete(tab);
      if (name !== undefined) await rm(join(this.dir, name), { force: true });
      return this.offer(tab);
    });
  }

  private async offer(tab: string): Promise<RecoveryOffer | null> {
    const [newest, ...more] = await this.leftBehind(tab);
    if (!newest) {
      this.offered.delete(tab);
      return null;
    }
    this.offered.set(tab, basename(newest.file));
    return { savedAt: newest.savedAt, name: newest.notebook.name, path: newest.path, more: more.length };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Recovery files neither of `tab` nor of a tab still open. */
  private async leftBehindFiles(tab: string): Promise<string[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch {
      return [];
    }
    return files.filter((file) => {
      if (!file.endsWith(RECOVERY_EXTENSION)) return false;
      const owner = file.slice(0, -RECOVERY_EXTENSION.length);
      return owner !== tab && !this.held.has(owner);
    });
  }

  /** Readable recovery files left behind, newest first; damaged ones are skipped. */
  private async leftBehind(tab: string): Promise<RecoveryFile[]> {
    const found: RecoveryFile[] = [];
    for (const name of await this.leftBehindFiles(tab)) {
      const file = join(this.dir, name);
      try {
        found.push({ file, ...parseRecovery(await readNotebookFile(file), name) });
      } catch (error) {
        console.error(`skipping damaged recovery file ${file}: ${messageOf(error)}`);
      }
    }
    return found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }
}

function fileName(tab: string): string {
  return `${tab}${RECOVERY_EXTENSION}`;
}

/** A file that is not there (readNotebookFile keeps the fs error as its cause). */
function isMissing(error: unknown): boolean {
  const code =
    (error as NodeJS.ErrnoException).code ?? ((error as Error).cause as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT';
}

function checkTab(tab: string): void {
  if (!TAB_ID_PATTERN.test(tab))
    throw new Error('RecoveryService: a tab id is 1 to 64 letters, digits, - or _');
}

/** A recovery file's text: one header line, then the notebook as a notebook file holds it. */
export function parseRecovery(text: string, where: string): RecoveredNotebook {
  const newline = text.indexOf('\n');
  if (newline < 0) throw new Error(`${where} is not a recovery file: it has no header line`);
  const header = JSON.parse(text.slice(0, newline)) as Partial<RecoveryHeader> | null;
  const savedAt = header?.savedAt;
  const path = header?.path;
  if (header?.recoveryFormat !== 1 || typeof savedAt !== 'string' || Number.isNaN(Date.parse(savedAt))) {
    throw new Error(`${where} is not a recovery file: its header is not understood`);
  }
  if (path !== null && (typeof path !== 'string' || !isAbsolute(path))) {
    throw new Error(`${where} is not a recovery file: its path is not an absolute path`);
  }
  return { savedAt, path: path ?? null, notebook: deserializeNotebook(text.slice(newline + 1), where) };
}
