import type { Moments } from '../engine/experiment/statistics';

/**
 * A sample's moments as it streams (Welford: running mean and sum of squared deviations), so a
 * million trials take a few numbers. The notebook's summaries and Compare's paired trials from a
 * store both keep theirs this way.
 */
export class RunningMoments {
  n = 0;
  mean = 0;
  private m2 = 0;

  add(value: number): void {
    this.n += 1;
    const delta = value - this.mean;
    this.mean += delta / this.n;
    this.m2 += delta * (value - this.mean);
  }

  /** n, mean and the sample standard deviation (0 below two values). */
  moments(): Moments {
    return { n: this.n, mean: this.mean, sd: this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0 };
  }
}
