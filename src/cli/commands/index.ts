import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerCrosscheck, registerMakeCrosscheckNotebook } from './crosscheck';
import { registerFigures } from './figures';
import { registerMakeNotebook } from './makeNotebook';
import { registerMakeTraceNotebook } from './makeTraceNotebook';
import { registerReproduce } from './reproduce';
import { registerRun } from './run';
import { registerRunTrial } from './runTrial';
import { registerTraceInfo } from './traceInfo';

/**
 * Every command of accent-lab, in the order `--help` lists them. A command is a file in this
 * folder whose register function adds it (options, help, action) to the program; add a new one
 * here.
 */
export const COMMANDS: readonly ((program: Command, context: CommandContext) => void)[] = [
  registerReproduce,
  registerFigures,
  registerRun,
  registerMakeNotebook,
  registerMakeTraceNotebook,
  registerRunTrial,
  registerTraceInfo,
  registerCrosscheck,
  registerMakeCrosscheckNotebook,
];
