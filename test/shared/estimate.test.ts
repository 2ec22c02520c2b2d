import { describe, expect, it } from 'vitest';
import {
  estimateCampaign,
  INLINE_TRIALS,
  STORE_BYTES_PER_POINT,
  STORE_BYTES_PER_TRIAL,
  storeBytes,
} from '../../src/shared/estimate';

describe('store size estimate', () => {
  it('sizes a large experiment by its rows and its design points’ series', () => {
    expect(storeBytes(1_000_000, 100)).toBe(1_000_000 * STORE_BYTES_PER_TRIAL + 100 * STORE_BYTES_PER_POINT);
    // The measured 249 B a trial over 20,000 trials of 100 points (docs/benchmarks.md) is near.
    const measured = 249 * 20_000;
    expect(Math.abs(storeBytes(20_000, 100) - measured) / measured).toBeLessThan(0.15);
    // A calibration's JSON size does not apply to a large experiment: it keeps no whole trials.
    expect(storeBytes(INLINE_TRIALS + 1, 10, 5_000)).toBe(storeBytes(INLINE_TRIALS + 1, 10));
  });

  it('sizes a small experiment, stored whole, by its trials’ JSON when a calibration measured it', () => {
    expect(storeBytes(1_000, 100, 3_000)).toBe(1_000 * 3_000 * 2);
    expect(storeBytes(1_000, 100, null)).toBe(1_000 * STORE_BYTES_PER_TRIAL + 100 * STORE_BYTES_PER_POINT);
    expect(estimateCampaign(500, 100, 50)).toEqual({
      trials: 500,
      seconds: 5,
      bytes: 500 * STORE_BYTES_PER_TRIAL + 50 * STORE_BYTES_PER_POINT,
    });
  });
});
