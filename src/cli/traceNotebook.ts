import { dirname, relative, resolve } from 'node:path';
import type { ExperimentDesign } from '../engine/experiment/design';
import { expandDesign } from '../engine/experiment/design';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { TrialResult } from '../engine/experiment/trial';
import { hardwarePreset } from '../engine/hardware/presets';
import { STRATEGIES } from '../engine/model/migration';
import { DEFAULT_SEED } from '../engine/reproduction/designs';
import type { TraceWorkloadSource } from '../engine/workloads/spec';
import { defaultInstructionsPerSecond, traceWorkloadSpec } from '../engine/workloads/trace';
import { currentProvenance } from '../node/notebookFile';
import { loadTrace, resolveTracePaths } from '../node/traceImport';
import { downsampleSeries } from '../shared/figures/series';
import type { FigureKind } from '../shared/figures/spec';
import type { NotebookEntry, NotebookDocument } from '../shared/hostApi';
import { NOTEBOOK_SERIES_BINS } from './builtinNotebooks';
import { writeNotebookFile } from './notebookFiles';
import { runDesigns } from './pool';
import type { RunExperimentsOptions } from './pool';
import { findPackageRoot, packageVersion } from './packageRoot';

/** The sample traces (resources/traces, made by scripts/make-sample-traces.sh). */
export const SAMPLE_TRACES = [
  { name: 'sort', file: 'sort.trace.gz', what: 'qsort of 4,000 integers' },
  { name: 'interpreter', file: 'interpreter.trace.gz', what: 'a tiny compiler and bytecode interpreter' },
  { name: 'server', file: 'server.trace.gz', what: 'a server answering 120 requests over a socketpair' },
] as const;

export const TRACE_EXPERIMENT_ID = 'real-traces';
const MIGRATE_AT = 0.5;
const PREFETCH = [0, 1, 3, 7];

const INTRO = `# Every strategy on real programs

Three small real programs, traced with Valgrind's lackey tool
(\`valgrind --tool=lackey --trace-mem=yes\`) by \`scripts/make-sample-traces.sh\`: ${SAMPLE_TRACES.map(
  (trace) => `**${trace.name}** (${trace.what})`,
).join(', ')}. Their sources are in \`resources/traces/programs\`.

Each process migrates half-way through its run (by instructions executed). The pages it touched
before that point are its RealMem, the most recently touched of them resident; pages first touched
afterwards by a store are fresh zero memory. After migration it makes the very references the
trace shows, with the traced instruction counts as compute time at 1 million instructions per
second (a PERQ's pace). The rules are in \`docs/traces.md\`.

Every strategy, the paper's three and the four of Beyond 1987, runs on the \`perq-1987\` hardware
(512-byte pages) at prefetch 0, 1, 3 and 7 (pure-copy and pre-copy take no prefetch).
The notebook keeps the traces' paths (relative to this file) and SHA-256, not their references:
re-running it needs the traces in \`resources/traces\`.`;

const FINDINGS = `## What to look for

These programs are small: every page they touched before migration is still resident (the host's
2,048 frames hold them all), and after migration they touch about a third of their RealMem (the C
library's code, the stack, the heap), near the paper's breakeven of 25%.

**The paper's strategies.** Pure-IOU ships about half the bytes of pure-copy, yet without prefetch
it is 18-42% slower end to end: each imaginary fault costs a round trip that the little compute
between references cannot hide. Prefetching 3 or 7 pages makes it 4-8% faster than pure-copy for
the sort and the interpreter, but not for the server, whose references jump between more distant
pages. The resident-set strategy ships everything, since everything is resident, and is the slowest
of the three here.

**Beyond 1987.** The hybrid finishes first on all three programs (18.3-20.2 s, pure-copy 20.0-21.9 s):
its single pre-copy round sends the pages while the process still runs at the source, leaving it
nothing to fetch later (no residual dependency), and it freezes the process for under 4 seconds
(pure-copy: about 20). Post-copy freezes as briefly but completes about when pure-copy does. On the
Perq the NetMessageServer's thread, not the 10 Mb/s wire, limits how fast pages move: its active
push (4 messages in flight) cannot move them faster than that, and each demand fault waits behind
the pushed messages queued before it. (With a stop-and-wait push, \`pushWindowMessages\` 1, the
default before engine 0.3.0, post-copy finished first, in 16.2-20.6 s: fewer messages queue ahead of
each fault. On today's links the window is what lets the push keep the wire busy; see the SimGrid
cross-check in docs/model.md.) Pre-copy keeps the process running at the source while it copies, so
its downtime is under a third of pure-copy's, at the price of re-sending the pages written meanwhile
and of more bytes than pure-copy; it completes about when pure-copy does. The
Sprite flush frees the source once its flush is done, before pure-copy's transfer would end, but
each page then crosses the network twice, so it completes last. Completion time (request to exit) is the fair comparison here: pre-copy runs part of the
process at the source, so the paper's end-to-end sum leaves that part out.`;

/** The experiment of the notebook: the sample traces as workloads, every strategy. */
export async function traceDesign(notebookFile: string, seed: number): Promise<ExperimentDesign> {
  const hardware = hardwarePreset('perq-1987');
  const tracesDir = resolve(findPackageRoot(), 'resources', 'traces');
  const customWorkloads = [];
  for (const sample of SAMPLE_TRACES) {
    const file = resolve(tracesDir, sample.file);
    const loaded = await loadTrace(file, { pageSizeBytes: hardware.pageSizeBytes });
    const source: TraceWorkloadSource = {
      // Relative to the notebook, with forward slashes, so that the file is the same everywhere.
      path: relative(dirname(resolve(notebookFile)), file)
        .split('\\')
        .join('/'),
      sha256: loaded.summary.sha256,
      pageSizeBytes: hardware.pageSizeBytes,
      migrateAt: { fraction: MIGRATE_AT },
      instructionsPerSecond: defaultInstructionsPerSecond(hardware.name),
    };
    customWorkloads.push(
      traceWorkloadSpec(sample.name, loaded.pageReferences, source, hardware.memory.framesPerHost),
    );
  }
  return {
    name: 'Real traces: every strategy',
    representatives: [],
    customWorkloads,
    strategies: [...STRATEGIES],
    prefetchValues: PREFETCH,
    hardware,
    seed,
    repetitions: 1,
  };
}

/** The notebook's figures, in order, with their captions. */
const TRACE_FIGURES: [FigureKind, string][] = [
  [
    'completion',
    'Completion time, from the migration request to exit, of each traced program under every strategy.',
  ],
  ['downtime', 'How long each strategy freezes the process.'],
  ['source-release', 'When the source host owes the process nothing and can be released.'],
  ['end-to-end', 'End-to-end time (transfer + remote execution), as the paper measures it.'],
  ['bytes', 'Bytes on the wire: what copy-on-reference leaves behind.'],
  ['message-time', 'Message-handling time per host.'],
];

export function traceNotebook(design: ExperimentDesign, results: readonly TrialResult[]): NotebookDocument {
  const entries: NotebookEntry[] = [
    { kind: 'note', id: 'introduction', markdown: INTRO },
    {
      kind: 'experiment',
      id: TRACE_EXPERIMENT_ID,
      design,
      results: results.map((result) =>
        result.series ? { ...result, series: downsampleSeries(result.series, NOTEBOOK_SERIES_BINS) } : result,
      ),
      engineVersion: ENGINE_VERSION,
    },
    ...TRACE_FIGURES.map(([kind, caption]): NotebookEntry => ({
      kind: 'figure',
      id: `traces-${kind}`,
      experimentId: TRACE_EXPERIMENT_ID,
      figure: { kind },
      caption,
    })),
    { kind: 'note', id: 'findings', markdown: FINDINGS },
  ];
  return {
    formatVersion: 3,
    name: 'Real traces',
    provenance: currentProvenance(packageVersion()),
    entries,
  };
}

/** `accent-lab make-trace-notebook`: run the experiment on the sample traces and write the notebook. */
export async function makeTraceNotebook(
  file: string,
  options: RunExperimentsOptions & { seed?: number },
): Promise<{ cancelled: boolean; failed: TrialResult[]; bytes: number }> {
  const design = await traceDesign(file, options.seed ?? DEFAULT_SEED);
  const specs = resolveTracePaths(expandDesign(design), dirname(resolve(file)));
  const { results, cancelled } = await runDesigns([specs], options);
  const failed = results.flat().filter((result) => !result.ok);
  if (cancelled || failed.length > 0) return { cancelled, failed, bytes: 0 };
  const bytes = await writeNotebookFile(file, traceNotebook(design, results[0]!));
  return { cancelled: false, failed: [], bytes };
}
