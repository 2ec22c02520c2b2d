import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { DesignTrials } from '../engine/experiment/design';
import type { TrialResult, TrialSpec } from '../engine/experiment/trial';
import { INLINE_BYTES, INLINE_TRIALS } from '../shared/estimate';
import type { ExperimentEntry, NotebookDocument } from '../shared/notebook/document';
import { exceedsInlineBytes, SummaryBuilder } from '../shared/notebook/summary';
import { TRIAL_CANCELLED } from '../shared/hostApi';
import { defaultStorePath } from './resultsStore';
import type { ResultsStore, TrialRow } from './resultsStore';
import { TrialKeys } from './trialKeys';
import { messageOf } from '../shared/messageOf';

// Old notebooks (from before the results store, or written by the CLI) can hold an experiment
// whose inline trials are over the inline limit (more than INLINE_TRIALS trials, or more than
// INLINE_BYTES of them as JSON): tens of MB in the notebook. On save, such an experiment is moved
// into the notebook's results store and replaced by its summary, exactly as a fresh run of it
// would be kept (issue 17): its trials are written under the keys a run gives them (at the engine
// version that ran them), read back by key, and the summary is built from what was read back, so
// the notebook names only trials the store holds. Nothing is lost: the store is written and
// checked first; the caller writes the notebook after. An experiment that cannot be moved stays
// inline, with a warning saying why.

export interface CompactionOptions {
  /** The notebook file the notebook is (to be) saved as: the store is beside it unless `store`. */
  notebookFile: string;
  /** The results store to move the trials into (default `<notebook>.results.duckdb` beside it). */
  store?: string;
  /** Opens a store for writing (the app's shared one per file; the CLI's own). */
  open: (path: string) => Promise<ResultsStore>;
  /** The byte limit of an experiment's inline trials (default INLINE_BYTES; tests lower it). */
  inlineBytes?: number;
}

/** An experiment moved into the store: its new entry (summary, no inline trials). */
export interface CompactedExperiment {
  experimentId: string;
  /** Trials its summary counts (every stored one: the cancelled ones are not results). */
  trials: number;
  /** Of those, the ones the store did not hold before. */
  added: number;
  entry: ExperimentEntry;
}

export interface Compaction {
  notebook: NotebookDocument;
  compacted: CompactedExperiment[];
  /** Experiments over the limit that stay inline, and why. */
  warnings: string[];
}

/** Whether an inline experiment is over the inline limit (a summarized one never is). */
export function overInlineLimit(entry: ExperimentEntry, inlineBytes: number = INLINE_BYTES): boolean {
  if (entry.summary || entry.results.length === 0) return false;
  return entry.results.length > INLINE_TRIALS || exceedsInlineBytes(entry.results, inlineBytes);
}

/** How a summary names its store: relative to the notebook's folder when inside it, else absolute. */
export function storeLabelFor(notebookFile: string, storePath: string): string {
  const path = relative(dirname(resolve(notebookFile)), resolve(storePath));
  return path === '' || path.startsWith('..') || isAbsolute(path) ? resolve(storePath) : path;
}

/**
 * Move each over-limit inline experiment of the notebook into its results store (see above).
 * Returns the notebook to write (moved experiments summarized, the rest as they were).
 */
export async function compactInlineExperiments(
  notebook: NotebookDocument,
  options: CompactionOptions,
): Promise<Compaction> {
  const inlineBytes = options.inlineBytes ?? INLINE_BYTES;
  const storePath = resolve(options.store ?? defaultStorePath(options.notebookFile));
  const label = storeLabelFor(options.notebookFile, storePath);
  const compacted: CompactedExperiment[] = [];
  const warnings: string[] = [];
  const entries = [...notebook.entries];
  for (const [at, entry] of entries.entries()) {
    if (entry.kind !== 'experiment' || !overInlineLimit(entry, inlineBytes)) continue;
    try {
      const moved = await moveIntoStore(entry, options, storePath, label);
      entries[at] = moved.entry;
      compacted.push(moved);
    } catch (error) {
      const name = entry.design.name.trim() || entry.id;
      warnings.push(
        `"${name}": its ${entry.results.length.toLocaleString('en-US')} trials stay in the notebook ` +
          `(they could not be moved into the results store ${basename(storePath)}: ${messageOf(error)})`,
      );
    }
  }
  return { notebook: { ...notebook, entries }, compacted, warnings };
}

/** An experiment's inline trials in trial order, each with its spec (design index order). */
function trialsInOrder(
  entry: ExperimentEntry,
  trials: DesignTrials,
): { index: number; spec: TrialSpec; result: TrialResult }[] {
  const wanted = new Map<string, TrialResult>();
  for (const result of entry.results) {
    if (!result.ok && result.error === TRIAL_CANCELLED) continue;
    if (wanted.has(result.id)) throw new Error(`the trial ${result.id} is in the notebook twice`);
    wanted.set(result.id, result);
  }
  const found: { index: number; spec: TrialSpec; result: TrialResult }[] = [];
  for (let index = 0; index < trials.length && found.length < wanted.size; index += 1) {
    const spec = trials.at(index);
    const result = wanted.get(spec.id);
    if (!result) continue;
    // Its design point as the result records it: a design edited after its run names other trials.
    if (
      result.workload !== spec.workload.name ||
      result.strategy !== spec.strategy ||
      result.prefetch !== spec.prefetch ||
      result.hardware !== spec.hardware.name ||
      result.seed !== spec.seed ||
      result.replication !== (spec.replication ?? 0) ||
      result.parameterValue !== spec.parameterValue
    )
      throw new Error(
        `the trial ${spec.id} does not match its design (the design was edited after the run?)`,
      );
    found.push({ index, spec, result });
  }
  if (found.length < wanted.size) {
    const ids = new Set(found.map((trial) => trial.result.id));
    const stray = [...wanted.keys()].find((id) => !ids.has(id));
    throw new Error(
      `${(wanted.size - found.length).toLocaleString('en-US')} of its trials (e.g. ${stray}) are not trials of its design`,
    );
  }
  return found;
}

async function moveIntoStore(
  entry: ExperimentEntry,
  options: CompactionOptions,
  storePath: string,
  label: string,
): Promise<CompactedExperiment> {
  const trials = new DesignTrials(entry.design);
  const inOrder = trialsInOrder(entry, trials);
  // The keys a run of it gives, at the engine version that ran it (a later engine's run misses them).
  const keys = new TrialKeys(entry.engineVersion);
  const keyOf = inOrder.map((trial) => keys.key(trial.spec));
  const detail = trials.length <= INLINE_TRIALS ? 'whole' : 'figures';
  const experiment = entry.design.name.trim() || entry.id;
  const store = await options.open(storePath);
  const rows = function* (): Generator<TrialRow> {
    for (const [n, trial] of inOrder.entries())
      yield {
        key: keyOf[n]!,
        experiment,
        index: trial.index,
        result: trial.result,
        detail,
        engineVersion: entry.engineVersion,
      };
  };
  const added = await store.insertTrials(rows());
  // Read back by key: the summary counts what the store holds, as a run's summary does.
  const builder = new SummaryBuilder(entry.design, label);
  let held = 0;
  for await (const chunk of store.trialsByKeys(keyOf.length, (n) => keyOf[n]!)) {
    for (const row of chunk) {
      held += 1;
      // A trial another experiment stored first carries that one's id: this one's is its own.
      builder.add({ ...row.result, id: inOrder[row.index]!.spec.id });
    }
  }
  if (held !== inOrder.length) {
    throw new Error(
      `the store holds ${held.toLocaleString('en-US')} of the ${inOrder.length.toLocaleString('en-US')} trials written`,
    );
  }
  const summary = builder.finish();
  return {
    experimentId: entry.id,
    trials: summary.trials,
    added,
    entry: { ...entry, results: [], summary },
  };
}
