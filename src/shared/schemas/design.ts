import { z } from 'zod';
import { MAX_REPETITIONS } from '../../engine/experiment/design';
import type { ExperimentDesign } from '../../engine/experiment/design';
import {
  MAX_SWEEP_VALUES,
  SENSITIVITY_METRICS,
  SENSITIVITY_PARAMETER_KEYS,
} from '../../engine/experiment/sensitivity';
import { MAX_CONCURRENT_MIGRATIONS } from '../../engine/experiment/trial';
import { MAX_PREFETCH_PAGES, STRATEGIES } from '../../engine/model/migration';
import type { StrategyName } from '../../engine/model/migration';
import {
  optionRange,
  STRATEGY_OPTION_FIELDS,
  STRATEGY_OPTION_NAMES,
} from '../../engine/model/strategyOptions';
import type { StrategyOptions } from '../../engine/model/strategyOptions';
import { describeIssues, finite, label, nonEmptyLabel, nonNegative, sameShape, wholeUpTo } from './fields';
import type { Same } from './fields';
import { hardwarePresetSchema } from './hardware';
import { workloadSpecSchema } from './workload';

/** Experiment designs: their strategies and options, the sensitivity sweep, the limits. */

/** The engine's strategies, as a non-empty tuple for z.enum. */
const STRATEGY_NAMES = STRATEGIES as readonly StrategyName[] as [StrategyName, ...StrategyName[]];

/** One of the engine's strategy names. */
export const strategyNameSchema = z.enum(STRATEGY_NAMES, {
  error: `must be one of ${STRATEGY_NAMES.join(', ')}`,
});

/** Each strategy option, optional, within the bounds of the engine's table (STRATEGY_OPTION_FIELDS). */
export const strategyOptionsSchema = z.strictObject(
  Object.fromEntries(
    STRATEGY_OPTION_NAMES.map((key) => {
      const field = STRATEGY_OPTION_FIELDS[key];
      const range = `must be from ${optionRange(field)}`;
      const schema =
        field.kind === 'whole'
          ? wholeUpTo(field.max, field.min)
          : nonNegative()
              .min(field.min ?? 0, { error: range })
              .max(field.max, { error: range });
      return [key, schema.optional()];
    }),
  ) as { [Key in keyof StrategyOptions]: z.ZodOptional<z.ZodNumber> },
);

/** Sweep parameters and metrics, as the engine's sensitivity module lists them. */
const SENSITIVITY_PARAMETER_NAMES = SENSITIVITY_PARAMETER_KEYS;
const SENSITIVITY_METRIC_NAMES = SENSITIVITY_METRICS;

export const sensitivitySweepSchema = z.strictObject({
  parameter: z.enum(SENSITIVITY_PARAMETER_NAMES, {
    error: `must be one of ${SENSITIVITY_PARAMETER_NAMES.join(', ')}`,
  }),
  values: z
    .array(finite())
    .min(2, { error: 'must have at least 2 values' })
    .max(MAX_SWEEP_VALUES, { error: `must have at most ${MAX_SWEEP_VALUES} values` }),
  compare: z.tuple([nonEmptyLabel(100), nonEmptyLabel(100)], { error: 'must be two strategy variants' }),
  metric: z.enum(SENSITIVITY_METRIC_NAMES, {
    error: `must be one of ${SENSITIVITY_METRIC_NAMES.join(', ')}`,
  }),
});

export const experimentDesignSchema = z.strictObject({
  name: label(200),
  representatives: z.array(nonEmptyLabel(100)).max(100, { error: 'must have at most 100 entries' }),
  customWorkloads: z.array(workloadSpecSchema).max(100, { error: 'must have at most 100 entries' }),
  strategies: z
    .array(strategyNameSchema)
    .max(STRATEGY_NAMES.length, { error: `must have at most ${STRATEGY_NAMES.length} entries` }),
  prefetchValues: z
    .array(
      z
        .int({ error: 'must be a whole number of pages' })
        .min(0, { error: `must be from 0 to ${MAX_PREFETCH_PAGES}` })
        .max(MAX_PREFETCH_PAGES, { error: `must be from 0 to ${MAX_PREFETCH_PAGES}` }),
    )
    .max(100, { error: 'must have at most 100 entries' }),
  hardware: hardwarePresetSchema,
  seed: z.int({ error: 'must be a whole number' }),
  repetitions: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: `must be from 1 to ${MAX_REPETITIONS.toLocaleString('en-US')}` })
    .max(MAX_REPETITIONS, { error: `must be from 1 to ${MAX_REPETITIONS.toLocaleString('en-US')}` }),
  strategyOptions: strategyOptionsSchema.optional(),
  sourceFailureSeconds: nonNegative().optional(),
  concurrentMigrations: z
    .int({ error: 'must be a whole number' })
    .min(1, { error: `must be from 1 to ${MAX_CONCURRENT_MIGRATIONS}` })
    .max(MAX_CONCURRENT_MIGRATIONS, { error: `must be from 1 to ${MAX_CONCURRENT_MIGRATIONS}` })
    .optional(),
  sensitivity: sensitivitySweepSchema.optional(),
});

/** Validate an experiment design; throws naming the field. */
export function parseExperimentDesign(value: unknown): ExperimentDesign {
  const result = experimentDesignSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data;
}

sameShape<Same<z.output<typeof experimentDesignSchema>, ExperimentDesign>>();
