import { Command, CommanderError } from 'commander';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import { COMMANDS } from './commands';
import { EXIT } from './context';
import type { CliIo, CommandContext } from './context';
import { UsageError } from './options';
import { packageVersion } from './packageRoot';

export { EXIT } from './context';
export type { CliIo } from './context';

/** Parse `argv` (the arguments after the program name), run the command, return the exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const context: CommandContext = { io, exitCode: EXIT.ok };
  const program = new Command('accent-lab')
    .description('Accent Migration Lab: process migration experiments from the command line')
    .version(`${packageVersion()} (engine ${ENGINE_VERSION})`)
    // Set before the subcommands are added, which inherit them.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)');
  for (const register of COMMANDS) register(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    // Commander has already printed its message (unknown option, bad value, missing option...).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`accent-lab: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
  return context.exitCode;
}
