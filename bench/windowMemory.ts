import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { MAX_REPETITIONS } from '../src/engine/experiment/designSpace';
import { PAPER_PREFETCH_VALUES } from '../src/engine/model/migration';
import {
  chooseOnly,
  chromiumFor,
  launchChromium,
  startWebAdapter,
  stopWebAdapter,
} from '../test/helpers/webApp';

/**
 * The window's memory during a large sweep (issue 17): the web adapter (out/main/web.js) in
 * headless Chromium, a sweep of `trials` short trials designed and run through the UI (more than
 * 10,000: the window lists trials as they start and feeds a live summary instead of keeping
 * them). Every `intervalMs` the page's JavaScript heap is read through the DevTools protocol
 * (Performance.getMetrics: JSHeapUsedSize, JSHeapTotalSize) and the RSS of Chromium's renderer
 * processes of this profile from /proc (VmRSS; the largest is the page's, the others are spare
 * renderers); the trials done come from the Run tab's count. At the end the heap is read again
 * after a forced garbage collection (HeapProfiler.collectGarbage).
 */

const MB = 1024 * 1024;

export interface WindowMemorySample {
  seconds: number;
  trialsDone: number;
  heapUsedMB: number;
  heapTotalMB: number;
  rendererRssMB: number;
}

export interface WindowMemoryFigure {
  trials: number;
  workers: number;
  seconds: number;
  finished: boolean;
  trialsDone: number;
  /** Before the sweep (the designer showing the design). */
  before: WindowMemorySample;
  /** The largest JS heap used, and the largest renderer RSS, over the samples. */
  peakHeapUsedMB: number;
  peakRendererRssMB: number;
  /** The renderer's VmHWM at the end (its peak RSS over the page's life). */
  rendererHwmMB: number;
  /** After the sweep, and after a forced GC. */
  after: WindowMemorySample;
  afterGcHeapUsedMB: number;
  samples: WindowMemorySample[];
}

export interface WindowMemoryOptions {
  root: string;
  chromium?: string;
  /** Trials (a multiple of 5: Minprog x pure-copy, pure-IOU and resident set at prefetch 0 and 1). */
  trials?: number;
  workers?: number;
  intervalMs?: number;
  capSeconds?: number;
  log?: (line: string) => void;
}

/** VmRSS and VmHWM (bytes) of Chromium's renderer processes started with this profile. */
function rendererMemory(profile: string): { rss: number; hwm: number }[] {
  const found: { rss: number; hwm: number }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=renderer') || !cmdline.includes(profile)) continue;
      const status = readFileSync(`/proc/${name}/status`, 'utf8');
      const kb = (field: string): number =>
        Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
      found.push({ rss: kb('VmRSS'), hwm: kb('VmHWM') });
    } catch {
      // The process ended meanwhile.
    }
  }
  return found;
}

export async function windowMemoryFigure(options: WindowMemoryOptions): Promise<WindowMemoryFigure> {
  const root = options.root;
  const executablePath = chromiumFor(root, options.chromium);
  // Minprog x (pure-copy + pure-IOU and resident set at each prefetch value): 5 trials a
  // repetition at prefetch 0 and 1; 11 at all five values of the paper where 5 would need more
  // repetitions than a design may have (MAX_REPETITIONS).
  const wanted = options.trials ?? 30_000;
  const prefetchValues = wanted / 5 <= MAX_REPETITIONS ? ['0', '1'] : PAPER_PREFETCH_VALUES.map(String);
  const perRepetition = 1 + 2 * prefetchValues.length;
  const repetitions = Math.ceil(wanted / perRepetition);
  const trials = repetitions * perRepetition;
  const workers = options.workers ?? 2;
  const intervalMs = options.intervalMs ?? 2_000;
  const capSeconds = options.capSeconds ?? 1_800;
  const log = options.log ?? (() => undefined);
  const scratch = mkdtempSync(join(tmpdir(), 'accent-bench-window-'));
  const profile = join(scratch, 'profile');
  let child: ChildProcess | null = null;
  let context: BrowserContext | null = null;
  try {
    const started = await startWebAdapter(root, scratch, workers);
    child = started.child;
    context = await launchChromium(executablePath, scratch);
    const page = context.pages()[0] ?? (await context.newPage());
    // A design over LARGE_DESIGN_TRIALS asks to confirm (window.confirm): say yes, as the user would.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(started.url);
    const designer = page.locator('[data-workload="Minprog"]');
    const welcome = page.getByTestId('welcome-new');
    await designer.or(welcome).first().waitFor({ timeout: 30_000 });
    if (await welcome.isVisible()) await welcome.click();
    await designer.waitFor();
    await chooseOnly(page, 'data-workload', ['Minprog']);
    await chooseOnly(page, 'data-strategy', ['pure-copy', 'pure-iou', 'resident-set']);
    await chooseOnly(page, 'data-prefetch', prefetchValues);
    await page.getByTestId('repetitions').fill(String(repetitions));
    const shown = Number((await page.getByTestId('trial-count').textContent())?.replace(/,/g, ''));
    if (shown !== trials) throw new Error(`the design shows ${shown} trials, not ${trials}`);

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const t0 = performance.now();
    const sample = async (): Promise<WindowMemorySample> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string): number => metrics.find((found) => found.name === name)?.value ?? NaN;
      const renderers = rendererMemory(profile);
      const done = await page
        .getByTestId('count-done')
        .textContent({ timeout: 1_000 })
        .catch(() => null);
      return {
        seconds: (performance.now() - t0) / 1000,
        trialsDone: done === null ? 0 : Number(done.replace(/,/g, '')),
        heapUsedMB: metric('JSHeapUsedSize') / MB,
        heapTotalMB: metric('JSHeapTotalSize') / MB,
        rendererRssMB: Math.max(0, ...renderers.map((found) => found.rss)) / MB,
      };
    };
    const before = await sample();
    const samples: WindowMemorySample[] = [];
    await page.getByTestId('run-design').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Running' }).waitFor({ timeout: 60_000 });
    const started0 = performance.now();
    let finished = false;
    for (;;) {
      const now = await sample();
      samples.push(now);
      log(
        `window: ${now.seconds.toFixed(0)} s, ${now.trialsDone} done, heap ${now.heapUsedMB.toFixed(1)} MB, renderer RSS ${now.rendererRssMB.toFixed(1)} MB`,
      );
      if (
        await page
          .getByTestId('sweep-status')
          .filter({ hasText: 'Finished' })
          .isVisible()
          .catch(() => false)
      ) {
        finished = true;
        break;
      }
      if ((performance.now() - started0) / 1000 > capSeconds) break;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
    const seconds = (performance.now() - started0) / 1000;
    const after = await sample();
    samples.push(after);
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const afterGc = await sample();
    const hwm = Math.max(0, ...rendererMemory(profile).map((found) => found.hwm)) / MB;
    if (!finished) await page.getByTestId('cancel-sweep').click();
    return {
      trials,
      workers,
      seconds,
      finished,
      trialsDone: after.trialsDone,
      before,
      peakHeapUsedMB: Math.max(...samples.map((found) => found.heapUsedMB)),
      peakRendererRssMB: Math.max(...samples.map((found) => found.rendererRssMB)),
      rendererHwmMB: hwm,
      after,
      afterGcHeapUsedMB: afterGc.heapUsedMB,
      samples,
    };
  } finally {
    await context?.close().catch(() => {});
    await stopWebAdapter(child);
    rmSync(scratch, { recursive: true, force: true });
  }
}
