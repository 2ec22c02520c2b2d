import { existsSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { DesignTrials } from '../../engine/experiment/design';
import type { ExperimentEntry, StoreNotice } from '../../shared/hostApi';
import { NOTEBOOK_EXTENSION } from '../../shared/notebook/format';
import { deserializeNotebook, readNotebookFile } from '../../node/notebookFile';
import type { ResultsStore } from '../../node/resultsStore';
import { TrialKeys } from '../../node/trialKeys';
import { defaultStorePath } from './sweepStores';
import { messageOf } from '../../shared/messageOf';

// The results-store check at notebook open (issue 17): a summarized experiment keeps only its
// summary in the notebook and its trials in a store; when that store is missing, moved or holds
// other results, the user is told when the notebook opens, with what still works and how to put
// the store back. Nothing is created, changed or removed: the check only reads.

/** Trials of an experiment looked up by key in its store (spread over its design). */
export const STORE_CHECK_SAMPLE = 64;

/** How a check reads a store: through the host's open store of that file, or opened read-only. */
export type InspectStore = <T>(path: string, use: (store: ResultsStore) => Promise<T>) => Promise<T>;

/** The file a summary's store names: relative to the notebook's folder, or absolute. */
export function namedStorePath(notebookPath: string, store: string): string {
  return isAbsolute(store) ? store : resolve(dirname(resolve(notebookPath)), store);
}

/** Up to `count` trial indices spread evenly over `length` trials, the first included. */
export function sampleIndices(length: number, count: number = STORE_CHECK_SAMPLE): number[] {
  if (length <= count) return Array.from({ length }, (_, at) => at);
  return Array.from({ length: count }, (_, at) => Math.floor((at * length) / count));
}

/**
 * The notices for one notebook file: one per summarized experiment whose store is missing, is not
 * the one a sweep of this notebook uses, holds other results (none of its trials, looked up by key
 * at the engine version that ran them) or cannot be read now. Empty when every store is in place.
 */
export async function checkNotebookStores(path: string, inspect: InspectStore): Promise<StoreNotice[]> {
  if (!isAbsolute(path)) throw new Error(`the notebook path must be absolute, got "${path}"`);
  if (extname(path) !== NOTEBOOK_EXTENSION)
    throw new Error(`${basename(path)} is not a notebook file: notebook files end in ${NOTEBOOK_EXTENSION}`);
  const notebook = deserializeNotebook(await readNotebookFile(path), basename(path));
  const notices: StoreNotice[] = [];
  for (const entry of notebook.entries) {
    if (entry.kind !== 'experiment' || !entry.summary) continue;
    const notice = await checkExperiment(path, entry, inspect);
    if (notice) notices.push(notice);
  }
  return notices;
}

/** The trials of an experiment's design (what its summary counts toward); its summary's when it cannot expand. */
function trialCountOf(entry: ExperimentEntry): number {
  try {
    return entry.trialCount ?? new DesignTrials(entry.design).length;
  } catch {
    return entry.summary?.trials ?? 0;
  }
}

async function checkExperiment(
  notebookPath: string,
  entry: ExperimentEntry,
  inspect: InspectStore,
): Promise<StoreNotice | null> {
  const summary = entry.summary!;
  const named = namedStorePath(notebookPath, summary.store);
  const expected = defaultStorePath(notebookPath);
  const name = entry.design.name.trim() || entry.id;
  const trials = summary.trials.toLocaleString('en-US');
  const beside = basename(expected);
  const notice = (problem: StoreNotice['problem'], why: string, fix: string): StoreNotice => ({
    experimentId: entry.id,
    experimentName: name,
    store: summary.store,
    path: named,
    expected,
    problem,
    message: `"${name}": ${why}.`,
    fix,
  });
  const putBack =
    `To use the store, put it beside the notebook as ${beside} (the file the campaign wrote; ` +
    `a notebook and its store travel together), or give it to \`accent-lab run\` or \`export\` with --store PATH.`;
  if (!existsSync(named)) {
    return notice(
      'missing',
      `its ${trials} trials are in the results store ${summary.store}, which is missing (looked for ${named})`,
      putBack,
    );
  }
  if (named !== expected) {
    return notice(
      'elsewhere',
      `its ${trials} trials are in the results store ${named}, but a sweep of this notebook uses ${beside} beside it`,
      `Resume would run its trials again into ${beside}: copy or move ${named} to ${expected} first ` +
        `(or give it to \`accent-lab run\` with --store ${named}).`,
    );
  }
  let held: number;
  let checked: number;
  try {
    const design = new DesignTrials(entry.design);
    const keys = new TrialKeys(entry.engineVersion);
    const wanted = sampleIndices(design.length).map((at) => keys.key(design.at(at)));
    checked = wanted.length;
    if (checked === 0) return null;
    held = await inspect(named, async (store) => {
      const list = wanted.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');
      const rows = await store.query(`SELECT count(*) FROM trials WHERE key IN (${list})`);
      return Number(rows[0]?.[0] ?? 0);
    });
  } catch (error) {
    return notice(
      'unreadable',
      `its results store ${summary.store} cannot be read now: ${messageOf(error)}`,
      'If another program (a running `accent-lab run`) holds it, open the notebook again when it has ended.',
    );
  }
  const total = trialCountOf(entry);
  const complete = summary.trials >= total;
  // A partial experiment's store holds only the trials that ran: expect about that share.
  const expectedHeld = complete ? checked : Math.floor((checked * summary.trials) / Math.max(total, 1));
  if (held === 0 && expectedHeld >= 3) {
    return notice(
      'other',
      `the results store ${summary.store} holds other results: none of ${checked} of its trials looked up by ` +
        `key (a hash of design point, replication and engine version ${entry.engineVersion}) is in it`,
      `Its own store may have been replaced: ${putBack}`,
    );
  }
  if (complete && held < checked) {
    return notice(
      'partial',
      `the results store ${summary.store} lacks some of its trials: ${held} of ${checked} looked up by key are in it`,
      'Resume would run the missing ones again. If you have the complete store, put it in its place.',
    );
  }
  return null;
}
