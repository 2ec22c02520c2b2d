import { hardwareProblems } from '../hardware/presets';
import { strategyOptionsProblems } from '../model/strategyOptions';
import { MAX_PREFETCH_PAGES, STRATEGIES, ignoresPrefetch } from '../model/migration';
import { REPRESENTATIVES } from '../workloads/representatives';
import { workloadProblems } from '../workloads/workload';
import type { SensitivitySweep } from './sensitivity';
import { MAX_SWEEP_VALUES, SENSITIVITY_METRICS, SENSITIVITY_PARAMETERS } from './sensitivity';
import { MAX_CONCURRENT_MIGRATIONS } from './trial';
import { countTrials, designVariants, MAX_DESIGN_TRIALS, MAX_REPETITIONS, sweepPoints } from './designSpace';
import type { ExperimentDesign } from './designSpace';

function sensitivityProblems(design: ExperimentDesign, sweep: SensitivitySweep): string[] {
  const problems: string[] = [];
  const info = SENSITIVITY_PARAMETERS.find((candidate) => candidate.key === sweep.parameter);
  if (!info) {
    problems.push(`sensitivity: unknown parameter "${sweep.parameter}"`);
  } else {
    if (sweep.values.length < 2) problems.push('sensitivity: give at least two parameter values');
    if (sweep.values.length > MAX_SWEEP_VALUES)
      problems.push(`sensitivity: give at most ${MAX_SWEEP_VALUES} parameter values`);
    if (new Set(sweep.values).size !== sweep.values.length)
      problems.push('sensitivity: the parameter values must differ');
    for (const value of sweep.values) {
      const problem = info.problem(value);
      if (problem) problems.push(`sensitivity: ${info.label} ${problem}`);
    }
  }
  if (sweep.parameter === 'touched-fraction') {
    // A trace's references come from the trace: the share it touches is what it is.
    for (const workload of design.customWorkloads) {
      if (workload.trace)
        problems.push(
          `sensitivity: the touched fraction of the trace workload ${workload.name} cannot be varied`,
        );
    }
  }
  const variants = designVariants(design);
  const [first, second] = sweep.compare;
  for (const variant of sweep.compare) {
    if (!variants.includes(variant))
      problems.push(`sensitivity: "${variant}" is not a strategy the design runs (${variants.join(', ')})`);
  }
  if (first === second) problems.push('sensitivity: compare two different strategies');
  if (!(SENSITIVITY_METRICS as readonly string[]).includes(sweep.metric))
    problems.push(`sensitivity: unknown metric "${sweep.metric}"`);
  return problems;
}

/** What is wrong with a design, in words a user can act on; empty when it can run. */
export function designProblems(design: ExperimentDesign): string[] {
  const problems = [...choiceProblems(design), ...settingProblems(design)];
  const hardware = hardwareProblems(design.hardware);
  problems.push(...hardware);
  if (design.sensitivity) {
    const sweepIssues = sensitivityProblems(design, design.sensitivity);
    problems.push(...sweepIssues);
    if (sweepIssues.length > 0 || hardware.length > 0) return problems;
  }
  if (hardware.length === 0) problems.push(...pointProblems(design));
  return problems;
}

/** What the design chooses to run: its name, workloads, strategies, prefetch values and seed. */
function choiceProblems(design: ExperimentDesign): string[] {
  const problems: string[] = [];
  if (!design.name.trim()) problems.push('the experiment needs a name');
  if (design.representatives.length + design.customWorkloads.length === 0)
    problems.push('choose at least one workload');
  const known = new Set(REPRESENTATIVES.map((workload) => workload.name));
  for (const name of design.representatives)
    if (!known.has(name)) problems.push(`unknown representative "${name}"`);
  if (design.strategies.length === 0) problems.push('choose at least one strategy');
  for (const strategy of design.strategies) {
    if (!STRATEGIES.includes(strategy)) problems.push(`unknown strategy "${strategy}"`);
  }
  if (
    design.strategies.some((strategy) => !ignoresPrefetch(strategy)) &&
    design.prefetchValues.length === 0
  ) {
    problems.push('choose at least one prefetch value');
  }
  for (const prefetch of design.prefetchValues) {
    if (!Number.isInteger(prefetch) || prefetch < 0 || prefetch > MAX_PREFETCH_PAGES) {
      problems.push(`prefetch ${prefetch} must be a whole number of pages from 0 to ${MAX_PREFETCH_PAGES}`);
    }
  }
  if (!Number.isInteger(design.seed)) problems.push('the seed must be a whole number');
  else if (!Number.isSafeInteger(design.seed))
    problems.push(
      'the seed must be a whole number of at most 15 digits (from -9,007,199,254,740,991 to 9,007,199,254,740,991): larger ones cannot be kept exactly',
    );
  return problems;
}

/** How it runs: strategy options, a source failure, concurrent migrations, repetitions, size. */
function settingProblems(design: ExperimentDesign): string[] {
  const problems: string[] = [];
  problems.push(...strategyOptionsProblems(design.strategyOptions ?? {}));
  const failAt = design.sourceFailureSeconds;
  if (failAt !== undefined && !(Number.isFinite(failAt) && failAt >= 0)) {
    problems.push('sourceFailureSeconds must be a finite number of seconds, at least 0');
  }
  const concurrent = design.concurrentMigrations;
  if (
    concurrent !== undefined &&
    !(Number.isInteger(concurrent) && concurrent >= 1 && concurrent <= MAX_CONCURRENT_MIGRATIONS)
  ) {
    problems.push(`concurrentMigrations must be a whole number from 1 to ${MAX_CONCURRENT_MIGRATIONS}`);
  }
  if ((concurrent ?? 1) > 1 && failAt !== undefined) {
    problems.push('a source failure can be injected only with one migration at a time');
  }
  if (
    !Number.isInteger(design.repetitions) ||
    design.repetitions < 1 ||
    design.repetitions > MAX_REPETITIONS
  ) {
    problems.push(`repetitions must be a whole number from 1 to ${MAX_REPETITIONS.toLocaleString('en-US')}`);
  }
  const trials = countTrials(design);
  if (!(trials <= MAX_DESIGN_TRIALS)) {
    problems.push(
      `the design expands to ${trials.toLocaleString('en-US')} trials, over the limit of ` +
        `${MAX_DESIGN_TRIALS.toLocaleString('en-US')}: run fewer workloads, strategies, prefetch values or repetitions`,
    );
  }
  return problems;
}

/** Every point of a sweep must run: the hardware and the custom workloads at each value. */
function pointProblems(design: ExperimentDesign): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const point of sweepPoints(design)) {
    const at = point.parameterValue === undefined ? '' : ` at ${point.parameterValue}`;
    for (const problem of hardwareProblems(point.hardware)) problems.push(`hardware${at}: ${problem}`);
    for (const workload of design.customWorkloads.map(point.adjust)) {
      for (const problem of workloadProblems(workload, point.hardware.pageSizeBytes)) {
        const line = `${workload.name}${at}: ${problem}`;
        if (!seen.has(line)) problems.push(line);
        seen.add(line);
      }
    }
  }
  return problems;
}
