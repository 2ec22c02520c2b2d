import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultStorePath, openStore, planCampaign, reportOutputs, writeCampaignOutputs } from '../campaign';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { probeOutputFolder } from '../writeOutput';
import { saveResults } from './run';

export function registerMerge(program: Command, context: CommandContext): void {
  program
    .command('merge')
    .description(
      "Fold shard stores into the notebook's results store and write trials.csv (and the rest) from it; " +
        "with --save, the notebook then keeps the results as the app does (a large experiment's summary)",
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .argument('<stores...>', 'shard stores to merge (DuckDB files)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--store <path>', 'the store to merge into; default <notebook>.results.duckdb beside it')
    .option(
      '--save',
      "write the results back into the notebook as the app keeps them (a large experiment's summary; the previous file kept as .bak)",
    )
    .action(async (notebook: string, stores: string[], options: MergeOptions) => {
      context.exitCode = await mergeCommand(notebook, stores, options, context.io);
    });
}

interface MergeOptions {
  out: string;
  store?: string;
  save?: boolean;
}

/** `accent-lab merge NB STORE... --out DIR`: fold shard stores into the notebook's store. */
export async function mergeCommand(
  notebook: string,
  stores: readonly string[],
  options: MergeOptions,
  io: CliIo,
): Promise<number> {
  const doc = await loadNotebook(notebook);
  for (const path of stores) {
    if (!existsSync(path)) {
      io.stderr.write(`merge: no such store: ${path}\n`);
      return EXIT.usage;
    }
  }
  await probeOutputFolder(options.out);
  const store = await openStore(resolve(options.store ?? defaultStorePath(notebook)));
  try {
    const start = performance.now();
    const added = await store.merge(stores.map((path) => resolve(path)));
    io.stderr.write(
      `merge: ${stores.length} store${stores.length === 1 ? '' : 's'} into ${store.path}: ${added} new trials ` +
        `(${((performance.now() - start) / 1000).toFixed(2)} s)\n`,
    );
    const plan = planCampaign(doc, dirname(resolve(notebook)), new Set());
    const outputs = await writeCampaignOutputs(plan, store, options.out);
    reportOutputs(io, 'merge', outputs);
    if (options.save) await saveResults(notebook, doc, plan, store, io, 'merge');
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
