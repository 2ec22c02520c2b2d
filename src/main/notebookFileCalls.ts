import { existsSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { HostApi, NotebookDocument, OpenedNotebook, SavedNotebook } from '../shared/hostApi';
import { compactInlineExperiments } from '../node/inlineCompaction';
import type { HostServicesOptions } from './hostServices';
import type { NotebookService } from './services/notebookService';
import { carryStores, savedPath, type CarryOptions } from './services/storeCarry';

// The host calls and helpers about notebook files (open, save with its results store, the
// recent list's titles, the first save's folder), apart from the wiring in hostServices.ts.

/** Opening and saving a notebook file: at the path given, or where the user picks (Electron's dialogs). */
export function notebookFileCalls(
  notebooks: NotebookService,
  options: HostServicesOptions,
  carry?: Pick<CarryOptions, 'untitled' | 'open'>,
): Pick<HostApi, 'openNotebook' | 'saveNotebook'> {
  return {
    async openNotebook(path?: string): Promise<OpenedNotebook | null> {
      let target = path;
      if (target === undefined) {
        if (!options.pickOpenPath) throw new Error('openNotebook: a path is required');
        const picked = await options.pickOpenPath();
        if (picked === null) return null;
        target = picked;
      }
      return notebooks.open(target);
    },
    async saveNotebook(
      notebook: NotebookDocument,
      path?: string,
      from?: string,
    ): Promise<SavedNotebook | null> {
      let target = path;
      if (target === undefined) {
        if (!options.pickSavePath) throw new Error('saveNotebook: a path is required');
        const picked = await options.pickSavePath(notebook);
        if (picked === null) return null;
        target = picked;
      }
      if (!carry || !isAbsolute(target)) return notebooks.save(notebook, target);
      // The trials go with the notebook into the store beside it, before the file names that store.
      const carried = await carryStores(notebook, { ...carry, from, to: savedPath(target) });
      // An old notebook's inline experiment over the inline limit: into that store, as its summary.
      const compaction = await compactInlineExperiments(carried.notebook, {
        notebookFile: savedPath(target),
        open: carry.open,
        ...(options.inlineBytes !== undefined ? { inlineBytes: options.inlineBytes } : {}),
      });
      const saved = await notebooks.save(compaction.notebook, target);
      const warnings = [...carried.warnings, ...compaction.warnings];
      return {
        ...saved,
        ...(carried.carried.length > 0 ? { carried: carried.carried } : {}),
        ...(compaction.compacted.length > 0
          ? {
              compacted: compaction.compacted.map((moved) => ({
                experimentId: moved.experimentId,
                trials: moved.trials,
                summary: moved.entry.summary!,
              })),
            }
          : {}),
        ...(warnings.length > 0 ? { storeWarnings: warnings } : {}),
      };
    },
  };
}

/** The folder suggested for a first save: ~/Documents when there is one, else the home folder. */
export function defaultNotebooksFolder(): string {
  const documents = join(homedir(), 'Documents');
  return existsSync(documents) ? documents : homedir();
}

/**
 * A notebook's name, read from the head of its file (files keep their keys in a fixed order:
 * formatVersion, then name), so a long notebook is not read whole for the recent list.
 */
export async function notebookTitle(path: string): Promise<string | null> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const head = buffer.subarray(0, bytesRead).toString('utf8');
    const match = /"name"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(head);
    const name = match ? (JSON.parse(match[1]!) as string).trim() : '';
    return name || null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
