import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { TrialResult } from '../../engine/experiment/trial';
import type { ExperimentSummary, HostEvent } from '../../shared/hostApi';
import { INLINE_TRIALS } from '../../shared/estimate';
import { exceedsInlineBytes, summarizeTrials, SummaryBuilder } from '../../shared/notebook/summary';
import { isCancelled } from '../../node/enginePool';
import { defaultStorePath } from '../../node/resultsStore';
import type { ResultsStore } from '../../node/resultsStore';
import { TrialKeys } from '../../node/trialKeys';
import { FAILED, OK } from './sweepState';
import type { Sweep } from './sweepState';
import { messageOf } from '../../shared/messageOf';

// The sweeps' results stores (src/node/resultsStore.ts): which store a sweep uses and what it
// already holds, streaming finished trials into it, replaying stored trials and the summary a
// sweep ends with. The SweepService (sweepService.ts) calls these at each step of a sweep.

/** The store beside a notebook, as the CLI's default (one rule, in the node layer). */
export { defaultStorePath };

/** Which of a sweep's trials its store holds already (indices in run order) and which it lacks. */
export interface StorePlan {
  held: Uint32Array;
  missing: Uint32Array;
}

/** The open results stores: one per file, kept open (DuckDB locks it), shared by sweeps. */
export class SweepStores {
  private readonly openStores = new Map<string, Promise<ResultsStore>>();

  /** `untitled`: the store of a sweep without a saved notebook. */
  constructor(private readonly untitled: string) {}

  /**
   * Open the sweep's store (sets sweep.store) and find the trials it already holds (by key, a
   * chunk at a time so the host answers meanwhile). `error` when the store cannot be used.
   */
  async open(sweep: Sweep): Promise<StorePlan | { error: string }> {
    const notebook = sweep.options.notebookPath;
    const path = notebook ? defaultStorePath(notebook) : this.untitled;
    try {
      const store = await this.openFile(path);
      const keys = new TrialKeys();
      sweep.store = {
        store,
        label: notebook && dirname(path) === dirname(resolve(notebook)) ? basename(path) : path,
        keys,
        experiment: sweep.options.experiment ?? sweep.design.name,
        detail: sweep.trials.length <= INLINE_TRIALS ? 'whole' : 'figures',
        writing: Promise.resolve(),
        failed: false,
      };
      // Failed trials run again (a failure may have been the machine's), as the CLI's do.
      await store.dropFailed();
      // The store is asked per chunk of this sweep's keys (ResultsStore.okAmong), not loaded
      // whole: a Set of a million stored keys took 66 MB (docs/benchmarks.md).
      const trials = sweep.trials;
      const anyHeld = (await store.okCount()) > 0;
      const held = new Uint32Array(anyHeld ? trials.length : 0);
      const missing = new Uint32Array(trials.length);
      let heldCount = 0;
      let missingCount = 0;
      let next = 0;
      if (anyHeld) {
        for await (const found of store.okAmong(trials.length, (n) => keys.key(trials.at(n)))) {
          for (const at of found) {
            while (next < at) missing[missingCount++] = next++;
            held[heldCount++] = at;
            next = at + 1;
          }
          if (sweep.controller.signal.aborted) break;
        }
      }
      if (!sweep.controller.signal.aborted) while (next < trials.length) missing[missingCount++] = next++;
      return { held: held.subarray(0, heldCount), missing: missing.subarray(0, missingCount) };
    } catch (error) {
      return { error: `the results store ${path} cannot be used: ${messageOf(error)}` };
    }
  }

  /** Close the results stores (after every sweep has ended). */
  async closeAll(): Promise<void> {
    const stores = [...this.openStores.values()];
    this.openStores.clear();
    for (const store of await Promise.allSettled(stores)) {
      if (store.status === 'fulfilled') await store.value.close();
    }
  }

  /**
   * Read a store without keeping it: through the store a sweep holds open, when one does (DuckDB
   * locks the file), else opened read-only for `use` and closed. A missing file is not created.
   */
  async inspect<T>(path: string, use: (store: ResultsStore) => Promise<T>): Promise<T> {
    const held = this.openStores.get(path);
    if (held) return use(await held);
    if (!existsSync(path)) throw new Error(`${path} does not exist`);
    const { withReadOnlyStore } = await import('../../node/resultsStore');
    return withReadOnlyStore(path, use);
  }

  /** One open store per file, kept open (DuckDB locks it): sweeps of one notebook share it. */
  openFile(path: string): Promise<ResultsStore> {
    let found = this.openStores.get(path);
    if (!found) {
      found = (async () => {
        await mkdir(dirname(path), { recursive: true });
        const { ResultsStore } = await import('../../node/resultsStore');
        return ResultsStore.open(path);
      })();
      this.openStores.set(path, found);
      found.catch(() => this.openStores.delete(path));
    }
    return found;
  }
}

/**
 * A warning when the store lacks trials the experiment's summary counts: the summary names a
 * store that is missing or is another one, or the store holds fewer of its trials.
 */
export function storeWarning(sweep: Sweep, held: number): { storeWarning?: string } {
  const summarized = sweep.options.summarized;
  const target = sweep.store;
  if (!summarized || !target || held >= summarized.trials) return {};
  const notebook = sweep.options.notebookPath;
  const named = isAbsolute(summarized.store)
    ? summarized.store
    : notebook
      ? resolve(dirname(notebook), summarized.store)
      : summarized.store;
  const why =
    named !== target.store.path
      ? `this experiment's summary names the results store ${summarized.store}, ` +
        (existsSync(named) ? `but this sweep's store is ${target.label}` : 'which is missing')
      : `the results store ${target.label} holds ${held.toLocaleString('en-US')} of the ${summarized.trials.toLocaleString('en-US')} trials this experiment's summary counts`;
  return {
    storeWarning:
      `${why}: ${(summarized.trials - Math.min(held, summarized.trials)).toLocaleString('en-US')} of its trials run again. ` +
      'To use that store, cancel and put it back beside the notebook; otherwise the summary this sweep ends with counts only what this store holds',
  };
}

/** Store a finished trial (not a cancelled one: it runs again next time). */
export function storeResult(sweep: Sweep, index: number, result: TrialResult, replace = false): void {
  const target = sweep.store;
  if (!target || target.failed || isCancelled(result)) return;
  const key = target.keys.key(sweep.trials.at(index));
  target.writing = target.writing
    .then(async () => {
      // A retried trial replaces what its first run stored.
      if (replace) await target.store.query('DELETE FROM trials WHERE key = $key', { key });
      await target.store.append(key, target.experiment, index, result, target.detail);
    })
    .catch((error: unknown) => {
      target.failed = true;
      console.error(`results store ${target.label}: ${messageOf(error)}`);
    });
}

/**
 * Trials the store held before the sweep: a listed sweep's come out as 'trial-finished' with
 * their stored results (kept whole for such sweeps); a larger one's are only marked done.
 */
export async function replayStored(
  sweep: Sweep,
  held: Uint32Array,
  emit: (event: HostEvent) => void,
): Promise<void> {
  const target = sweep.store!;
  for (const index of held) sweep.states[index] = OK;
  if (!sweep.listed) return;
  for await (const chunk of target.store.trialsByKeys(held.length, (n) =>
    target.keys.key(sweep.trials.at(held[n]!)),
  )) {
    for (const row of chunk) {
      const index = held[row.index]!;
      // A trial another experiment stored has that experiment's id: this sweep's is its own.
      const result = { ...row.result, id: sweep.trials.at(index).id };
      sweep.results?.set(index, result);
      emit({ type: 'trial-finished', sweepId: sweep.id, result });
    }
  }
}

/**
 * A large sweep's summary, from every trial of its design the store holds; a listed sweep's
 * when its trials take more than `inlineBytes` as JSON (from the results it keeps, all of which
 * its store holds whole). Undefined for a sweep whose trials stay inline, or without a store.
 */
export async function sweepSummary(
  sweep: Sweep,
  inlineBytes: number,
): Promise<ExperimentSummary | undefined> {
  const target = sweep.store;
  if (!target || target.failed) return undefined;
  if (sweep.results) {
    const inOrder = [...sweep.results.entries()].sort((a, b) => a[0] - b[0]).map(([, result]) => result);
    return exceedsInlineBytes(inOrder, inlineBytes)
      ? summarizeTrials(sweep.design, inOrder, target.label)
      : undefined;
  }
  await target.writing;
  const builder = new SummaryBuilder(sweep.design, target.label);
  // The trials that ended (run now or stored before): a cancelled sweep reads only those.
  let ended = 0;
  for (const state of sweep.states) if (state === OK || state === FAILED) ended += 1;
  const indices = new Uint32Array(ended);
  for (let at = 0, n = 0; at < sweep.states.length; at += 1) {
    const state = sweep.states[at];
    if (state === OK || state === FAILED) indices[n++] = at;
  }
  for await (const chunk of target.store.trialsByKeys(indices.length, (n) =>
    target.keys.key(sweep.trials.at(indices[n]!)),
  )) {
    for (const row of chunk) builder.add(row.result);
  }
  return builder.finish();
}
