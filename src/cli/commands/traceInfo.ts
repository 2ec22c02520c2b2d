import type { Command } from 'commander';
import Table from 'cli-table3';
import type { CommandContext } from '../context';
import { toJson } from '../outputs';
import { loadTraceWithProgress, parsePageSize } from '../trace';
import { QUIET_HELP } from './common';

interface TraceInfoCliOptions {
  pageSize: number;
  json?: boolean;
  quiet?: boolean;
}

/** `accent-lab trace-info`: a lackey trace's counts at a page size. */
export function registerTraceInfo(program: Command, context: CommandContext): void {
  const { io } = context;
  program
    .command('trace-info')
    .description(
      'Read a Valgrind lackey trace (plain or .gz) and print its reference counts, instructions and ' +
        'distinct pages at a page size (rules in docs/traces.md); builds or reuses its page cache',
    )
    .argument('<trace>', 'trace file written by valgrind --tool=lackey --trace-mem=yes --log-file=FILE')
    .requiredOption('--page-size <bytes>', 'page size in bytes (a power of two)', parsePageSize)
    .option('--json', 'print the counts as JSON')
    .option('--quiet', QUIET_HELP)
    .action(async (trace: string, options: TraceInfoCliOptions) => {
      const loaded = await loadTraceWithProgress(trace, options.pageSize, io.stderr, options.quiet === true);
      const summary = loaded.summary;
      if (options.json) {
        io.stdout.write(toJson({ ...summary, cache: loaded.cachePath, fromCache: loaded.fromCache }));
        return;
      }
      const table = new Table({ head: ['', 'Value'], style: { head: [], border: [], compact: true } });
      const rows: [string, number | string][] = [
        ['references', summary.references],
        ['  instruction fetches (I)', summary.referencesByKind.instruction],
        ['  loads (L)', summary.referencesByKind.load],
        ['  stores (S)', summary.referencesByKind.store],
        ['  modifies (M)', summary.referencesByKind.modify],
        ['instructions', summary.instructions],
        [`distinct ${summary.pageSizeBytes}-byte pages`, summary.distinctPages],
        ['page references (repeats merged)', summary.pageReferences],
        ['lines', summary.lines],
      ];
      for (const [name, value] of rows)
        table.push([name, { content: String(value), hAlign: 'right' as const }]);
      io.stdout.write(`${trace} (sha256 ${summary.sha256})\n${table.toString()}\n`);
      io.stderr.write(
        `trace-info: ${loaded.fromCache ? 'read the cache' : 'wrote the cache'} ${loaded.cachePath}\n`,
      );
    });
}
