import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ProjectDocument, RecoveredProject, RecoveryOffer } from '../../shared/hostApi';
import {
  deserializeProject,
  readProjectFile,
  serializeProject,
  writeAtomically,
} from '../../node/projectFile';

/** Recovery files end in this; each app session (one host process) writes its own. */
const RECOVERY_EXTENSION = '.recovery.json';

export interface RecoveryServiceOptions {
  /** The recovery folder (Electron: userData/recovery); created when first needed. */
  dir: string;
  /** This session's name (default: a random UUID), so a new session never overwrites a crashed one's file. */
  sessionId?: string;
  /** The clock (tests fix it). */
  now?: () => Date;
}

/** What a recovery file holds, besides the project document. */
interface RecoveryHeader {
  recoveryFormat: 1;
  savedAt: string;
  /** The file the project belongs to; null for an untitled or built-in one. */
  path: string | null;
}

interface RecoveryFile extends RecoveredProject {
  file: string;
}

/**
 * Autosaved unsaved work (Node only). The renderer sends the open project while it has unsaved
 * changes; it lands in `<dir>/<session>.recovery.json`, written atomically like a project file. A
 * clean save or close removes it (clear). A file left by another session means that session died
 * with unsaved work: pending() offers the newest, restore() takes it over, discard() deletes it.
 *
 * Calls run one after another in the order they arrive, so a write that was sent before a save
 * cannot land after the clear that follows the save.
 */
export class RecoveryService {
  readonly dir: string;
  readonly sessionId: string;
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RecoveryServiceOptions) {
    this.dir = options.dir;
    this.sessionId = options.sessionId ?? randomUUID();
    this.now = options.now ?? (() => new Date());
    if (!/^[\w-]+$/.test(this.sessionId))
      throw new Error(`RecoveryService: bad session id "${this.sessionId}"`);
  }

  /** This session's recovery file. */
  get ownFile(): string {
    return join(this.dir, `${this.sessionId}${RECOVERY_EXTENSION}`);
  }

  /** Autosave `project` (belonging to `path`, if it has a file) as this session's recovery file. */
  write(project: ProjectDocument, path?: string | null): Promise<void> {
    return this.serially(async () => {
      const header: RecoveryHeader = {
        recoveryFormat: 1,
        savedAt: this.now().toISOString(),
        path: path ?? null,
      };
      // serializeProject validates: an invalid document is refused, the last good autosave kept.
      const text = `${JSON.stringify(header)}\n${serializeProject(project)}`;
      await mkdir(this.dir, { recursive: true });
      await writeAtomically(this.ownFile, text);
    });
  }

  /** Remove this session's recovery file (after a clean save or close of the project). */
  clear(): Promise<void> {
    return this.serially(() => rm(this.ownFile, { force: true }));
  }

  /** The newest unsaved work another session left behind, or null. */
  pending(): Promise<RecoveryOffer | null> {
    return this.serially(async () => {
      const newest = (await this.others())[0];
      if (!newest) return null;
      return { savedAt: newest.savedAt, name: newest.project.name, path: newest.path };
    });
  }

  /**
   * Take over the newest unsaved work of another session: its file becomes this session's
   * recovery file (so it stays safe until saved) and the older ones are removed.
   */
  restore(): Promise<RecoveredProject> {
    return this.serially(async () => {
      const [newest, ...older] = await this.others();
      if (!newest) throw new Error('there is no unsaved work to restore');
      await rename(newest.file, this.ownFile);
      for (const { file } of older) await rm(file, { force: true });
      return { savedAt: newest.savedAt, path: newest.path, project: newest.project };
    });
  }

  /** Delete the unsaved work other sessions left behind (the user chose not to restore it). */
  discard(): Promise<void> {
    return this.serially(async () => {
      for (const file of await this.otherFiles()) await rm(join(this.dir, file), { force: true });
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async otherFiles(): Promise<string[]> {
    let files: string[];
    try {
      files = await readdir(this.dir);
    } catch {
      return [];
    }
    const own = `${this.sessionId}${RECOVERY_EXTENSION}`;
    return files.filter((file) => file.endsWith(RECOVERY_EXTENSION) && file !== own);
  }

  /** Other sessions' readable recovery files, newest first; damaged ones are skipped. */
  private async others(): Promise<RecoveryFile[]> {
    const found: RecoveryFile[] = [];
    for (const name of await this.otherFiles()) {
      const file = join(this.dir, name);
      try {
        found.push({ file, ...parseRecovery(await readProjectFile(file), name) });
      } catch (error) {
        console.error(`skipping damaged recovery file ${file}: ${(error as Error).message}`);
      }
    }
    return found.sort((a, b) => b.savedAt.localeCompare(a.savedAt));
  }
}

/** A recovery file's text: one header line, then the project as a project file holds it. */
export function parseRecovery(text: string, where: string): RecoveredProject {
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
  return { savedAt, path: path ?? null, project: deserializeProject(text.slice(newline + 1), where) };
}
