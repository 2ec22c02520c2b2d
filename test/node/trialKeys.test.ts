import { describe, expect, it } from 'vitest';
import { DesignTrials } from '../../src/engine/experiment/design';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { trialKey, TrialKeys } from '../../src/node/trialKeys';
import { smallDesign } from '../helpers/designs';

// TrialKeys caches a design point's hash by trial id; ids repeat across designs (issue 17).

const specsOf = (design: Parameters<typeof smallDesign>[0]) => {
  const trials = new DesignTrials(smallDesign(design));
  return Array.from({ length: trials.length }, (_, at) => trials.at(at));
};

describe('TrialKeys', () => {
  it("gives each trial its own key, also for the same design's trials expanded twice", () => {
    const keys = new TrialKeys();
    for (const specs of [specsOf({ repetitions: 3 }), specsOf({ repetitions: 3 })])
      for (const spec of specs) expect(keys.key(spec)).toBe(trialKey(spec));
  });

  it("refuses another design's trial with the same id rather than giving it a wrong key", () => {
    const others = [
      { name: 'seed', design: { seed: 7 } },
      { name: 'hardware', design: { hardware: hardwarePreset('modern-2025') } },
      { name: 'options', design: { strategyOptions: { preCopyMaxRounds: 3 } } },
      { name: 'concurrency', design: { concurrentMigrations: 2 } },
    ];
    for (const other of others) {
      const keys = new TrialKeys();
      const first = specsOf({ repetitions: 2 });
      for (const spec of first) keys.key(spec);
      const second = specsOf({ repetitions: 2, ...other.design });
      expect(second[0]!.id, other.name).toBe(first[0]!.id);
      expect(trialKey(second[0]!), other.name).not.toBe(trialKey(first[0]!));
      expect(() => keys.key(second[0]!), other.name).toThrow(
        /"Minprog\/pure-copy" names two different design points .*make one per design/,
      );
      // One TrialKeys per design gives both designs' keys.
      const own = new TrialKeys();
      for (const spec of second) expect(own.key(spec)).toBe(trialKey(spec));
    }
  });

  it('refuses a trial whose workload differs under the same name', () => {
    const keys = new TrialKeys();
    const a = specsOf({})[0]!;
    keys.key(a);
    const b = {
      ...a,
      workload: { ...a.workload, realBytes: (a.workload as { realBytes: number }).realBytes * 2 },
    };
    expect(() => keys.key(b)).toThrow(/names two different design points/);
    // The same contents in another object: its key, not an error.
    const c = { ...a, workload: structuredClone(a.workload) };
    expect(keys.key(c)).toBe(trialKey(a));
  });
});
