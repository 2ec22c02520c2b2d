import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { DesignTrials } from '../../engine/experiment/design';
import type { ExperimentEntry, NotebookDocument, StoreCarried } from '../../shared/hostApi';
import { NOTEBOOK_EXTENSION } from '../../shared/notebook/format';
import type { ResultsStore } from '../../node/resultsStore';
import { copyTrials } from '../../node/storeCopy';
import { TrialKeys } from '../../node/trialKeys';
import { defaultStorePath } from './sweepStores';
import { messageOf } from '../../shared/messageOf';

// Save As carries the results store with the notebook (issue 17): an untitled notebook's sweeps
// store their trials in the app's shared untitled store, a saved one's beside it; a notebook saved
// under a new name or in a new folder gets its experiments' trials copied into the store beside
// the new file (`<notebook>.results.duckdb`, where its sweeps and Resume look, and which a user
// mails with it), and its summaries name that store. The old store is only read: if a copy fails
// midway, the summary keeps naming the old store (made absolute) and the save says so.

/** The file a save writes: the path, with the notebook extension added when missing. */
export function savedPath(path: string): string {
  return extname(path) === NOTEBOOK_EXTENSION ? path : `${path}${NOTEBOOK_EXTENSION}`;
}

export interface CarryOptions {
  /** The file the notebook came from; undefined for an untitled one. */
  from: string | undefined;
  /** The file it is saved to. */
  to: string;
  /** The app's store for untitled notebooks. */
  untitled: string;
  /** Opens a store (the host's shared one per file: sweeps may hold it open). */
  open: (path: string) => Promise<ResultsStore>;
}

/** The notebook to save (summaries naming the store beside `to`), what moved and what did not. */
export interface Carried {
  notebook: NotebookDocument;
  carried: StoreCarried[];
  warnings: string[];
}

/** Where an experiment's trials are before the save: its summary's store, else its sweeps' store. */
function sourceOf(entry: ExperimentEntry, options: CarryOptions): string {
  if (entry.summary) {
    const named = entry.summary.store;
    if (isAbsolute(named)) return named;
    return resolve(dirname(resolve(options.from ?? options.to)), named);
  }
  return options.from ? defaultStorePath(options.from) : options.untitled;
}

/** The trial keys of an experiment's design, at the engine version that ran it. */
function* keysOf(entry: ExperimentEntry): Generator<string> {
  const trials = new DesignTrials(entry.design);
  const keys = new TrialKeys(entry.engineVersion);
  for (let at = 0; at < trials.length; at += 1) yield keys.key(trials.at(at));
}

/**
 * Copy each experiment's trials from where they are into the store beside `to` (when that is
 * another store), and point summaries at it. Experiments whose trials are inline are copied too
 * (a partial one's Resume then finds them), but only a summarized one's notebook entry changes.
 */
export async function carryStores(notebook: NotebookDocument, options: CarryOptions): Promise<Carried> {
  const target = defaultStorePath(options.to);
  const label = basename(target);
  const carried: StoreCarried[] = [];
  const warnings: string[] = [];
  const entries = [...notebook.entries];
  for (const [at, entry] of entries.entries()) {
    if (entry.kind !== 'experiment') continue;
    const source = sourceOf(entry, options);
    const name = entry.design.name.trim() || entry.id;
    if (resolve(source) === target) {
      // The store already beside the file (a save in place): only its name, relative.
      if (entry.summary && entry.summary.store !== label) {
        entries[at] = { ...entry, summary: { ...entry.summary, store: label } };
        carried.push({ experimentId: entry.id, store: label, trials: 0 });
      }
      continue;
    }
    if (!existsSync(source)) {
      if (entry.summary)
        warnings.push(
          `"${name}": its results store ${source} is missing, so its trials could not go with the notebook; ` +
            'its summary still names it',
        );
      continue;
    }
    try {
      const { found } = await copyTrials(
        await options.open(source),
        target,
        () => options.open(target),
        keysOf(entry),
      );
      if (entry.summary) {
        entries[at] = { ...entry, summary: { ...entry.summary, store: label } };
        carried.push({ experimentId: entry.id, store: label, trials: found });
      } else if (found > 0) {
        carried.push({ experimentId: entry.id, store: label, trials: found });
      }
    } catch (error) {
      const why = `copying its trials from ${source} into ${label} beside the notebook failed (${messageOf(error)})`;
      if (!entry.summary) {
        // Its trials are in the notebook: nothing is lost, only a later Resume runs them again.
        console.error(`save: "${name}": ${why}`);
        continue;
      }
      entries[at] = { ...entry, summary: { ...entry.summary, store: resolve(source) } };
      carried.push({ experimentId: entry.id, store: resolve(source), trials: 0 });
      warnings.push(`"${name}": ${why}; its trials stay there and its summary names that store`);
    }
  }
  return { notebook: { ...notebook, entries }, carried, warnings };
}
