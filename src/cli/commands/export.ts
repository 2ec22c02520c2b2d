import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultStorePath, openStore } from '../campaign';
import { EXIT } from '../context';
import type { CliIo, CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';

export function registerExport(program: Command, context: CommandContext): void {
  program
    .command('export')
    .description("Export a notebook's results store as Parquet (for pandas, R, polars)")
    .argument('<notebook>', 'notebook file (.accentlab)')
    .option('--store <path>', 'results store; default <notebook>.results.duckdb beside it')
    .requiredOption('--parquet <dir>', 'folder for trials.parquet, created if missing')
    .action(async (notebook: string, options: { store?: string; parquet: string }) => {
      context.exitCode = await exportCommand(notebook, options, context.io);
    });
}

/** `accent-lab export NB [--store PATH] --parquet DIR`. */
export async function exportCommand(
  notebook: string,
  options: { store?: string; parquet: string },
  io: CliIo,
): Promise<number> {
  await loadNotebook(notebook);
  const path = resolve(options.store ?? defaultStorePath(notebook));
  if (!existsSync(path)) {
    io.stderr.write(`export: no results store at ${path}; run the notebook first (accent-lab run)\n`);
    return EXIT.failed;
  }
  const store = await openStore(path, true);
  try {
    await mkdir(resolve(options.parquet), { recursive: true });
    const files = await store.exportParquet(resolve(options.parquet));
    io.stderr.write(`export: wrote ${files.join(', ')}\n`);
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
