import { z } from 'zod';
import { TRIAL_METRIC_NAMES } from '../../engine/experiment/trial';
import type {
  DesignPointSummary,
  ExperimentSummary,
  MetricSummary,
  SweepDifferenceSummary,
} from '../hostApi';
import { finite, label, nonEmptyLabel, sameShape, wholeNonNegative } from './fields';
import type { Same } from './fields';
import { strategyNameSchema } from './design';
import { trialResultSchema } from './results';

/** A large experiment's summary in the notebook (ExperimentSummary, src/shared/notebook/summary.ts). */

export const metricSummarySchema = z.strictObject({
  n: wholeNonNegative(),
  mean: finite(),
  sd: finite(),
  ciLow: finite().nullable(),
  ciHigh: finite().nullable(),
});

export const designPointSummarySchema = z.strictObject({
  workload: label(100),
  strategy: strategyNameSchema,
  prefetch: wholeNonNegative(),
  hardware: label(200),
  parameterValue: finite().optional(),
  n: wholeNonNegative(),
  failed: wholeNonNegative(),
  metrics: z.strictObject(
    Object.fromEntries(TRIAL_METRIC_NAMES.map((key) => [key, metricSummarySchema.optional()])) as {
      [Key in (typeof TRIAL_METRIC_NAMES)[number]]: z.ZodOptional<typeof metricSummarySchema>;
    },
  ),
  speedup: metricSummarySchema.optional(),
});

export const sweepDifferenceSummarySchema = z.strictObject({
  workload: label(100),
  value: finite(),
  difference: metricSummarySchema,
});

export const experimentSummarySchema = z.strictObject({
  trials: wholeNonNegative(),
  failed: wholeNonNegative(),
  store: nonEmptyLabel(4096),
  points: z.array(designPointSummarySchema).max(1_000_000, { error: 'must have at most 1,000,000 entries' }),
  differences: z
    .array(sweepDifferenceSummarySchema)
    .max(100_000, { error: 'must have at most 100,000 entries' })
    .optional(),
  figureTrials: z.array(trialResultSchema).max(10_000, { error: 'must have at most 10,000 entries' }),
});

sameShape<Same<z.output<typeof metricSummarySchema>, MetricSummary>>();
sameShape<Same<z.output<typeof designPointSummarySchema>, DesignPointSummary>>();
sameShape<Same<z.output<typeof sweepDifferenceSummarySchema>, SweepDifferenceSummary>>();
sameShape<Same<z.output<typeof experimentSummarySchema>, ExperimentSummary>>();
