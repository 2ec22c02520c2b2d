import { describe, expect, it } from 'vitest';
import { generateTrialWorkload } from '../../src/engine/experiment/trial';
import { paperTrials } from '../../src/engine/reproduction/designs';

/** Every page a generated reference string touches lies in a validated range: never BadMem. */
describe('workload generation', () => {
  it('gives every representative a valid reference string in each of 500 replications', () => {
    const REPLICATIONS = 500;
    const bad: string[] = [];
    for (const trial of paperTrials().filter((spec) => spec.strategy === 'pure-copy')) {
      for (let replication = 0; replication < REPLICATIONS; replication += 1) {
        const generated = generateTrialWorkload({ ...trial, replication });
        const ranges = generated.ranges;
        const validated = (page: number): boolean => {
          // Ranges are sorted and disjoint: binary search.
          let low = 0;
          let high = ranges.length - 1;
          while (low <= high) {
            const middle = (low + high) >> 1;
            const range = ranges[middle]!;
            if (page < range.start) high = middle - 1;
            else if (page >= range.end) low = middle + 1;
            else return true;
          }
          return false;
        };
        const first = generated.references.find((page) => !validated(page));
        if (first !== undefined) bad.push(`${trial.workload.name} replication ${replication}: page ${first}`);
      }
    }
    expect(bad).toEqual([]);
  }, 120_000);
});
