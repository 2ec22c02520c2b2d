// An experiment design, in parts: designSpace.ts (the ExperimentDesign, its limits, what it spans
// and its trial count), designProblems.ts (what is wrong with one, in words), designTrials.ts (its
// trials, expanded lazily), and a custom workload from the designer's knobs
// (../workloads/custom.ts). Gathered here, so importers need one module.
export {
  countTrials,
  designVariants,
  LARGE_DESIGN_TRIALS,
  MAX_DESIGN_TRIALS,
  MAX_REPETITIONS,
} from './designSpace';
export type { ExperimentDesign } from './designSpace';
export { designProblems } from './designProblems';
export { DesignTrials, expandDesign, trialIdFor } from './designTrials';
export { customWorkload } from '../workloads/custom';
export type { CustomWorkloadParameters } from '../workloads/custom';
