import { describe, expect, it } from 'vitest';
import { figureConfig, figureData } from '../../src/shared/figures/charts';
import {
  completeness,
  entryPartial,
  markPartial,
  partialOf,
  partialText,
} from '../../src/shared/figures/partial';
import { TRIAL_CANCELLED } from '../../src/shared/hostApi';
import { smallDesign } from '../helpers/designs';
import { madeUpResult } from '../helpers/trials';

// smallDesign: Minprog x (pure-copy at prefetch 0 and pure-IOU at 0 and 1) = 3 trials a repetition.
const design = smallDesign({ repetitions: 4 });
const ok = (replication: number) =>
  madeUpResult({ strategy: 'pure-iou', replication, metrics: { bytesTotal: 1000 + replication } });

describe('partial experiments', () => {
  it('counts the trials with a result against the design; cancelled ones have none', () => {
    const cancelled = { ...madeUpResult({ strategy: 'pure-copy', replication: 0, metrics: {}, ok: false }) };
    cancelled.error = TRIAL_CANCELLED;
    const failed = { ...madeUpResult({ strategy: 'pure-copy', replication: 1, metrics: {}, ok: false }) };
    failed.error = 'worker crashed';
    const results = [ok(0), ok(1), ok(2), cancelled, failed];
    const total = completeness(design, []).total;
    expect(completeness(design, results)).toEqual({ done: 4, total });
    expect(partialOf(design, results)).toEqual({ done: 4, total });
    expect(partialText({ done: 4, total: 12_000 })).toBe('partial: 4 of 12,000 trials');
    // Nothing ran yet, or everything did: not partial.
    expect(partialOf(design, [])).toBeNull();
    const whole = Array.from({ length: total }, (_, at) => ok(at));
    expect(partialOf(design, whole)).toBeNull();
  });

  it('judges an experiment against the design it ran with, not the design as edited since', () => {
    const ran = smallDesign({ repetitions: 2 });
    const whole = Array.from({ length: completeness(ran, []).total }, (_, at) => ok(at));
    // Repetitions raised from 2 to 4 after the run: the old results are not partial...
    const raised = smallDesign({ repetitions: 4 });
    expect(partialOf(raised, whole)).not.toBeNull();
    const entry = { design: raised, results: whole, trialCount: whole.length };
    expect(entryPartial(entry)).toBeNull();
    // ...and a run cancelled half way is, against what it ran with.
    expect(entryPartial({ ...entry, results: whole.slice(0, 3) })).toEqual({ done: 3, total: whole.length });
    // Without a recorded count, the design as it stands.
    expect(entryPartial({ design: ran, results: whole.slice(0, 3) })).toEqual({ done: 3, total: 6 });
  });

  it('marks a figure of a partial experiment, in its subtitle as drawn and exported', () => {
    const results = [ok(0), ok(1)];
    const data = figureData({ kind: 'bytes' }, results);
    const partial = partialOf(design, results);
    const marked = markPartial(data, partial);
    expect(marked.subtitle.startsWith(`partial: 2 of ${partial!.total} trials · `)).toBe(true);
    expect(marked.subtitle.endsWith(data.subtitle)).toBe(true);
    const config = figureConfig(marked, { responsive: false }) as {
      options: { plugins: { subtitle: { text: string | string[] } } };
    };
    expect(String(config.options.plugins.subtitle.text)).toContain(`partial: 2 of ${partial!.total} trials`);
    expect(markPartial(data, null)).toBe(data);
  });
});
