import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRIAL_METRIC_NAMES } from '../../src/engine/experiment/trial';
import type { TrialMetrics, TrialResult } from '../../src/engine/experiment/trial';
import { KEYS_PER_QUERY, ResultsStore } from '../../src/node/resultsStore';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-store-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function result(at: number): TrialResult {
  const metrics = Object.fromEntries(
    TRIAL_METRIC_NAMES.map((name, k) => [name, at + k]),
  ) as unknown as TrialMetrics;
  return {
    id: `t${at}`,
    workload: 'Minprog',
    strategy: 'pure-iou',
    prefetch: at % 7,
    hardware: 'PERQ',
    seed: at,
    replication: Math.floor(at / 7),
    ok: true,
    metrics,
  };
}

describe('ResultsStore.trialsByKeys', () => {
  it('gives the stored trials in the keys’ order over more keys than one query joins', async () => {
    const stored = KEYS_PER_QUERY + 500;
    const store = await ResultsStore.open(join(dir, 'keys.results.duckdb'));
    try {
      for (let at = 0; at < stored; at += 1) await store.append(`key-${at}`, 'e', at, result(at));
      // Asked in reverse order, with a key the store lacks every 1,000 (left out).
      const asked = stored + 20;
      const keyOf = (n: number): string => (n % 1000 === 999 ? `missing-${n}` : `key-${asked - 1 - n}`);
      const got: { index: number; id: string }[] = [];
      let chunks = 0;
      for await (const chunk of store.trialsByKeys(asked, keyOf)) {
        chunks += 1;
        for (const row of chunk) got.push({ index: row.index, id: row.result.id });
      }
      const expected: { index: number; id: string }[] = [];
      for (let n = 0; n < asked; n += 1) {
        const at = asked - 1 - n;
        if (n % 1000 !== 999 && at < stored) expected.push({ index: n, id: `t${at}` });
      }
      expect(got).toEqual(expected);
      expect(chunks).toBeGreaterThan(1);
    } finally {
      await store.close();
    }
  });
});

describe('ResultsStore.okAmong', () => {
  it('finds which keys the store holds as ok trials, chunk by chunk, without loading every key', async () => {
    const stored = KEYS_PER_QUERY + 300;
    const store = await ResultsStore.open(join(dir, 'held.results.duckdb'));
    try {
      // Every third trial failed: a failed one is not held (it runs again).
      for (let at = 0; at < stored; at += 1) {
        const trial = result(at);
        await store.append(`key-${at}`, 'e', at, at % 3 === 2 ? { ...trial, ok: false, error: 'x' } : trial);
      }
      expect(await store.okCount()).toBe(stored - Math.floor(stored / 3));
      // Asked in another order, with keys the store lacks.
      const asked = stored + 50;
      const keyOf = (n: number): string => (n % 5 === 4 ? `missing-${n}` : `key-${(n * 7) % asked}`);
      const found: number[] = [];
      let chunks = 0;
      for await (const held of store.okAmong(asked, keyOf)) {
        chunks += 1;
        found.push(...held);
      }
      const expected: number[] = [];
      for (let n = 0; n < asked; n += 1) {
        const at = (n * 7) % asked;
        if (n % 5 !== 4 && at < stored && at % 3 !== 2) expected.push(n);
      }
      expect(found).toEqual(expected);
      expect(chunks).toBe(Math.ceil(asked / KEYS_PER_QUERY));
    } finally {
      await store.close();
    }
  });
});
