import type { Command } from 'commander';
import type { CommandContext } from '../context';
import { registerCompact } from './compact';
import { registerCompare } from './compare';
import { registerCrosscheck, registerMakeCrosscheckNotebook } from './crosscheck';
import { registerFigures } from './figures';
import { registerExport } from './export';
import { registerMakeNotebook } from './makeNotebook';
import { registerMerge } from './merge';
import { registerMakeTraceNotebook } from './makeTraceNotebook';
import { registerReport } from './report';
import { registerReproduce } from './reproduce';
import { registerRun } from './run';
import { registerRunTrial } from './runTrial';
import { registerSeedStudy } from './seedStudy';
import { registerSlurm } from './slurm';
import { registerTables } from './tables';
import { registerTraceInfo } from './traceInfo';

/**
 * Every command of accent-lab, in the order `--help` lists them. A command is a file in this
 * folder whose register function adds it (options, help, action) to the program; add a new one
 * here.
 */
export const COMMANDS: readonly ((program: Command, context: CommandContext) => void)[] = [
  registerReproduce,
  registerFigures,
  registerTables,
  registerReport,
  registerCompare,
  registerRun,
  registerMerge,
  registerExport,
  registerCompact,
  registerSlurm,
  registerMakeNotebook,
  registerMakeTraceNotebook,
  registerSeedStudy,
  registerRunTrial,
  registerTraceInfo,
  registerCrosscheck,
  registerMakeCrosscheckNotebook,
];
