import { z } from 'zod';
import {
  MAX_CONCURRENT_MIGRATIONS,
  TRIAL_METRIC_NAMES,
  TRIAL_METRIC_PRESENCE,
} from '../../engine/experiment/trial';
import type { ByteRateSeries, TrialMetrics, TrialResult } from '../../engine/experiment/trial';
import { finite, positive, sameShape, wholeNonNegative } from './fields';
import type { Same } from './fields';
import { strategyNameSchema } from './design';

/** Trial results: their metrics (from the engine's list), byte-rate series and fault latencies. */

/** Every metric the engine declares (TRIAL_METRIC_PRESENCE), in its order; the later ones optional. */
export const trialMetricsSchema = z.strictObject(
  Object.fromEntries(
    TRIAL_METRIC_NAMES.map((key) => [
      key,
      TRIAL_METRIC_PRESENCE[key] === 'optional' ? finite().optional() : finite(),
    ]),
  ) as {
    [Key in keyof TrialMetrics]-?: undefined extends TrialMetrics[Key]
      ? z.ZodOptional<z.ZodNumber>
      : z.ZodNumber;
  },
);

export const faultLatencySchema = z.strictObject({
  edgesMs: z.array(finite()).max(100, { error: 'must have at most 100 entries' }),
  counts: z.array(wholeNonNegative()).max(101, { error: 'must have at most 101 entries' }),
});

export const byteRateSeriesSchema = z.strictObject({
  binSeconds: positive(),
  fault: z.array(finite()),
  other: z.array(finite()),
});

export const trialResultSchema = z.strictObject({
  id: z.string({ error: 'must be text' }),
  workload: z.string({ error: 'must be text' }),
  strategy: strategyNameSchema,
  prefetch: wholeNonNegative(),
  hardware: z.string({ error: 'must be text' }),
  seed: z.int({ error: 'must be a whole number' }),
  replication: wholeNonNegative(),
  parameterValue: finite().optional(),
  ok: z.boolean({ error: 'must be true or false' }),
  error: z.string({ error: 'must be text' }).optional(),
  metrics: trialMetricsSchema.optional(),
  series: byteRateSeriesSchema.optional(),
  faultLatency: faultLatencySchema.optional(),
  concurrent: z
    .array(
      z.strictObject({
        totalSeconds: finite(),
        downtimeSeconds: finite(),
        totalMigrationSeconds: finite(),
        sourceReleaseSeconds: finite(),
      }),
    )
    .max(MAX_CONCURRENT_MIGRATIONS, { error: `must have at most ${MAX_CONCURRENT_MIGRATIONS} entries` })
    .optional(),
});

sameShape<Same<z.output<typeof trialMetricsSchema>, TrialMetrics>>();
sameShape<Same<z.output<typeof byteRateSeriesSchema>, ByteRateSeries>>();
sameShape<Same<z.output<typeof trialResultSchema>, TrialResult>>();
