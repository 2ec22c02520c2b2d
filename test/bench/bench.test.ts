import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundLoop,
  chessLike,
  engineFigure,
  generateLongWorkload,
  kernelEventsPerSecond,
  pasmacLike,
} from '../../bench/engine';
import { notebookBytes, REPRODUCTION_NOTEBOOK, sweepMemory } from '../../bench/host';
import { measureSpace, sparse64GiBSpec } from '../../bench/memory';
import { buildWorker, TRIAL_WORKER } from '../helpers/buildWorker';
import type { BuiltWorker } from '../helpers/buildWorker';

// The benchmark's cheap parts at tiny sizes: the code paths work; no timing is asserted.
describe('bench', () => {
  let worker: BuiltWorker;
  beforeAll(async () => {
    worker = await buildWorker(TRIAL_WORKER);
  });
  afterAll(async () => {
    await worker?.dispose();
  });

  it('counts kernel events', () => {
    const kernel = kernelEventsPerSecond(3, 10);
    // Each process: a start event, 10 timeouts, its own end.
    expect(kernel.events).toBe(3 * 12);
    expect(kernel.perSecond).toBeGreaterThan(0);
  });

  it('runs a long trial and the bound over the same reference string', () => {
    const size = { realPages: 256, rereferencesPerPage: 20 };
    for (const workload of [chessLike(size), pasmacLike(size)]) {
      const figure = engineFigure(generateLongWorkload(workload), 'resident-set', 1, 1, 1);
      expect(figure.references).toBeGreaterThan(1_000);
      expect(figure.refsPerSecond).toBeGreaterThan(0);
      expect(figure.ratio).toBeGreaterThan(0);
    }
    expect(boundLoop(Int32Array.from([0, 1, 2, 1]), Uint8Array.from([0, 1, 0]))).toBe(2);
  });

  it('measures an address space from its ranges and touched pages', () => {
    const spec = sparse64GiBSpec(64 * 1024 * 1024, 1024 * 1024);
    const figure = measureSpace('small', spec, 4096, 100);
    expect(figure.pages).toBe(16_384);
    expect(figure.ranges).toBeGreaterThan(0);
    expect(figure.realPages).toBe(256 + 100);
    expect(Number.isFinite(figure.heapMB)).toBe(true);
  });

  it('reports the notebook size, or null when it is not built yet', () => {
    const root = mkdtempSync(join(tmpdir(), 'accent-bench-test-'));
    try {
      expect(notebookBytes(root)).toEqual({ bytes: null, note: 'notebook not built yet' });
      mkdirSync(join(root, 'resources/notebooks'), { recursive: true });
      writeFileSync(join(root, REPRODUCTION_NOTEBOOK), '{"x":1}');
      expect(notebookBytes(root)).toEqual({ bytes: 7 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('runs a short sweep through the SweepService and samples its memory', async () => {
    const sweep = await sweepMemory(6, 1, worker.file);
    expect(sweep.trials).toBe(6);
    expect(sweep.ok).toBe(6);
    expect(sweep.peakRssMB).toBeGreaterThan(0);
  }, 60_000);
});
