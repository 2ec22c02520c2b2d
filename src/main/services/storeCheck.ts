import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, resolve } from 'node:path';
import { DesignTrials } from '../../engine/experiment/design';
import type { ExperimentDesign } from '../../engine/experiment/design';
import type { ExperimentEntry, LocatedStore, LocateStoreRequest, StoreNotice } from '../../shared/hostApi';
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

/**
 * How many of a sample of an experiment's trials (STORE_CHECK_SAMPLE, spread over its design) the
 * store at `path` holds, looked up by key at the engine version that ran them.
 */
async function heldSample(
  path: string,
  design: ExperimentDesign,
  engineVersion: string,
  inspect: InspectStore,
): Promise<{ held: number; checked: number }> {
  const trials = new DesignTrials(design);
  const keys = new TrialKeys(engineVersion);
  const wanted = sampleIndices(trials.length).map((at) => keys.key(trials.at(at)));
  if (wanted.length === 0) return { held: 0, checked: 0 };
  const held = await inspect(path, async (store) => {
    const list = wanted.map((key) => `'${key.replaceAll("'", "''")}'`).join(', ');
    const rows = await store.query(`SELECT count(*) FROM trials WHERE key IN (${list})`);
    return Number(rows[0]?.[0] ?? 0);
  });
  return { held, checked: wanted.length };
}

/**
 * A store the user located (typed or picked) for summarized experiments whose store is missing:
 * what it holds of each (a sample of its trials, by key), and the name their summaries would give
 * it (its file name when it is in the notebook's folder, else its absolute path). Throws, saying
 * why, when the file is not there, is not a results store or holds none of their trials. Reads only.
 */
export async function locateStore(
  request: LocateStoreRequest,
  path: string,
  inspect: InspectStore,
): Promise<LocatedStore> {
  if (!isAbsolute(path)) throw new Error(`the store's path must be absolute, got "${path}"`);
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  if (statSync(path).isDirectory()) throw new Error(`${path} is a folder: give the store's file (.duckdb)`);
  const found: LocatedStore['found'] = [];
  for (const experiment of request.experiments) {
    let sample: { held: number; checked: number };
    try {
      sample = await heldSample(path, experiment.design, experiment.engineVersion, inspect);
    } catch (error) {
      throw new Error(`${basename(path)} cannot be read as a results store: ${messageOf(error)}`, {
        cause: error,
      });
    }
    found.push({ experimentId: experiment.id, ...sample });
  }
  if (!found.some((item) => item.held > 0)) {
    const names = request.experiments.map((experiment) => `"${experiment.name}"`).join(', ');
    const checked = found.reduce((sum, item) => sum + item.checked, 0);
    throw new Error(
      `${basename(path)} holds none of the trials of ${names}: none of ${checked} looked up by key ` +
        '(a hash of design point, replication and engine version) is in it',
    );
  }
  const notebookFolder = request.notebookPath === null ? null : dirname(resolve(request.notebookPath));
  return { path, store: dirname(path) === notebookFolder ? basename(path) : path, found };
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
    ({ held, checked } = await heldSample(named, entry.design, entry.engineVersion, inspect));
    if (checked === 0) return null;
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
