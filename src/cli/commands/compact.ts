import { resolve } from 'node:path';
import type { Command } from 'commander';
import { compactInlineExperiments, overInlineLimit } from '../../node/inlineCompaction';
import type { ResultsStore } from '../../node/resultsStore';
import type { ExperimentEntry } from '../../shared/hostApi';
import { defaultStorePath, openStore } from '../campaign';
import { saveNotebookInPlace } from '../campaignNotebook';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';

export function registerCompact(program: Command, context: CommandContext): void {
  program
    .command('compact')
    .description(
      "Move a notebook's inline experiments over the inline limit (an old notebook's tens of MB of " +
        'trials) into its results store, keeping their summary in the notebook as a large run ' +
        'does; the store is written and checked first, the previous notebook kept as .bak',
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .option('--store <path>', 'results store; default <notebook>.results.duckdb beside it')
    .action(async (notebook: string, options: CompactOptions) => {
      context.exitCode = await compactCommand(notebook, options, context.io);
    });
}

export interface CompactOptions {
  store?: string;
  /** The byte limit of inline trials (tests lower it; default INLINE_BYTES). */
  inlineBytes?: number;
}

/** `accent-lab compact NB [--store PATH]`. */
export async function compactCommand(notebook: string, options: CompactOptions, io: CliIo): Promise<number> {
  const doc = await loadNotebook(notebook);
  const over = doc.entries.filter(
    (entry): entry is ExperimentEntry =>
      entry.kind === 'experiment' && overInlineLimit(entry, options.inlineBytes),
  );
  if (over.length === 0) {
    io.stderr.write(`compact: no inline experiment of ${notebook} is over the inline limit; nothing to do\n`);
    return EXIT.ok;
  }
  const path = resolve(options.store ?? defaultStorePath(notebook));
  let store: ResultsStore | undefined;
  try {
    const compaction = await compactInlineExperiments(doc, {
      notebookFile: notebook,
      store: path,
      open: async (at) => (store ??= await openStore(at)),
      ...(options.inlineBytes !== undefined ? { inlineBytes: options.inlineBytes } : {}),
    });
    // On disk before the notebook names it.
    await store?.close();
    store = undefined;
    for (const warning of compaction.warnings) io.stderr.write(`compact: warning: ${warning}\n`);
    if (compaction.compacted.length === 0) return EXIT.failed;
    await saveNotebookInPlace(notebook, compaction.notebook);
    for (const moved of compaction.compacted)
      io.stderr.write(
        `compact: ${moved.experimentId}: ${moved.trials.toLocaleString('en-US')} trials moved into ${path} ` +
          `(${moved.added.toLocaleString('en-US')} new to it); the notebook keeps their summary\n`,
      );
    io.stderr.write(`compact: saved ${notebook} (the previous version: ${notebook}.bak)\n`);
    return compaction.warnings.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await store?.close();
  }
}
