import { describe, expect, it } from 'vitest';
import { DesignTrials } from '../../src/engine/experiment/design';
import type { ExperimentDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION } from '../../src/engine/experiment/trial';
import { planCampaign } from '../../src/cli/campaign';
import type { Shard } from '../../src/cli/campaign';
import { TrialKeys, trialKey } from '../../src/node/trialKeys';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { smallDesign } from '../helpers/designs';

function notebook(designs: ExperimentDesign[]): NotebookDocument {
  return {
    formatVersion: 3,
    name: 'plan',
    provenance: { engineVersion: ENGINE_VERSION, createdBy: 'test' },
    entries: designs.map((design, at) => ({
      kind: 'experiment' as const,
      id: `experiment-${at}`,
      design,
      results: [],
      engineVersion: ENGINE_VERSION,
    })),
  };
}

/** What planCampaign must find, trial by trial with a key each (as the first planner did). */
function reference(doc: NotebookDocument, stored: ReadonlySet<string>, shard?: Shard) {
  const toRun: number[] = [];
  const planned = new Set<string>();
  let held = 0;
  let offset = 0;
  for (const entry of doc.entries) {
    if (entry.kind !== 'experiment') continue;
    const trials = new DesignTrials(entry.design);
    for (let local = 0; local < trials.length; local += 1) {
      const key = trialKey(trials.at(local));
      if (stored.has(key)) held += 1;
      else if (!planned.has(key)) {
        planned.add(key);
        toRun.push(offset + local);
      }
    }
    offset += trials.length;
  }
  const missing = toRun.length;
  const mine = shard ? toRun.filter((_, at) => at % shard.count === shard.index) : toRun;
  return { held, missing, toRun: mine };
}

// Two experiments that share design points (the second repeats more, over one more prefetch
// value), a design that lists a prefetch value twice, and a sweep.
const sweep: ExperimentDesign = smallDesign({
  repetitions: 2,
  sensitivity: {
    parameter: 'page-size-bytes',
    values: [512, 1024],
    compare: ['pure-copy', 'pure-iou pf0'],
    metric: 'bytesTotal',
  },
});
const designs = [
  smallDesign({ repetitions: 2 }),
  smallDesign({ repetitions: 5, prefetchValues: [0, 1, 2] }),
  smallDesign({ repetitions: 3, prefetchValues: [1, 1] }),
  sweep,
];

describe('planning a campaign', () => {
  it('numbers design points and replications as the trials have them', () => {
    for (const design of designs) {
      const trials = new DesignTrials(design);
      const keys = new TrialKeys();
      const seen = new Map<number, string>();
      for (let index = 0; index < trials.length; index += 1) {
        const spec = trials.at(index);
        const point = trials.pointOf(index);
        expect(trials.replicationOf(index)).toBe(spec.replication);
        expect(trials.indexOf(point, spec.replication ?? 0)).toBe(index);
        expect(point).toBeLessThan(trials.pointCount);
        const id = TrialKeys.pointId(spec);
        expect(seen.get(point) ?? id).toBe(id);
        seen.set(point, id);
        expect(keys.key(spec)).toBe(trialKey(spec));
      }
      expect(seen.size).toBe(trials.pointCount);
    }
  });

  it('finds the trials to run, once each, as a trial-by-trial check does', () => {
    const doc = notebook(designs);
    const all = reference(doc, new Set());
    // Every key of the first experiment and some of the second are in the store.
    const stored = new Set<string>();
    const first = new DesignTrials(designs[0]!);
    for (let at = 0; at < first.length; at += 1) stored.add(trialKey(first.at(at)));
    const second = new DesignTrials(designs[1]!);
    for (let at = 0; at < second.length; at += 3) stored.add(trialKey(second.at(at)));
    for (const held of [new Set<string>(), stored]) {
      for (const shard of [
        undefined,
        { index: 0, count: 1 },
        { index: 1, count: 3 },
        { index: 2, count: 3 },
      ]) {
        const plan = planCampaign(doc, '/', held, shard);
        const expected = reference(doc, held, shard);
        expect([...plan.toRun]).toEqual(expected.toRun);
        expect(plan.missing).toBe(expected.missing);
        expect(plan.stored).toBe(expected.held);
      }
    }
    // Shared points run once: fewer trials than the designs hold.
    expect(all.missing).toBeLessThan(planCampaign(doc, '/', new Set()).total);
  });
});
