/** Exit codes of accent-lab. */
export const EXIT = {
  ok: 0,
  /** A trial failed, the report could not be built, or (with --strict) a fidelity check missed. */
  failed: 1,
  /** Bad arguments. */
  usage: 2,
  /** Interrupted (SIGINT). */
  interrupted: 130,
} as const;

export interface CliIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** What a command gets when it registers: the streams, and where to leave its exit code. */
export interface CommandContext {
  io: CliIo;
  /** The exit code of the command that ran (EXIT.ok unless the command sets it). */
  exitCode: number;
}
