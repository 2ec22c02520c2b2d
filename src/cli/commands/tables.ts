import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { notebookTables } from '../../shared/tables/notebook';
import { formatTable, TABLE_EXTENSIONS, TABLE_FORMATS, type TableFormat } from '../../shared/tables/table';
import type { CommandContext } from '../context';
import { loadNotebook } from '../notebookFiles';
import { UsageError } from '../options';
import { loadPaperValues } from '../packageRoot';
import { writeOutputFile } from '../writeOutput';

function parseFormat(value: string): TableFormat {
  if (!(TABLE_FORMATS as readonly string[]).includes(value)) {
    throw new UsageError(`--format must be one of ${TABLE_FORMATS.join(', ')} (got "${value}")`);
  }
  return value as TableFormat;
}

/** `accent-lab tables`: every table of a notebook as CSV, LaTeX (booktabs) or Markdown. */
export function registerTables(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('tables')
    .description(
      "Write every table of a notebook (each experiment's trials and summary, the paper's Tables 4-1 to 4-5 " +
        'where the notebook holds the reproduction) as CSV, LaTeX (booktabs) or Markdown, as the app copies them',
    )
    .argument('<notebook>', 'notebook file (.accentlab)')
    .requiredOption('--out <dir>', 'output folder, created if missing')
    .option('--format <format>', `one of ${TABLE_FORMATS.join(', ')}`, parseFormat, 'csv' as TableFormat)
    .action(async (notebook: string, options: { out: string; format: TableFormat }) => {
      const doc = await loadNotebook(notebook);
      const tables = notebookTables(doc, loadPaperValues());
      await mkdir(options.out, { recursive: true });
      const files: string[] = [];
      for (const table of tables) {
        const file = join(options.out, `${table.id}.${TABLE_EXTENSIONS[options.format]}`);
        await writeOutputFile(file, formatTable(table, options.format));
        files.push(file);
      }
      io.stderr.write(
        `tables: wrote ${files.length} table${files.length === 1 ? '' : 's'} to ${options.out}\n`,
      );
      for (const file of files) io.stdout.write(`${file}\n`);
    });
}
