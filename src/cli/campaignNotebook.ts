import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { isCancelled } from '../node/enginePool';
import {
  backupPath,
  MAX_NOTEBOOK_FILE_BYTES,
  saveFailureReason,
  serializeNotebook,
  writeAtomically,
} from '../node/notebookFile';
import type { ResultsStore } from '../node/resultsStore';
import { INLINE_BYTES } from '../shared/estimate';
import type { ExperimentEntry, NotebookDocument } from '../shared/hostApi';
import { SummaryBuilder } from '../shared/notebook/summary';
import type { CampaignPlan } from './campaign';

/**
 * What `run` and `merge` write back into the notebook, as the app keeps an experiment it ran: a
 * small experiment's trials inline (results), a large one's summary (per design point n, means and
 * intervals, the first replication's downsampled series for the figures), built from the store a
 * chunk at a time, so a million-trial campaign is summarized without holding its trials. An
 * experiment of at most INLINE_TRIALS trials whose trials take more than INLINE_BYTES is
 * summarized too (the store keeps its trials whole).
 *
 * Nothing is lost: an experiment the store holds fewer trials of than the notebook already
 * records (inline or summarized) is left as it is, with a warning naming both counts (the store
 * is not the one the notebook's results came from, or it is missing).
 */

/** How a summary names its store: relative to the notebook's folder when inside it, else absolute. */
export function storeLabel(notebookFile: string, storePath: string): string {
  const path = relative(dirname(resolve(notebookFile)), resolve(storePath));
  return path.startsWith('..') || isAbsolute(path) ? resolve(storePath) : path;
}

/** Trials a notebook records for an experiment: its summary's, or its inline trials that ended. */
export function recordedTrials(entry: ExperimentEntry): number {
  if (entry.summary) return entry.summary.trials;
  return entry.results.filter((result) => !isCancelled(result)).length;
}

export interface NotebookFromStore {
  doc: NotebookDocument;
  /** Experiments whose entries changed. */
  updated: string[];
  /** Warnings: an experiment kept as it was, and why. */
  warnings: string[];
}

/** The notebook with each experiment's results (inline or summarized) from the store. */
export async function notebookFromStore(
  doc: NotebookDocument,
  plan: CampaignPlan,
  store: ResultsStore,
  label: string,
  inlineBytes: number = INLINE_BYTES,
): Promise<NotebookFromStore> {
  const replaced = new Map<string, ExperimentEntry>();
  const updated: string[] = [];
  const warnings: string[] = [];
  for (const experiment of plan.experiments) {
    const entry = experiment.entry;
    const trials = experiment.trials;
    let inline: TrialResult[] | null = experiment.detail === 'whole' ? [] : null;
    let builder: SummaryBuilder | null = inline ? null : new SummaryBuilder(entry.design, label);
    let bytes = 0;
    let count = 0;
    for await (const chunk of store.trialsByKeys(trials.length, (n) => plan.key(experiment, trials.at(n)))) {
      for (const row of chunk) {
        // A trial shared with another experiment was stored under that one's id.
        const result: TrialResult = { ...row.result, id: trials.at(row.index).id };
        delete (result as { index?: number }).index;
        count += 1;
        if (!inline) {
          builder!.add(result);
          continue;
        }
        inline.push(result);
        bytes += JSON.stringify(result).length;
        if (bytes > inlineBytes) {
          builder = new SummaryBuilder(entry.design, label);
          for (const kept of inline) builder.add(kept);
          inline = null;
        }
      }
    }
    const before = recordedTrials(entry);
    if (count < before) {
      warnings.push(
        `${entry.id}: the store ${label} holds ${count.toLocaleString('en-US')} of its trials, the notebook ` +
          `${before.toLocaleString('en-US')}${entry.summary ? ` (its summary names the store ${entry.summary.store})` : ''}: ` +
          "the notebook's results are kept as they are",
      );
      continue;
    }
    if (count === 0) continue;
    const next: ExperimentEntry = {
      kind: 'experiment',
      id: entry.id,
      design: entry.design,
      results: inline ?? [],
      engineVersion: ENGINE_VERSION,
      ...(builder ? { summary: builder.finish() } : {}),
    };
    replaced.set(entry.id, next);
    updated.push(entry.id);
  }
  return {
    doc: {
      ...doc,
      entries: doc.entries.map((entry) =>
        entry.kind === 'experiment' ? (replaced.get(entry.id) ?? entry) : entry,
      ),
    },
    updated,
    warnings,
  };
}

/**
 * Write the notebook back where it was read, as the app saves: validated, the previous version
 * kept as `<file>.bak`, replaced whole or not at all. Returns false (nothing written) when the
 * text is what the file holds already; throws, saying why, when it cannot be written or would be
 * over the notebook cap.
 */
export async function saveNotebookInPlace(file: string, doc: NotebookDocument): Promise<boolean> {
  const text = serializeNotebook(doc);
  const before = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (before === text) return false;
  const size = Buffer.byteLength(text);
  if (size > MAX_NOTEBOOK_FILE_BYTES) {
    throw new Error(
      `cannot save ${file}: it would be ${(size / 1024 / 1024).toFixed(1)} MiB, over the ` +
        `${MAX_NOTEBOOK_FILE_BYTES / 1024 / 1024} MiB a notebook may be`,
    );
  }
  try {
    if (before !== null && ((await stat(file)).mode & 0o222) === 0)
      throw Object.assign(new Error('the file is read-only'), { code: 'EREADONLY' });
    if (before !== null) await writeAtomically(backupPath(file), before);
    await writeAtomically(file, text);
  } catch (error) {
    throw new Error(`cannot save ${file}: ${saveFailureReason(error)}; the notebook is unchanged`, {
      cause: error,
    });
  }
  return true;
}

/**
 * Warnings before a run: a summarized experiment whose summary names a store that is missing, or
 * that is not the store this run uses while the store holds none of its trials. Its trials would
 * run again (the notebook's summary stays until they have).
 */
export function storeWarnings(
  notebookFile: string,
  plan: CampaignPlan,
  storePath: string,
  heldByExperiment: readonly number[],
): string[] {
  const warnings: string[] = [];
  plan.experiments.forEach((experiment, at) => {
    const summary = experiment.entry.summary;
    if (!summary) return;
    const named = resolve(dirname(resolve(notebookFile)), summary.store);
    const held = heldByExperiment[at] ?? 0;
    const ok = summary.trials - summary.failed;
    if (held >= ok) return;
    const where = !existsSync(named)
      ? `its summary names the store ${summary.store}, which is missing`
      : named !== resolve(storePath)
        ? `its summary names the store ${summary.store}, not ${storePath}`
        : `the store ${summary.store} holds ${held.toLocaleString('en-US')} of the ${ok.toLocaleString('en-US')} trials its summary counts`;
    warnings.push(
      `${experiment.entry.id}: ${where}; the trials the store lacks run again ` +
        `(pass --store with the right store to use it); the notebook's summary stays until they have`,
    );
  });
  return warnings;
}
