import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import {
  chooseOnly,
  chromiumFor,
  launchChromium,
  startWebAdapter,
  stopWebAdapter,
} from '../test/helpers/webApp';

/**
 * The renderer under load: the web adapter (out/main/web.js, built by `npm run build`) in
 * headless Chromium, running a 1,000-trial sweep designed through the UI. Frame times come from a
 * requestAnimationFrame loop in the page; chart updates from counting the clearRect calls Chart.js
 * makes on each chart canvas when it redraws (animations are off, so one redraw is one update).
 * Nothing in src/renderer is changed for this: the counting is an init script of the benchmark.
 */

export interface RendererFigure {
  trials: number;
  /** Seconds measured: from the sweep's start to its end (or the cap). */
  seconds: number;
  frames: number;
  frameP50Ms: number;
  frameP95Ms: number;
  frameMaxMs: number;
  /** Redraws of all chart canvases (`.figure-chart`, or `.chart-canvas` before it) per second. */
  chartUpdatesPerSecond: number;
  /** Redraws of the live byte-rate chart per second. */
  byteRateUpdatesPerSecond: number;
  finished: boolean;
  trialsDone: number;
}

export interface RendererOptions {
  root: string;
  chromium?: string;
  /** Repetitions of the 10-trial design point set (100 gives 1,000 trials). */
  repetitions?: number;
  workers?: number;
  /** Stop measuring after this many seconds even if the sweep still runs. */
  capSeconds?: number;
  /** Record the page's JavaScript CPU profile during the sweep and write it here (.cpuprofile). */
  cpuProfile?: string;
}

/** Installed before the app loads: counts chart redraws per canvas. */
const COUNT_REDRAWS = `
(() => {
  const counts = { all: 0, byteRate: 0 };
  window.__benchRedraws = counts;
  const clear = CanvasRenderingContext2D.prototype.clearRect;
  CanvasRenderingContext2D.prototype.clearRect = function (x, y, w, h) {
    const canvas = this.canvas;
    if (canvas && canvas.width === w && canvas.height === h && canvas.closest && canvas.closest('.figure-chart, .chart-canvas')) {
      counts.all += 1;
      if (canvas.closest('.byte-rate')) counts.byteRate += 1;
    }
    return clear.call(this, x, y, w, h);
  };
})();
`;

/** Frame times: every requestAnimationFrame callback's distance from the previous one. */
const START_FRAMES = `
(() => {
  window.__benchFrames = [];
  window.__benchStop = false;
  let last = performance.now();
  const tick = (now) => {
    window.__benchFrames.push(now - last);
    last = now;
    if (!window.__benchStop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()
`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function rendererFigure(options: RendererOptions): Promise<RendererFigure> {
  const root = options.root;
  const executablePath = chromiumFor(root, options.chromium);
  const repetitions = options.repetitions ?? 100;
  const capSeconds = options.capSeconds ?? 120;
  const scratch = mkdtempSync(join(tmpdir(), 'accent-bench-renderer-'));
  let child: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  try {
    const started = await startWebAdapter(root, scratch, options.workers ?? 2);
    child = started.child;
    context = await launchChromium(executablePath, scratch);
    await context.addInitScript({ content: COUNT_REDRAWS });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(started.url);
    // A new, empty notebook may start on a welcome screen: go on to a new notebook's designer.
    const designer = page.locator('[data-workload="Minprog"]');
    const welcome = page.getByTestId('welcome-new');
    await designer.or(welcome).first().waitFor({ timeout: 30_000 });
    if (await welcome.isVisible()) await welcome.click();
    await designer.waitFor();
    // 2 workloads x (pure-copy + pure-IOU and resident set at prefetch 0 and 1) = 10 per repetition.
    await chooseOnly(page, 'data-workload', ['Minprog', 'Chess']);
    await chooseOnly(page, 'data-strategy', ['pure-copy', 'pure-iou', 'resident-set']);
    await chooseOnly(page, 'data-prefetch', ['0', '1']);
    await page.getByTestId('repetitions').fill(String(repetitions));
    const trials = Number((await page.getByTestId('trial-count').textContent())?.replace(/,/g, ''));
    if (trials !== 10 * repetitions)
      throw new Error(`the design shows ${trials} trials, not ${10 * repetitions}`);

    // Frame times: every rAF callback's distance from the previous one.
    await page.evaluate(START_FRAMES);
    const redraws = (): Promise<{ all: number; byteRate: number }> => page.evaluate('window.__benchRedraws');
    await page.getByTestId('run-design').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Running' }).waitFor({ timeout: 30_000 });
    const profiler = options.cpuProfile ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    const first = await redraws();
    await page.evaluate('window.__benchFrames.length = 0');
    const t0 = performance.now();
    let finished = false;
    try {
      await page
        .getByTestId('sweep-status')
        .filter({ hasText: 'Finished' })
        .waitFor({ timeout: capSeconds * 1000 });
      finished = true;
    } catch {
      finished = false;
    }
    const seconds = (performance.now() - t0) / 1000;
    const last = await redraws();
    if (profiler && options.cpuProfile) {
      const { profile } = await profiler.send('Profiler.stop');
      writeFileSync(options.cpuProfile, JSON.stringify(profile));
    }
    const frames: number[] = await page.evaluate('window.__benchStop = true, window.__benchFrames.slice(1)');
    const trialsDone = Number((await page.getByTestId('count-done').textContent())?.replace(/,/g, ''));
    if (!finished) await page.getByTestId('cancel-sweep').click();
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      trials,
      seconds,
      frames: frames.length,
      frameP50Ms: percentile(sorted, 0.5),
      frameP95Ms: percentile(sorted, 0.95),
      frameMaxMs: sorted[sorted.length - 1] ?? NaN,
      chartUpdatesPerSecond: (last.all - first.all) / seconds,
      byteRateUpdatesPerSecond: (last.byteRate - first.byteRate) / seconds,
      finished,
      trialsDone,
    };
  } finally {
    await context?.close().catch(() => {});
    await stopWebAdapter(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}
