import { access, constants, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { BuiltinNotebook, OpenedNotebook, NotebookDocument, SavedNotebook } from '../../shared/hostApi';
import { NOTEBOOK_EXTENSION, NOTEBOOK_FORMAT_VERSION } from '../../shared/notebook/format';
import {
  backupPath,
  currentProvenance,
  deserializeNotebook,
  readNotebookFile,
  saveFailureReason,
  serializeNotebook,
  withTracePathsFrom,
  writeAtomically,
} from '../../node/notebookFile';
import { version as packageVersion } from '../../../package.json';
import { removeStaleTemporaries, writeWholeFile } from '../../node/wholeFile';
import { messageOf } from '../../shared/messageOf';

/** How many recent notebook files are remembered. */
export const MAX_RECENT = 10;
/** The recent list's file in the settings folder (its name kept from when notebooks were "projects", so the list survives an update). */
const RECENT_FILE = 'recent-projects.json';

export interface NotebookServiceOptions {
  /** Folder for the app's own settings (the recent-files list); created when first needed. */
  settingsDir: string;
  /** Folder of the built-in notebooks (resources/notebooks); none when absent. */
  builtinDir?: string;
  /** The app version written into provenance (default: package.json's). */
  appVersion?: string;
}

function checkPath(path: string): void {
  if (!isAbsolute(path)) throw new Error(`the notebook path must be absolute, got "${path}"`);
}

async function checkWritable(path: string): Promise<void> {
  if (((await stat(path)).mode & 0o222) === 0)
    throw Object.assign(new Error('the file is read-only'), { code: 'EREADONLY' });
  await access(path, constants.W_OK);
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Notebook files on the real file system (Node only): open, save and the recent-files list.
 * Files are validated on open and before save; a bad file or document raises an error naming the
 * field and changes nothing. Saves are whole or refused (wholeFile.ts: a temporary file written in
 * full, flushed, then renamed over the old one), so a crash or a full disk mid-save leaves the
 * previous file whole; before the rename, the previous version is copied to `<file>.bak` (written
 * the same way). A save that fails says why (permission denied, read-only file, folder missing,
 * disk full, ...) and leaves the old file and its `.bak` as they were.
 */
export class NotebookService {
  private readonly settingsDir: string;
  private readonly builtinDir: string | undefined;
  private readonly appVersion: string;
  /** Serializes updates of the recent list. */
  private recentQueue: Promise<unknown> = Promise.resolve();

  constructor(options: NotebookServiceOptions) {
    this.settingsDir = options.settingsDir;
    this.builtinDir = options.builtinDir;
    this.appVersion = options.appVersion ?? packageVersion;
  }

  newNotebook(): NotebookDocument {
    return {
      formatVersion: NOTEBOOK_FORMAT_VERSION,
      name: 'Untitled',
      provenance: currentProvenance(this.appVersion),
      entries: [],
    };
  }

  /** The notebooks shipped in resources/notebooks, by file stem, titled by their names. */
  async builtinNotebooks(): Promise<BuiltinNotebook[]> {
    if (!this.builtinDir) return [];
    let files: string[];
    try {
      files = (await readdir(this.builtinDir)).filter((file) => extname(file) === NOTEBOOK_EXTENSION).sort();
    } catch {
      return [];
    }
    const notebooks: BuiltinNotebook[] = [];
    for (const file of files) {
      const id = basename(file, NOTEBOOK_EXTENSION);
      try {
        const document = await this.openBuiltin(id);
        notebooks.push({ id, title: document.name });
      } catch {
        // A damaged built-in file is left out rather than offered.
      }
    }
    return notebooks;
  }

  /** A built-in notebook's document; it keeps no path, so saving it asks where. */
  async openBuiltin(id: string): Promise<NotebookDocument> {
    if (!this.builtinDir || !/^[\w.-]+$/.test(id) || id.startsWith('.')) {
      throw new Error(`there is no built-in notebook "${id}"`);
    }
    const file = join(this.builtinDir, `${id}${NOTEBOOK_EXTENSION}`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`there is no built-in notebook "${id}"`, { cause: error });
    }
    return withTracePathsFrom(deserializeNotebook(text, basename(file), this.appVersion), dirname(file));
  }

  async open(path: string): Promise<OpenedNotebook> {
    checkPath(path);
    if (extname(path) !== NOTEBOOK_EXTENSION) {
      throw new Error(
        `${basename(path)} is not a notebook file: notebook files end in ${NOTEBOOK_EXTENSION}`,
      );
    }
    const text = await readNotebookFile(path);
    const notebook = withTracePathsFrom(
      deserializeNotebook(text, basename(path), this.appVersion),
      dirname(resolve(path)),
    );
    await this.remember(path);
    return { path, notebook };
  }

  /**
   * Save `notebook` to `path` (the extension is added when missing). Validates first: an invalid
   * notebook is refused and the file left as it was.
   */
  async save(notebook: NotebookDocument, path: string): Promise<SavedNotebook> {
    checkPath(path);
    const target = extname(path) === NOTEBOOK_EXTENSION ? path : `${path}${NOTEBOOK_EXTENSION}`;
    let text: string;
    try {
      // The file records the engine and app that wrote it.
      text = serializeNotebook({ ...notebook, provenance: currentProvenance(this.appVersion) });
    } catch (error) {
      throw new Error(`cannot save ${basename(target)}: the notebook is not valid: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const hadFile = await exists(target);
    try {
      // A read-only file is the user's way of saying "do not change this"; the rename would not ask.
      // (Checked by its mode bits too: root may write anything, but should not here.)
      if (hadFile) await checkWritable(target);
      // A killed save's temporaries of the .bak (the file's own go with its write, see wholeFile.ts).
      await removeStaleTemporaries(backupPath(target));
      if (hadFile) {
        // The previous version, whole, before the rename replaces it.
        await writeAtomically(backupPath(target), await readFile(target));
      }
      await writeAtomically(target, text);
    } catch (error) {
      const kept = hadFile ? '; the previous file is unchanged' : '';
      throw new Error(`cannot save ${target}: ${saveFailureReason(error)}${kept}`, { cause: error });
    }
    await this.remember(target);
    return { path: target };
  }

  /** "Save As": the same as save, to a path the user chose. */
  saveAs(notebook: NotebookDocument, path: string): Promise<SavedNotebook> {
    return this.save(notebook, path);
  }

  /** Recent notebook files, most recent first; files that no longer exist are dropped. */
  async recent(): Promise<string[]> {
    return this.updateRecent((list) => list);
  }

  private remember(path: string): Promise<string[]> {
    return this.updateRecent((list) => [path, ...list.filter((p) => p !== path)]);
  }

  private updateRecent(change: (list: string[]) => string[]): Promise<string[]> {
    const next = this.recentQueue.then(async () => {
      const before = await this.readRecent();
      const changed = change(before);
      const present: string[] = [];
      for (const path of changed) if (present.length < MAX_RECENT && (await exists(path))) present.push(path);
      if (JSON.stringify(present) !== JSON.stringify(before)) await this.writeRecent(present);
      return present;
    });
    this.recentQueue = next.catch(() => undefined);
    return next;
  }

  private get recentFile(): string {
    return join(this.settingsDir, RECENT_FILE);
  }

  private async readRecent(): Promise<string[]> {
    try {
      const parsed = JSON.parse(await readFile(this.recentFile, 'utf8')) as { recent?: unknown };
      const list = parsed?.recent;
      return Array.isArray(list)
        ? list.filter((p): p is string => typeof p === 'string' && isAbsolute(p))
        : [];
    } catch {
      // Missing or unreadable: start afresh (the list is a convenience, not data).
      return [];
    }
  }

  private async writeRecent(list: string[]): Promise<void> {
    await mkdir(this.settingsDir, { recursive: true });
    await writeWholeFile(this.recentFile, `${JSON.stringify({ recent: list }, null, 2)}\n`);
  }
}
