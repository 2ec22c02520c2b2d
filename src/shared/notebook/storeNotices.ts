/**
 * What works when a summarized experiment's results store is not in place, and what needs it:
 * said once beside the notices of the check at notebook open (src/main/services/storeCheck.ts).
 */
export const WITHOUT_STORE =
  "Everything drawn from an experiment's summary still works: its card, summary table, figures, " +
  'Compare experiments and the report. What needs the single trials does not: Resume (its trials ' +
  'would run again), `accent-lab run --out` trials.csv and `accent-lab export --parquet`. ' +
  'Nothing in the notebook or its stores was changed.';
