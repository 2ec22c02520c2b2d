import { printableStream } from '../node/printable';
import { TraceImportCancelled } from '../node/traceImport';
import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import { COMMANDS } from './commands';
import { EXIT } from './context';
import type { CliIo, CommandContext } from './context';
import { UsageError } from './options';
import { packageVersion } from './packageRoot';
import { messageOf } from '../shared/messageOf';

export { EXIT } from './context';
export type { CliIo } from './context';

/** Parse `argv` (the arguments after the program name), run the command, return the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  // Whatever a command prints goes out without control characters: names and messages may come
  // from a file (a trace's name, a notebook's experiments and workloads, a trial's error).
  const printable: CliIo = { stdout: printableStream(io.stdout), stderr: printableStream(io.stderr) };
  const context: CommandContext = { io: printable, exitCode: EXIT.ok };
  const program = new Command('accent-lab')
    .description('Accent Migration Lab: process migration experiments from the command line')
    .version(`${packageVersion()} (engine ${ENGINE_VERSION})`)
    // Set before the subcommands are added, which inherit them.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => printable.stdout.write(text),
      writeErr: (text) => printable.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  for (const register of COMMANDS) register(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander has already printed its message (unknown option, bad value, missing option...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      printable.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof TraceImportCancelled) {
      io.stderr.write('accent-lab: interrupted: the trace import was cancelled\n');
      return EXIT.interrupted;
    }
    // Messages may name files: never print a terminal escape from a path (issue 14, finding 5).
    printable.stderr.write(`accent-lab: ${messageOf(error)}\n`);
    return EXIT.failed;
  }
  return context.exitCode;
}
