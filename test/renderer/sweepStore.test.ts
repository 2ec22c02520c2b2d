import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrialProgress } from '../../src/engine/experiment/trial';
import { installHost } from '../../src/renderer/src/host/currentHost';
import { useResultsStore } from '../../src/renderer/src/stores/results';
import { LIVE_STORE_LABEL, UNSTORED_LABEL } from '../../src/renderer/src/stores/live/liveResults';
import { MAX_RATE_POINTS, MAX_UNLISTED_ROWS, useSweepStore } from '../../src/renderer/src/stores/sweep';
import { FakeHost, okResult, smallDesign } from './fakeHost';

const progress = (
  simulatedSeconds: number,
  bytesFault: number,
  bytesOther: number,
  referencesDone = 0,
  phase: TrialProgress['phase'] = 'executing',
): TrialProgress => ({
  simulatedSeconds,
  referencesDone,
  referencesTotal: 100,
  phase,
  bytesFault,
  bytesOther,
});

describe('sweep store', () => {
  let host: FakeHost;

  beforeEach(() => {
    setActivePinia(createPinia());
    host = new FakeHost();
    installHost(host);
  });
  afterEach(() => vi.useRealTimers());

  it('lists the trials of a started sweep as queued', async () => {
    const sweep = useSweepStore();
    expect(await sweep.start(smallDesign())).toBe(true);
    expect(host.startSweep).toHaveBeenCalledOnce();
    expect(sweep.sweepId).toBe('sweep-1');
    expect(sweep.phase).toBe('running');
    expect(sweep.total).toBe(6);
    expect(sweep.queued).toBe(6);
    expect(sweep.trials.map((row) => row.id)).toContain('Chess/pure-iou/pf1');
  });

  it('follows a sweep too large to list: rows as trials start, counts over every trial', async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    host.startSweep.mockResolvedValueOnce({ sweepId: 'sweep-1', trialCount: 1_000_000, trials: [] });
    await sweep.start(smallDesign());
    expect(sweep.total).toBe(1_000_000);
    expect(sweep.queued).toBe(1_000_000);
    expect(sweep.trials).toEqual([]);
    const id = 'Minprog/pure-iou/pf3/r7';
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
    expect(sweep.row(id)).toMatchObject({
      workload: 'Minprog',
      strategy: 'pure-iou',
      prefetch: 3,
      replication: 7,
    });
    expect(sweep.running).toBe(1);
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: {
        ...okResult(id, 'Minprog', 'pure-iou', 3),
        series: { binSeconds: 1, fault: [1], other: [2] },
      },
    });
    expect(sweep.done).toBe(1);
    // No trial is kept (a million would not fit): they feed a live summary the charts draw.
    expect(results.results).toEqual([]);
    expect(results.summary).toMatchObject({ trials: 1, failed: 0, store: LIVE_STORE_LABEL });
    expect(results.summary!.points).toMatchObject([{ workload: 'Minprog', prefetch: 3, n: 1 }]);
    sweep.handleEvent({ type: 'sweep-finished', sweepId: 'sweep-1', done: 1, failed: 0, cancelled: true });
    // Without the host's summary (its store could not be used) the live one stays, named so.
    expect(results.summary).toMatchObject({ trials: 1, store: UNSTORED_LABEL });
    expect(sweep.cancelled).toBe(999_999);
    expect(sweep.queued).toBe(0);
    expect(sweep.phase).toBe('cancelled');
  });

  it('holds no trial of a large sweep however many finish: rows bounded, the summary counts them', async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    host.startSweep.mockResolvedValueOnce({ sweepId: 'sweep-1', trialCount: 1_000_000, trials: [] });
    await sweep.start(smallDesign());
    const finished = 3 * MAX_UNLISTED_ROWS;
    for (let at = 0; at < finished; at += 1) {
      const id = `Minprog/pure-iou/pf${at % 10}/r${Math.floor(at / 10)}`;
      sweep.receive({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
      sweep.receive({
        type: 'trial-finished',
        sweepId: 'sweep-1',
        result: okResult(id, 'Minprog', 'pure-iou', at % 10),
      });
      // Batches apply every 100 ms or so.
      if (at % 100 === 99) sweep.flushEvents();
    }
    sweep.flushEvents();
    expect(sweep.done).toBe(finished);
    expect(sweep.trials.length).toBeLessThanOrEqual(2 * MAX_UNLISTED_ROWS);
    expect(results.results).toEqual([]);
    // The live summary is handed over at most twice a second: it may lag the last batches.
    expect(results.summary!.trials).toBeGreaterThan(0);
    expect(results.summary!.trials).toBeLessThanOrEqual(finished);
    expect(results.summary!.points).toHaveLength(10);
    // At the end the host's summary, from its store, replaces the live one.
    const fromStore = { ...results.summary!, trials: finished, store: 'study.results.duckdb' };
    sweep.receive({
      type: 'sweep-finished',
      sweepId: 'sweep-1',
      done: finished,
      failed: 0,
      cancelled: true,
      summary: fromStore,
    });
    expect(results.summary).toBe(fromStore);
    expect(sweep.cancelled).toBe(1_000_000 - finished);
    expect(sweep.queued).toBe(0);
    expect(sweep.phase).toBe('cancelled');
  });

  it("counts a large sweep's retried trial once in its live summary: the retry replaces its failure", async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    host.startSweep.mockResolvedValueOnce({ sweepId: 'sweep-1', trialCount: 1_000_000, trials: [] });
    await sweep.start(smallDesign());
    const failing = 'Minprog/pure-iou/pf3/r0';
    const other = 'Minprog/pure-iou/pf3/r1';
    for (const id of [failing, other])
      sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: { ...okResult(failing, 'Minprog', 'pure-iou', 3), ok: false, error: 'boom' },
    });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: okResult(other, 'Minprog', 'pure-iou', 3),
    });
    expect(results.summary).toMatchObject({ trials: 2, failed: 1 });
    expect(results.summary!.points).toMatchObject([{ n: 1, failed: 1 }]);

    await sweep.retry(failing);
    expect(host.retryTrial).toHaveBeenCalledWith('sweep-1', failing);
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: failing });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: okResult(failing, 'Minprog', 'pure-iou', 3),
    });
    // As the host's summary from its store will: the trial once, with its last result.
    expect(results.summary).toMatchObject({ trials: 2, failed: 0 });
    expect(results.summary!.points).toMatchObject([{ n: 2, failed: 0 }]);
    expect(sweep.done).toBe(2);
    expect(sweep.failed).toBe(0);
  });

  it('keeps a failure counted once in the live summary through retries that fail, are refused or are cancelled', async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    host.startSweep.mockResolvedValueOnce({ sweepId: 'sweep-1', trialCount: 1_000_000, trials: [] });
    await sweep.start(smallDesign());
    const id = 'Minprog/pure-iou/pf3/r0';
    const finish = (error?: string): void => {
      sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
      const result = okResult(id, 'Minprog', 'pure-iou', 3);
      sweep.handleEvent({
        type: 'trial-finished',
        sweepId: 'sweep-1',
        result: error === undefined ? result : { ...result, ok: false, error },
      });
    };
    finish('boom');
    await sweep.retry(id);
    finish('boom again');
    expect(results.summary).toMatchObject({ trials: 1, failed: 1 });
    host.retryTrial.mockRejectedValueOnce(new Error('trial is still running'));
    await sweep.retry(id);
    expect(sweep.row(id)?.status).toBe('failed');
    await sweep.retry(id);
    // A cancelled retry is no result: the store keeps the failure, and so does the summary.
    finish('cancelled');
    expect(sweep.row(id)?.status).toBe('cancelled');
    expect(results.summary).toMatchObject({ trials: 1, failed: 1 });
    await sweep.retry(id);
    finish();
    expect(results.summary).toMatchObject({ trials: 1, failed: 0 });
    expect(results.summary!.points).toMatchObject([{ n: 1, failed: 0 }]);
  });

  it('derives byte rates from successive cumulative progress reports', async () => {
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    const id = 'Minprog/pure-iou/pf0';
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
    expect(sweep.running).toBe(1);
    sweep.handleEvent({
      type: 'trial-progress',
      sweepId: 'sweep-1',
      trialId: id,
      progress: progress(2, 0, 1000),
    });
    // Same instant: no interval, the bytes join the next one.
    sweep.handleEvent({
      type: 'trial-progress',
      sweepId: 'sweep-1',
      trialId: id,
      progress: progress(2, 100, 1000),
    });
    sweep.handleEvent({
      type: 'trial-progress',
      sweepId: 'sweep-1',
      trialId: id,
      progress: progress(4, 500, 1200),
    });
    expect(sweep.row(id)?.points).toEqual([
      { x: 0, fault: 0, other: 0 },
      { x: 2, fault: 0, other: 500 },
      { x: 4, fault: 250, other: 100 },
    ]);
  });

  it('merges old intervals, weighted by time, when a trial reports very often', async () => {
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    const id = 'Chess/pure-copy';
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
    for (let step = 1; step <= MAX_RATE_POINTS + 5; step += 1) {
      sweep.handleEvent({
        type: 'trial-progress',
        sweepId: 'sweep-1',
        trialId: id,
        progress: progress(step, 0, step * 10),
      });
    }
    const points = sweep.row(id)!.points;
    expect(points.length).toBeLessThanOrEqual(MAX_RATE_POINTS);
    expect(points.at(-1)!.x).toBe(MAX_RATE_POINTS + 5);
    for (const point of points.slice(1)) expect(point.other).toBeCloseTo(10);
  });

  it('moves finished trials to the results store, failures with their error', async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    await sweep.start(smallDesign());
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: 'Minprog/pure-copy' });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: okResult('Minprog/pure-copy', 'Minprog', 'pure-copy', 0, { bytesTotal: 5 }),
    });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: {
        ...okResult('Chess/pure-copy', 'Chess', 'pure-copy', 0),
        ok: false,
        error: 'addressing error',
      },
    });
    expect(sweep.done).toBe(1);
    expect(sweep.failed).toBe(1);
    expect(sweep.row('Chess/pure-copy')?.error).toBe('addressing error');
    expect(results.results.map((result) => result.id)).toEqual(['Minprog/pure-copy', 'Chess/pure-copy']);
    expect(results.succeeded).toHaveLength(1);
  });

  it('ignores events of other sweeps and replays those that came before the start reply', async () => {
    const sweep = useSweepStore();
    const starting = sweep.start(smallDesign());
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: 'Minprog/pure-copy' });
    await starting;
    sweep.handleEvent({ type: 'trial-started', sweepId: 'other', trialId: 'Chess/pure-copy' });
    expect(sweep.row('Minprog/pure-copy')?.status).toBe('running');
    expect(sweep.row('Chess/pure-copy')?.status).toBe('queued');
  });

  it('cancels: trials stopped by the cancellation are cancelled, not failed, and the sweep says so', async () => {
    const sweep = useSweepStore();
    const results = useResultsStore();
    await sweep.start(smallDesign());
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: 'Minprog/pure-copy' });
    await sweep.cancel();
    expect(host.cancelSweep).toHaveBeenCalledWith('sweep-1');
    expect(sweep.phase).toBe('cancelling');
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: { ...okResult('Minprog/pure-copy', 'Minprog', 'pure-copy', 0), ok: false, error: 'cancelled' },
    });
    sweep.handleEvent({ type: 'sweep-finished', sweepId: 'sweep-1', done: 0, failed: 0, cancelled: true });
    expect(sweep.phase).toBe('cancelled');
    expect(sweep.cancelled).toBe(6);
    expect(sweep.done).toBeLessThan(sweep.total);
    expect(sweep.isActive).toBe(false);
    expect(results.results).toEqual([]);
  });

  it('retries a failed trial and settles again when it finishes', async () => {
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    const id = 'Chess/pure-iou/pf1';
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: { ...okResult(id, 'Chess', 'pure-iou', 1), ok: false, error: 'boom' },
    });
    for (const row of sweep.trials.filter((trial) => trial.id !== id)) {
      sweep.handleEvent({
        type: 'trial-finished',
        sweepId: 'sweep-1',
        result: okResult(row.id, row.workload, row.strategy, row.prefetch),
      });
    }
    sweep.handleEvent({ type: 'sweep-finished', sweepId: 'sweep-1', done: 5, failed: 1, cancelled: false });
    expect(sweep.phase).toBe('finished');
    expect(sweep.failed).toBe(1);

    await sweep.retry(id);
    expect(host.retryTrial).toHaveBeenCalledWith('sweep-1', id);
    expect(sweep.row(id)?.status).toBe('queued');
    expect(sweep.phase).toBe('running');
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: id });
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: okResult(id, 'Chess', 'pure-iou', 1),
    });
    expect(sweep.row(id)?.status).toBe('done');
    expect(sweep.phase).toBe('finished');
    expect(useResultsStore().results.filter((result) => result.id === id)).toHaveLength(1);
  });

  it('puts a trial back as it was when the host refuses to retry it', async () => {
    const sweep = useSweepStore();
    await sweep.start(smallDesign());
    const id = 'Minprog/pure-copy';
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: { ...okResult(id, 'Minprog', 'pure-copy', 0), ok: false, error: 'boom' },
    });
    host.retryTrial.mockRejectedValueOnce(new Error('trial is still running'));
    await sweep.retry(id);
    expect(sweep.row(id)).toMatchObject({ status: 'failed', error: 'trial is still running' });
  });

  it('estimates the time left from the pace so far, counting running trials by their references', async () => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
    const sweep = useSweepStore();
    await sweep.start(smallDesign()); // 6 trials
    expect(sweep.secondsLeft).toBeNull();
    vi.setSystemTime(10_000);
    sweep.handleEvent({
      type: 'trial-finished',
      sweepId: 'sweep-1',
      result: okResult('Minprog/pure-copy', 'Minprog', 'pure-copy', 0),
    });
    // 1 of 6 in 10 s: 50 s left.
    expect(sweep.secondsLeft).toBeCloseTo(50);
    sweep.handleEvent({ type: 'trial-started', sweepId: 'sweep-1', trialId: 'Chess/pure-copy' });
    vi.setSystemTime(15_000);
    sweep.handleEvent({
      type: 'trial-progress',
      sweepId: 'sweep-1',
      trialId: 'Chess/pure-copy',
      progress: progress(1, 0, 0, 50),
    });
    // 1.5 of 6 in 15 s: 45 s left.
    expect(sweep.secondsLeft).toBeCloseTo(45);
    expect(sweep.fractionDone).toBeCloseTo(0.25);
  });

  it('reports a sweep the host refuses to start', async () => {
    host.startSweep.mockRejectedValueOnce(
      new Error('experiment "x" cannot run: choose at least one workload'),
    );
    const sweep = useSweepStore();
    expect(await sweep.start(smallDesign())).toBe(false);
    expect(sweep.phase).toBe('idle');
    expect(sweep.error).toMatch(/cannot run/);
  });
});
