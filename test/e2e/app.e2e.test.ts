import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOAD_FIELD_BOUNDS } from '../../src/engine/workloads/bounds';
import {
  chooseOnly as chooseBoxes,
  launchChromium,
  startWebAdapter,
  stopWebAdapter,
} from '../helpers/webApp';

const root = resolve(import.meta.dirname, '../..');
const screenshots = join(root, 'test-output/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let server: ChildProcess | null = null;
let context: BrowserContext | null = null;
let page: Page;
let scratch: string;
let serverUrl = '';
/** Console messages about the Content-Security-Policy (a blocked style, script, form, …). */
const cspReports: string[] = [];

/** Start the web adapter and read the address it prints. */
async function startServer(): Promise<string> {
  const started = await startWebAdapter(root, scratch, 2);
  server = started.child;
  serverUrl = started.url;
  return started.url;
}

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(screenshots, `${name}.png`) });

/** What colouredPixels uses of a canvas (this file is checked without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** Non-transparent pixels of the canvas in `selector` that are neither white nor a grey of the axes. */
function colouredPixels(selector: string): Promise<number> {
  return page.$eval(selector, (element) => {
    const canvas = element as unknown as CanvasLike;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let count = 0;
    for (let at = 0; at < data.length; at += 4) {
      const [r, g, b, a] = [data[at]!, data[at + 1]!, data[at + 2]!, data[at + 3]!];
      if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) count += 1;
    }
    return count;
  });
}

const text = async (testId: string): Promise<string> =>
  (await page.getByTestId(testId).textContent())?.trim() ?? '';
const count = async (testId: string): Promise<number> => Number(await text(testId));
const byteRateCanvas = '.byte-rate canvas';
const byteRatePoints = async (): Promise<number> =>
  Number(await page.locator('.byte-rate .chart-canvas').getAttribute('data-points'));

/** Width and height from a PNG's header. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

async function chooseOnly(attribute: string, values: string[], on: Page = page): Promise<void> {
  await chooseBoxes(on, attribute, values);
}

describe('Accent Migration Lab in Chromium, against the web adapter', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt install chromium)`);
    // Build the renderer and the web adapter, so the test never runs a stale bundle.
    const build = spawnSync(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (build.status !== 0) throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
    mkdirSync(screenshots, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), 'accent-lab-e2e-'));
    const url = await startServer();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=\w+$/);
    context = await launchChromium(CHROMIUM, scratch);
    // Anything the Content-Security-Policy blocks, in any tab, is reported on the console.
    context.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) cspReports.push(message.text());
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(url);
    // A new, empty notebook starts on the welcome screen.
    await page.getByTestId('welcome-reproduce').waitFor();
    await shot('00-welcome');
    await page.getByTestId('welcome-new').click();
    await page.locator('[data-workload="Minprog"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await stopWebAdapter(server);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('keeps the token out of the address bar, the tab’s history and the page; a reload still connects', async () => {
    // Issue 14, finding 8: the printed address is exchanged for an HttpOnly cookie and a redirect.
    const printed = new URL(serverUrl);
    const token = printed.searchParams.get('token')!;
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const home = `${printed.origin}/`;
    const cdp = await context!.newCDPSession(page);
    const tabHistory = async (): Promise<string[]> =>
      (await cdp.send('Page.getNavigationHistory')).entries.map((entry) => entry.url);
    const visibleToPage = (): Promise<string> =>
      page.evaluate(
        () =>
          `${location.href} ${document.cookie} ${document.referrer} ${JSON.stringify({ ...sessionStorage })} ` +
          JSON.stringify({ ...localStorage }),
      );
    expect(page.url()).toBe(home);
    expect(await tabHistory()).toContain(home);
    expect((await tabHistory()).filter((url) => url.includes(token) || url.includes('token='))).toEqual([]);
    expect(await visibleToPage()).not.toContain(token);
    // A reload is allowed by the cookie, and the page's socket too (the catalog comes over it).
    const reloaded = await page.reload();
    expect(reloaded?.status()).toBe(200);
    expect(page.url()).toBe(home);
    await page.getByTestId('welcome-new').click();
    await page.locator('[data-workload="Minprog"]').waitFor();
    expect((await tabHistory()).filter((url) => url.includes(token) || url.includes('token='))).toEqual([]);
    expect(await visibleToPage()).not.toContain(token);
    await cdp.detach();
  });

  it('shows the designer with the catalog, and its tabs work from the keyboard', async () => {
    await expect(page.title()).resolves.toContain('Accent Migration Lab');
    expect(await page.locator('input[data-workload]').count()).toBe(7);
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('0');
    expect(await page.getByTestId('run-design').isDisabled()).toBe(true);
    await page.locator('#tab-design').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.locator('#tab-run').getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.locator('#tab-run:focus').count()).resolves.toBe(1);
    await page.keyboard.press('ArrowLeft');
    await expect(page.locator('#tab-design').getAttribute('aria-selected')).resolves.toBe('true');
    await shot('01-designer-empty');
  });

  it('refuses what a design cannot run, naming and marking the field at fault', async () => {
    await chooseOnly('data-workload', ['Minprog']);
    await page.getByTestId('repetitions').fill('-3');
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('0');
    await page.getByTestId('repetitions').fill('2.5');
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('0');
    await page.getByTestId('seed').fill('12345678901234567890');
    const bandwidth = page.locator('input[name="network.bitsPerSecond"]');
    await bandwidth.fill('1e30');
    await bandwidth.press('Tab');
    await expect(bandwidth.getAttribute('aria-invalid')).resolves.toBe('true');
    // The input's own bounds come from the engine's parameter table (its one home).
    await expect(bandwidth.getAttribute('max')).resolves.toBe('10000000000000');
    // Every hardware field says what it is, its unit and what in the paper fixed it.
    await expect(
      page.locator('[data-parameter="network.bitsPerSecond"]').getAttribute('title'),
    ).resolves.toMatch(/link speed[\s\S]*Unit: bit\/s[\s\S]*10 Mb\/s Ethernet/);
    await page.getByTestId('other-prefetch').fill('2.5');
    await page.getByTestId('other-prefetch').press('Enter');
    await expect(text('prefetch-problem')).resolves.toMatch(/whole number of pages/);
    await expect(page.locator('input[data-prefetch="2.5"]').count()).resolves.toBe(0);
    const problems = await text('design-problems');
    expect(problems).toContain('Bandwidth (bit/s) must be a number above 0 and at most 10,000,000,000,000');
    expect(problems).toContain('the seed must be a whole number of at most 15 digits');
    expect(problems).toContain('repetitions must be a whole number');
    expect(problems).not.toContain('network.bitsPerSecond');
    await shot('01b-designer-invalid');
    await page.getByRole('button', { name: 'Restore preset values' }).click();
    await page.getByTestId('repetitions').fill('1');
    await page.getByTestId('seed').fill('1987');
    await page.getByTestId('other-prefetch').fill('');
    await expect(page.getByTestId('design-problems').count()).resolves.toBe(0);
  });

  it('runs a small experiment: live chart, comparison charts and a full results table', async () => {
    await chooseOnly('data-workload', ['Minprog', 'Chess']);
    await chooseOnly('data-strategy', ['pure-copy', 'pure-iou']);
    await chooseOnly('data-prefetch', ['0', '1']);
    // 2 workloads x (pure-copy + pure-iou at prefetch 0 and 1)
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('6');
    await expect(page.getByTestId('design-problems').count()).resolves.toBe(0);
    expect(await page.title()).toMatch(/^• /);
    await shot('02-designer-small');

    await page.getByTestId('run-design').click();
    await expect(page.locator('#tab-run').getAttribute('aria-selected')).resolves.toBe('true');
    await page.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
    expect(await count('count-done')).toBe(6);
    expect(await count('count-total')).toBe(6);
    await expect.poll(byteRatePoints).toBeGreaterThan(0);
    // Live charts follow a sweep at a few redraws a second, so they catch up just after it ends.
    await expect.poll(() => colouredPixels(byteRateCanvas)).toBeGreaterThan(50);
    for (const metric of ['bytes', 'message-time', 'end-to-end']) {
      await expect
        .poll(() => colouredPixels(`#panel-run [data-metric="${metric}"] canvas`))
        .toBeGreaterThan(200);
    }
    await shot('03-run-small-finished');

    await page.locator('#tab-results').click();
    const rows = page.locator('[data-testid="results-table"] tbody tr[data-trial]');
    await expect(rows.count()).resolves.toBe(6);
    // Sort by bytes, descending, with the keyboard.
    const bytesHeader = page.locator('button[data-column="bytes"]');
    await bytesHeader.focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect(page.locator('th[aria-sort="descending"] button').getAttribute('data-column')).resolves.toBe(
      'bytes',
    );
    await expect(rows.first().locator('td').nth(1).textContent()).resolves.toContain('pure-copy');
    await shot('04-results-small');

    // The finished sweep is an experiment entry of the notebook, with its charts.
    await page.locator('#tab-notebook').click();
    const experiment = page.locator('#panel-notebook [data-kind="experiment"]');
    await expect(experiment.count()).resolves.toBe(1);
    await expect(experiment.getByTestId('experiment-results').textContent()).resolves.toContain('6 trials');
    await expect
      .poll(() => colouredPixels('#panel-notebook [data-metric="bytes"] canvas'))
      .toBeGreaterThan(200);
    await shot('04b-notebook-small');
  });

  it('saves the notebook to a path asked for in the browser, clearing the unsaved mark', async () => {
    const path = join(scratch, 'small.accentlab');
    await page.getByTestId('save').click();
    // The first save suggests an absolute path (the host's folder); a refused path keeps the dialog open.
    await expect
      .poll(() => page.getByTestId('path-input').inputValue())
      .toMatch(/^\/.*\/Untitled\.accentlab$/);
    await page.getByTestId('path-input').fill('relative.accentlab');
    await page.getByTestId('path-input').press('Enter');
    await expect(text('path-problem')).resolves.toContain('must be absolute');
    await expect(page.getByTestId('path-input').inputValue()).resolves.toBe('relative.accentlab');
    await expect(page.getByTestId('error-banner').count()).resolves.toBe(0);
    await page.getByTestId('path-input').fill(path);
    await shot('05-save-dialog');
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).not.toMatch(/^•/);
    expect(existsSync(path)).toBe(true);
    expect(await page.title()).toBe('small — Accent Migration Lab');
  });

  it('opens the saved notebook again with its results, and saves a chart as PNG', async () => {
    const path = join(scratch, 'small.accentlab');
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(() => page.title()).toBe('Untitled — Accent Migration Lab');
    // A hidden tab catches up when shown (it does not follow every change while hidden).
    await page.locator('#tab-results').click();
    const rows = page.locator('[data-testid="results-table"] tbody tr[data-trial]');
    await expect.poll(() => rows.count()).toBe(0);

    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).toBe('small — Accent Migration Lab');
    await page.locator('#tab-results').click();
    await expect.poll(() => rows.count()).toBe(6);
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('6');

    await page
      .locator('#panel-results')
      .getByRole('button', { name: 'Export Bytes transferred as PNG' })
      .click();
    await page.getByTestId('export-width').fill('500');
    await page.getByTestId('export-height').fill('300');
    await page.getByTestId('export-scale').fill('1');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('bytes-transferred.png');
    expect(pngSize(readFileSync((await saved.path())!))).toEqual({ width: 500, height: 300 });

    // The same figure as vector files for a paper, drawn by the host's renderer.
    await page.getByTestId('export-format').selectOption('svg');
    await expect(page.getByTestId('export-png').textContent()).resolves.toContain('Save SVG');
    const svgDownload = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const svg = await svgDownload;
    expect(svg.suggestedFilename()).toBe('bytes-transferred.svg');
    const svgText = readFileSync((await svg.path())!, 'utf8');
    expect(svgText).toMatch(/<svg [^>]*width="500" height="300"/);
    expect(svgText).toMatch(/<text\b[^>]*>Bytes transferred<\/text>/);
    await page.getByTestId('export-format').selectOption('pdf');
    const pdfDownload = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const pdf = await pdfDownload;
    expect(pdf.suggestedFilename()).toBe('bytes-transferred.pdf');
    const document = await PDFDocument.load(readFileSync((await pdf.path())!));
    expect(document.getPageCount()).toBe(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 500, height: 300 });
    await expect(page.getByTestId('export-dialog').textContent()).resolves.toContain(
      'Saved Bytes transferred: PDF 500 × 300',
    );
    await shot('05b-export-dialog-pdf');
    await page.getByTestId('export-format').selectOption('png');
    await page.getByTestId('export-close').click();
  });

  it('starts a long sweep, draws it live, and cancels it', async () => {
    await page.locator('#tab-design').click();
    await chooseOnly('data-workload', ['Lisp-Del']);
    await chooseOnly('data-strategy', ['pure-copy', 'pure-iou', 'resident-set']);
    await chooseOnly('data-prefetch', ['0', '1', '3', '7', '15']);
    await page.getByTestId('repetitions').fill('5');
    // 5 repetitions x (pure-copy + 2 strategies x 5 prefetch values)
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('55');
    // Before running: an estimate from a short calibration on the host's workers, and its size.
    await page.getByTestId('estimate-design').click();
    await expect
      .poll(() => text('design-estimate'), { timeout: 60_000 })
      .toMatch(
        /^55 trials: about .+ on 2 workers; about .+ of results in the notebook .*calibrated on 4 trials/,
      );
    await shot('06-designer-long');
    // "Run on a cluster…" writes the saved notebook's Slurm bundle and shows the commands.
    await page.getByTestId('run-on-cluster').click();
    await page.getByTestId('cluster-tasks').fill('4');
    await page.getByTestId('cluster-write').click();
    await expect
      .poll(() => text('cluster-commands'), { timeout: 20_000 })
      .toMatch(
        /^ARRAY=\$\(sbatch --parsable .*campaign\.sbatch'\)\nsbatch --parsable --dependency=afterok:\$ARRAY/,
      );
    await shot('06b-run-on-a-cluster');
    await page.getByTestId('cluster-close').click();

    await page.getByTestId('run-design').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Running' }).waitFor();
    await expect.poll(() => count('count-running')).toBeGreaterThan(0);
    // The chart fills in while the trials run...
    await expect.poll(byteRatePoints, { timeout: 60_000 }).toBeGreaterThan(4);
    // ...and keeps changing: new reports, new trials.
    const before = await byteRatePoints();
    await expect.poll(byteRatePoints, { timeout: 20_000 }).not.toBe(before);
    await page.waitForTimeout(500);
    await shot('07-run-long-live');
    expect(await colouredPixels(byteRateCanvas)).toBeGreaterThan(50);
    expect(await text('sweep-status')).toBe('Running');

    // Trials run replication by replication, pure-copy first, and its bars are grey, which
    // colouredPixels does not count: wait for finished trials of the coloured strategies.
    await expect.poll(() => count('count-done'), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('cancel-sweep').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
    const done = await count('count-done');
    expect(done).toBeLessThan(55);
    expect(await count('count-total')).toBe(55);
    expect(await count('count-running')).toBe(0);
    expect(await count('count-cancelled')).toBeGreaterThan(0);
    expect(await page.getByTestId('cancel-sweep').isDisabled()).toBe(true);
    await shot('08-run-long-cancelled');

    await page.locator('#tab-results').click();
    await expect(page.locator('[data-testid="results-table"] tbody tr[data-trial]').count()).resolves.toBe(
      done + (await count('count-failed')),
    );
    // The tab was hidden while the sweep ran: its charts catch up now that it is shown. A chart
    // scrolled far below the fold (the table above grows with the trials) waits until it is near
    // the viewport, so each is scrolled to first, as a reader would.
    for (const metric of ['bytes', 'message-time', 'end-to-end']) {
      await page.locator(`#panel-results [data-metric="${metric}"]`).scrollIntoViewIfNeeded();
      await expect
        .poll(() => colouredPixels(`#panel-results [data-metric="${metric}"] canvas`))
        .toBeGreaterThan(200);
    }
    await shot('09-results-after-cancel');

    // A cancelled sweep is partial, and says so: the Results tab, every chart drawn from it (the
    // canvas's label is the figure's title and subtitle, as its exports draw them) and its card.
    const ran = done + (await count('count-failed'));
    const mark = `partial: ${ran} of 55 trials`;
    expect(await text('results-partial')).toBe(mark);
    for (const metric of ['bytes', 'message-time', 'end-to-end']) {
      const chart = page.locator(`#panel-results [data-metric="${metric}"] .figure-chart`);
      await expect(chart.getAttribute('data-partial')).resolves.toBe(`${ran}/55`);
      await expect(chart.locator('canvas').getAttribute('aria-label')).resolves.toContain(mark);
    }
    await page.locator('#tab-notebook').click();
    const card = page.locator('[data-kind="experiment"]').filter({ has: page.getByTestId('partial-badge') });
    await expect(card.getByTestId('partial-badge').textContent()).resolves.toBe(mark);
    await expect(card.getByTestId('experiment-results').textContent()).resolves.toContain(`(${mark})`);
    await expect(card.locator('.figure-chart[data-partial]').count()).resolves.toBeGreaterThan(0);
    await card.scrollIntoViewIfNeeded();
    await shot('09b-notebook-partial-experiment');

    // Resume runs the partial experiment's missing trials: the ones its results store holds come
    // back from it (the host skips them by key: test/main/sweepService.test.ts), the rest run.
    const entryId = await card.getAttribute('data-entry');
    await card.getByTestId('resume-experiment').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 180_000 });
    expect(await count('count-done')).toBe(55 - (await count('count-failed')));
    // No trial is left cancelled (the count shows only when some are).
    expect(await page.getByTestId('count-cancelled').count()).toBe(0);
    await page.locator('#tab-notebook').click();
    const resumed = page.locator(`[data-kind="experiment"][data-entry="${entryId}"]`);
    await expect(resumed.getByTestId('partial-badge').count()).resolves.toBe(0);
    await expect(resumed.getByTestId('resume-experiment').count()).resolves.toBe(0);
    await expect(resumed.getByTestId('experiment-results').textContent()).resolves.toMatch(/^\s*55 trials/);
    await shot('09c-notebook-resumed-experiment');
  });

  it('adds a custom workload to the design and removes it', async () => {
    await page.locator('#tab-design').click();
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('55');
    await page.getByText('Add a custom workload').click();
    // The inputs' bounds come from the engine's workload table (their one home), sizes in KB.
    const realMemory = page.getByLabel('Real memory (KB)');
    await expect(realMemory.getAttribute('max')).resolves.toBe(
      String(WORKLOAD_FIELD_BOUNDS.realBytes.max / 1024),
    );
    await expect(realMemory.getAttribute('title')).resolves.toBe(
      `Must be a number above 0 and at most ${(WORKLOAD_FIELD_BOUNDS.realBytes.max / 1024).toLocaleString('en-US')} KB`,
    );
    await expect(page.getByLabel('Locality (0–0.95)').getAttribute('max')).resolves.toBe('0.95');
    await page.getByLabel('Name', { exact: true }).fill('Editor');
    await page.getByLabel('Real memory (KB)').fill('256');
    await page.getByLabel('Resident memory (KB)').fill('64');
    await page.getByRole('button', { name: 'Add workload' }).click();
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('110');
    await expect(page.getByTestId('design-problems').count()).resolves.toBe(0);
    await shot('10-designer-custom-workload');
    await page.getByRole('button', { name: 'Remove Editor' }).click();
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('55');
    // A VM-like writer (the dirty-rate kind): its own fields replace touched share and locality.
    await page.getByTestId('custom-workload-kind').selectOption('dirty-rate');
    await expect(page.getByLabel('Locality (0–0.95)').count()).resolves.toBe(0);
    await page.getByLabel('Name', { exact: true }).fill('Writer');
    await page.getByLabel('Working set (KB)').fill('128');
    await page.getByLabel('Dirty rate (KB/s)').fill('32');
    await page.getByRole('button', { name: 'Add workload' }).click();
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('110');
    await expect(page.getByTestId('design-problems').count()).resolves.toBe(0);
    await page.getByLabel('Working set (KB)').fill('1024'); // more than its 512 KB of memory
    await page.getByLabel('Name', { exact: true }).fill('Too big');
    await page.getByRole('button', { name: 'Add workload' }).click();
    await expect(page.getByTestId('design-problems').textContent()).resolves.toContain(
      'workingSetBytes cannot exceed realBytes',
    );
    await page.getByRole('button', { name: 'Remove Too big' }).click();
    await page.getByRole('button', { name: 'Remove Writer' }).click();
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('55');
  });

  it('imports a trace by path, shows its page-reference map, and adds it as a workload', async () => {
    await page.locator('#tab-design').click();
    const before = await count('trial-count');
    const importer = page.getByTestId('trace-import');
    await importer.getByText('Import a trace (Valgrind lackey)').click();
    await page.getByTestId('trace-path').fill(join(scratch, 'no-such.trace'));
    await importer.getByRole('button', { name: 'Read' }).click();
    await expect
      .poll(() => text('trace-error'), { timeout: 10_000 })
      .toMatch(/trace file not found: .*no-such\.trace/);
    await page.getByTestId('trace-path').fill(join(root, 'resources/traces/interpreter.trace.gz'));
    await importer.getByRole('button', { name: 'Read' }).click();
    await page.getByTestId('trace-imported').waitFor();
    expect(await count('trace-pages')).toBeGreaterThan(100);
    await expect.poll(() => colouredPixels('[data-testid="trace-map"]')).toBeGreaterThan(500);
    await shot('10b-designer-trace-map');
    await importer.getByLabel('an instruction').check();
    await importer.getByLabel('Migration point (instruction count)').fill('500000');
    await page.getByTestId('trace-add').click();
    await page.getByTitle(/interpreter\.trace\.gz, migrated at instruction 500000/).waitFor();
    await expect.poll(() => count('trial-count')).toBeGreaterThan(before);
    await expect(page.getByText('(trace ').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Remove interpreter' }).click();
    await expect.poll(() => count('trial-count')).toBe(before);
  });

  it('imports a trace the user uploads: the host stores it and reads it', async () => {
    const importer = page.getByTestId('trace-import');
    await importer
      .getByLabel('Upload a trace file')
      .setInputFiles(join(root, 'resources/traces/interpreter.trace.gz'));
    await expect
      .poll(() => importer.locator('.counts strong').textContent(), { timeout: 20_000 })
      .toMatch(/-interpreter\.trace\.gz$/);
    expect(await count('trace-pages')).toBeGreaterThan(100);
  });

  it("opens the built-in notebook from the welcome screen: the paper's tables and figures, redrawn", async () => {
    // The reload drops the unsaved work (the cancelled sweep): the tab's autosave is offered.
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('recovery-discard').click();
    await expect.poll(() => page.getByTestId('recovery-offer').count()).toBe(0);
    await page.getByTestId('welcome-reproduce').click();
    await expect.poll(() => page.title()).toBe('Reproduce Zayas 1987 — Accent Migration Lab');
    await expect(page.locator('#tab-notebook').getAttribute('aria-selected')).resolves.toBe('true');
    const notebook = page.getByTestId('notebook');
    await notebook.locator('table[data-table="table4_5"]').waitFor();
    for (const id of ['table4_1', 'table4_2', 'table4_3', 'table4_4', 'table4_5']) {
      expect(await notebook.locator(`table[data-table="${id}"] tbody tr`).count()).toBe(7);
    }
    // Each of the paper's tables copies or saves as the CLI writes it: Table 4-4 as Markdown.
    const markdown = page.waitForEvent('download');
    await notebook
      .locator('.table-wrap', { has: page.locator('table[data-table="table4_4"]') })
      .locator('button[data-action="save-markdown"]')
      .click();
    const table44 = await markdown;
    expect(table44.suggestedFilename()).toBe('table4-4.md');
    const text44 = readFileSync((await table44.path())!, 'utf8');
    expect(text44).toMatch(/^\| Representative/m);
    expect(text44).not.toContain('-0.0%');
    expect(await notebook.locator('[data-kind="figure"]').count()).toBe(6);
    for (const id of ['figure-4-1', 'figure-4-2', 'figure-4-3', 'figure-4-4', 'figure-4-5']) {
      const canvas = `[data-entry="${id}"] canvas`;
      await page.locator(canvas).scrollIntoViewIfNeeded();
      await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    }
    await page.locator('[data-entry="figure-4-1"]').scrollIntoViewIfNeeded();
    await shot('11-notebook-reproduction-figures');
    await page.locator('table[data-table="table4_4"]').scrollIntoViewIfNeeded();
    await shot('12-notebook-reproduction-tables');
    await page.locator('[data-entry="introduction"]').scrollIntoViewIfNeeded();
    expect(await page.title()).not.toMatch(/^•/);
  });

  it('exports the built-in notebook as one report file, and reads it in Chromium with no request out', async () => {
    const download = page.waitForEvent('download');
    await page.getByTestId('export-report').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('reproduce-zayas-1987.html');
    await expect.poll(() => text('report-status')).toBe('Saved the report as reproduce-zayas-1987.html');
    const file = join(scratch, 'report.html');
    await saved.saveAs(file);
    const html = readFileSync(file, 'utf8');
    // Every figure inline as SVG, its title as text; notes and the paper's tables; nothing external.
    expect((html.match(/<svg /g) ?? []).length).toBe(6);
    expect(html).toMatch(/<text\b[^>]*>Figure 4-3: Bytes transferred<\/text>/);
    expect(html).toContain('<h1>Reproducing Zayas 1987</h1>');
    expect(html).toContain('id="table-table4-4"');
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/<script/i);

    // Opened as a colleague would, with every request but the file itself refused and counted.
    const reader = await context!.newPage();
    const requests: string[] = [];
    reader.on('request', (request) => {
      if (request.url() !== `file://${file}`) requests.push(request.url());
    });
    await reader.route(/^(?!file:)/, (route) => route.abort());
    await reader.setViewportSize({ width: 1280, height: 900 });
    await reader.goto(`file://${file}`);
    await expect(reader.title()).resolves.toBe('Reproduce Zayas 1987');
    expect(await reader.locator('figure svg').count()).toBe(6);
    expect(await reader.locator('table.data').count()).toBeGreaterThan(6);
    await reader.screenshot({ path: join(screenshots, '12b-report-top.png') });
    await reader.locator('#figure-figure-4-1-remote-execution-times').scrollIntoViewIfNeeded();
    await reader.screenshot({ path: join(screenshots, '12c-report-figure.png') });
    await reader.locator('#table-table4-4').scrollIntoViewIfNeeded();
    await reader.screenshot({ path: join(screenshots, '12d-report-paper-tables.png') });
    expect(requests).toEqual([]);
    await reader.close();
  });

  it('adds a note, saves the notebook, reopens it with the note and the charts, and exports a PNG', async () => {
    await page.getByTestId('add-note').first().click();
    const editor = page.getByTestId('note-editor');
    await editor.fill(
      '## My reading\n\nPure-IOU **wins** for Minprog. <script>window.hacked = 1</script>\n\n' +
        '[the paper](https://example.com/zayas) <img src=x onerror="window.hacked = 2">',
    );
    await page.getByTestId('note-done').click();
    const note = page.locator('[data-kind="note"]').last();
    await expect(note.locator('h2').textContent()).resolves.toBe('My reading');
    expect(await note.locator('script').count()).toBe(0);
    expect(await note.locator('[onerror]').count()).toBe(0);
    // A link in a note is not followed without asking; declining stays on the page.
    const url = page.url();
    const asked = new Promise<string>((resolveAsked) =>
      page.once('dialog', (dialog) => {
        resolveAsked(dialog.message());
        void dialog.dismiss();
      }),
    );
    await note.getByRole('link', { name: 'the paper' }).click();
    expect(await asked).toBe('Open https://example.com/zayas in your browser?');
    expect(page.url()).toBe(url);
    // A middle-click asks the same question and opens no tab of its own.
    const pages = context!.pages().length;
    const askedAgain = new Promise<string>((resolveAsked) =>
      page.once('dialog', (dialog) => {
        resolveAsked(dialog.message());
        void dialog.dismiss();
      }),
    );
    await note.getByRole('link', { name: 'the paper' }).click({ button: 'middle' });
    expect(await askedAgain).toBe('Open https://example.com/zayas in your browser?');
    expect(context!.pages().length).toBe(pages);
    expect(await page.evaluate('window.hacked === undefined')).toBe(true);
    expect(await page.title()).toMatch(/^• /);
    // Move it up past the breakeven figure, from the keyboard.
    await note.getByTestId('move-up').focus();
    await page.keyboard.press('Enter');
    await shot('13-notebook-note-added');

    const path = join(scratch, 'reproduction.accentlab');
    await page.getByTestId('save').click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).not.toMatch(/^•/);
    expect(existsSync(path)).toBe(true);

    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(() => page.title()).toBe('Untitled — Accent Migration Lab');
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).toBe('Reproduce Zayas 1987 — Accent Migration Lab');
    await page.locator('#tab-notebook').click();
    const reopened = page.locator('[data-kind="note"]', { hasText: 'My reading' });
    await reopened.waitFor();
    await expect(reopened.count()).resolves.toBe(1);
    await reopened.scrollIntoViewIfNeeded();
    await shot('14-notebook-reopened');
    await expect(reopened.locator('strong').textContent()).resolves.toBe('wins');
    const canvas = '[data-entry="figure-4-3"] canvas';
    await page.locator(canvas).scrollIntoViewIfNeeded();
    await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);

    await page
      .locator('[data-entry="figure-4-3"]')
      .getByRole('button', { name: /^Export .* as PNG$/ })
      .click();
    await page.getByTestId('export-width').fill('640');
    await page.getByTestId('export-height').fill('400');
    await page.getByTestId('export-scale').fill('2');
    await shot('15-export-dialog');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('figure-4-3-bytes-transferred.png');
    const png = readFileSync((await saved.path())!);
    expect(pngSize(png)).toEqual({ width: 1280, height: 800 });
    expect(png.length).toBeGreaterThan(20_000);
    await page.getByTestId('export-close').click();
  });

  it('undoes and redoes from the keyboard, deleting a note included, and lists the shortcuts', async () => {
    // Alt+1 is the Notebook tab in the browser host (Ctrl+1 belongs to the browser).
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Alt+1');
    await expect(page.locator('#tab-notebook').getAttribute('aria-selected')).resolves.toBe('true');
    const notes = page.locator('#panel-notebook [data-kind="note"]');
    const before = await notes.count();
    const mine = notes.filter({ hasText: 'My reading' });
    await expect(mine.count()).resolves.toBe(1);
    await mine.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => notes.count()).toBe(before - 1);
    await expect(page.getByTestId('undo').getAttribute('title')).resolves.toBe('Undo delete note');
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => notes.count()).toBe(before);
    await expect(mine.count()).resolves.toBe(1);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => notes.count()).toBe(before - 1);
    await page.getByTestId('undo').click();
    await expect.poll(() => notes.count()).toBe(before);
    // A design edit is undone too, and Alt+2 shows it.
    await page.keyboard.press('Alt+2');
    await expect(page.locator('#tab-design').getAttribute('aria-selected')).resolves.toBe('true');
    const name = page.getByTestId('design-name');
    const original = await name.inputValue();
    await name.fill('Renamed by mistake');
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => name.inputValue()).toBe(original);
    await page.keyboard.press('F1');
    await page.getByTestId('shortcuts-dialog').waitFor();
    await expect(page.getByTestId('shortcuts-dialog').textContent()).resolves.toMatch(/Undo.*Ctrl\+Z/);
    await shot('15b-shortcuts');
    await page.getByTestId('shortcuts-close').click();
  });

  it('keeps unsaved work when the lab host is killed, and offers to restore it on the next start', async () => {
    /** A one-trial sweep in `on`: unsaved work, autosaved as soon as the sweep ends. */
    const runOneTrial = async (on: Page): Promise<void> => {
      await on.locator('#tab-design').click();
      await chooseOnly('data-workload', ['Minprog'], on);
      await chooseOnly('data-strategy', ['pure-copy'], on);
      await chooseOnly('data-prefetch', ['0'], on);
      await on.getByTestId('run-design').click();
      await on.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
    };
    await runOneTrial(page);
    const title = await page.title();
    expect(title).toMatch(/^• /);
    await page.locator('#tab-notebook').click();
    const entries = await page.locator('[data-entry]').count();
    const recovery = join(scratch, 'settings/recovery');
    // The autosave itself, not its temporary twin (`.<name>.<hex>.partial`) caught mid-write.
    const autosaves = (): string[] =>
      existsSync(recovery) ? readdirSync(recovery).filter((file) => file.endsWith('.recovery.json')) : [];
    await expect.poll(() => autosaves().length).toBe(1);
    // Autosave follows edits after a pause: wait until it holds every entry the page shows.
    const autosavedEntries = (): number => {
      const [file] = autosaves();
      if (!file) return -1;
      const text = readFileSync(join(recovery, file), 'utf8');
      return (JSON.parse(text.slice(text.indexOf('\n') + 1)) as { entries: unknown[] }).entries.length;
    };
    await expect.poll(autosavedEntries).toBe(entries);

    // A second tab autosaves to a file of its own; the first tab's work, open there, is not
    // offered to it (issue 14, finding 7).
    const second = await context!.newPage();
    await second.goto(serverUrl);
    await second.getByTestId('welcome-new').click();
    expect(await second.getByTestId('recovery-offer').count()).toBe(0);
    await runOneTrial(second);
    const secondTitle = await second.title();
    await expect.poll(() => autosaves().length).toBe(2);

    const killed = new Promise((resolveExit) => server!.once('exit', resolveExit));
    server!.kill('SIGKILL');
    await killed;
    const url = await startServer();
    // After the crash each tab's work is offered: the newest (the second tab's) first, then the other.
    await second.goto(url);
    await expect(second.getByTestId('recovery-more').textContent()).resolves.toMatch(
      /1 more unsaved notebook/,
    );
    await second.getByTestId('recovery-restore').click();
    await expect.poll(() => second.title()).toBe(secondTitle);
    await page.goto(url);
    const offer = page.getByTestId('recovery-restore');
    await offer.waitFor();
    expect(await page.getByTestId('recovery-more').count()).toBe(0);
    await expect(offer.textContent()).resolves.toMatch(/^\s*Restore unsaved work from .*\d/);
    await shot('16-restore-offer');
    await offer.click();
    await expect.poll(() => page.title()).toBe(title);
    await expect.poll(() => page.locator('[data-entry]').count()).toBe(entries);
    await expect(page.locator('[data-kind="note"]', { hasText: 'My reading' }).count()).resolves.toBe(1);
    // A reload of the tab finds its autosave again.
    await page.reload();
    await page.getByTestId('recovery-restore').click();
    await expect.poll(() => page.title()).toBe(title);
    // Saving cleanly removes the tab's own autosave, not the other tab's.
    await page.getByTestId('save').click();
    await expect.poll(() => page.title()).not.toMatch(/^• /);
    await expect.poll(() => autosaves().length).toBe(1);
    await second.getByTestId('save').click();
    await second.getByTestId('path-input').fill(join(scratch, 'second-tab.accentlab'));
    await second.getByTestId('path-input').press('Enter');
    await expect.poll(() => second.title()).not.toMatch(/^•/);
    await expect.poll(() => autosaves().length).toBe(0);
    await second.close();
  });
  it('opens Beyond 1987 from the welcome screen: every strategy, with downtime and loss-risk charts', async () => {
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('welcome-beyond').click();
    await expect.poll(() => page.title()).toBe('Beyond 1987 — Accent Migration Lab');
    const notebook = page.getByTestId('notebook');
    await notebook.locator('[data-kind="figure"]').first().waitFor();
    expect(await notebook.locator('[data-kind="figure"]').count()).toBe(14);
    for (const id of [
      'perq-1987-downtime',
      'ethernet-1g-2025-risk-of-losing-the-process-to-a-source-crash',
    ]) {
      const canvas = `[data-entry="${id}"] canvas`;
      await page.locator(canvas).scrollIntoViewIfNeeded();
      await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    }
    await shot('19-notebook-beyond-1987');
  });

  it('opens Real traces from the welcome screen, its traces found beside the notebook', async () => {
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('welcome-real-traces').click();
    await expect.poll(() => page.title()).toBe('Real traces — Accent Migration Lab');
    const notebook = page.getByTestId('notebook');
    await notebook.locator('[data-kind="figure"]').first().waitFor();
    expect(await notebook.locator('[data-kind="figure"]').count()).toBe(6);
    const canvas = '[data-entry="traces-completion"] canvas';
    await page.locator(canvas).scrollIntoViewIfNeeded();
    await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    await shot('20-notebook-real-traces');
  });

  it('runs a repeated sensitivity sweep: means with intervals and the breakeven marked', async () => {
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await expect.poll(() => page.title()).toBe('Untitled — Accent Migration Lab');
    await page.locator('#tab-design').click();
    await page.locator('[data-workload="Minprog"]').waitFor();
    await chooseOnly('data-workload', ['Minprog']);
    await chooseOnly('data-strategy', ['pure-copy', 'pure-iou']);
    await chooseOnly('data-prefetch', ['0']);
    await page.getByTestId('repetitions').fill('2');
    await page.getByTestId('sensitivity-toggle').check();
    await page.getByTestId('sensitivity-parameter').selectOption('touched-fraction');
    for (const [field, value] of [
      ['from', '0.05'],
      ['to', '0.6'],
    ] as const) {
      await page.getByTestId(`sensitivity-${field}`).fill(value);
      await page.getByTestId(`sensitivity-${field}`).press('Tab');
    }
    // The trial count follows the steps as they are typed.
    await page.getByTestId('sensitivity-steps').fill('3');
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('12');
    await page.getByTestId('sensitivity-steps').fill('2');
    await page.getByTestId('sensitivity-steps').press('Tab');
    await expect(text('sensitivity-values')).resolves.toMatch(/^Values: 0\.05, 0\.6 fraction/);
    // 2 values x 2 repetitions x (pure-copy + pure-iou pf0)
    await expect(page.getByTestId('trial-count').textContent()).resolves.toBe('8');
    await shot('17-design-sensitivity');
    await page.getByTestId('run-design').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
    await page.locator('#tab-results').click();
    const results = page.locator('#panel-results');
    await expect(results.getByTestId('breakevens').textContent()).resolves.toMatch(
      /Minprog \(pure-copy vs pure-iou pf0\): breakeven at 0\.\d+ fraction: pure-iou pf0 is better below/,
    );
    // The summary table follows the results at most once a second.
    const summary = results.getByTestId('summary-table');
    await expect.poll(() => summary.locator('tbody tr').count()).toBe(4);
    // Units in the headers, downtime and source release included; rows in design order.
    const headers = (await summary.locator('thead th').allTextContents()).map((header) =>
      header.replace(/[▲▼↕]/g, '').trim(),
    );
    expect(headers).toContain('End-to-end (s)');
    expect(headers).toContain('Parameter');
    expect(headers.some((header) => /^Downtime \((s|ms|µs)\)$/.test(header))).toBe(true);
    expect(headers.some((header) => /^Source release \((s|ms|µs)\)$/.test(header))).toBe(true);
    const firstRow = await summary.locator('tbody tr').first().locator('td').allTextContents();
    expect(firstRow.slice(0, 4).map((cell) => cell.trim())).toEqual(['Minprog', 'pure-copy', '0.05', '2']);
    await expect(summary.locator('td[data-column="endToEndCI"]').first().textContent()).resolves.toMatch(
      /^\s*[\d.]+\s*$/,
    );
    // Sorted by a column on a click, and saved as LaTeX with booktabs rules.
    await summary.locator('button[data-sort="endToEnd"]').click();
    await expect(summary.locator('th[aria-sort="ascending"] button').getAttribute('data-sort')).resolves.toBe(
      'endToEnd',
    );
    const latex = page.waitForEvent('download');
    await summary.locator('button[data-action="save-latex"]').click();
    const saved = await latex;
    expect(saved.suggestedFilename()).toBe('summary.tex');
    const tex = readFileSync((await saved.path())!, 'utf8');
    expect(tex).toContain('\\toprule');
    expect(tex).toContain('\\bottomrule');
    expect(tex).toMatch(/Minprog & pure-copy & /);
    await expect(text('results-experiment')).resolves.toBe(
      (await page.getByTestId('design-name').inputValue()).trim(),
    );
    await expect
      .poll(() => colouredPixels('#panel-results .sensitivity-results canvas'))
      .toBeGreaterThan(200);
    await shot('18-results-sensitivity');
  });

  it('follows the OS into dark mode, charts included, while exported figures stay on white', async () => {
    const background = (selector: string): Promise<string> =>
      page.$eval(
        selector,
        (element) =>
          (
            globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }
          ).getComputedStyle(element).backgroundColor,
      );
    const corner = (selector: string): Promise<number[]> =>
      page.$eval(selector, (element) => {
        const canvas = element as unknown as CanvasLike;
        return Array.from(canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data);
      });
    const chart = '#panel-results .sensitivity-results canvas';
    await page.locator('#tab-results').click();
    await expect.poll(() => corner(chart)).toEqual([255, 255, 255, 255]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => background('html')).toBe('rgb(11, 18, 32)');
    expect(await background('.app-header')).toBe('rgb(23, 32, 51)');
    // The live chart redraws on the page's dark surface, with light text.
    await expect.poll(() => corner(chart)).toEqual([23, 32, 51, 255]);
    await expect.poll(() => colouredPixels(chart)).toBeGreaterThan(200);
    await shot('21-dark-results');

    // Its PNG export is drawn on white all the same.
    await page
      .locator('#panel-results .sensitivity-results')
      .getByRole('button', { name: /^Export .* as PNG$/ })
      .first()
      .click();
    await page.getByTestId('export-width').fill('400');
    await page.getByTestId('export-height').fill('260');
    await page.getByTestId('export-scale').fill('1');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const png = readFileSync((await (await download).path())!);
    await page.getByTestId('export-close').click();
    const image = await loadImage(png);
    const drawn = createCanvas(image.width, image.height);
    drawn.getContext('2d').drawImage(image, 0, 0);
    expect([...drawn.getContext('2d').getImageData(2, 2, 1, 1).data]).toEqual([255, 255, 255, 255]);
  });

  it('typesets math in notes with KaTeX, its fonts served by the app itself', async () => {
    await page.locator('#tab-notebook').click();
    await page.getByTestId('add-note').first().click();
    const editor = page.getByTestId('note-editor');
    await editor.fill(
      'Transfer time grows as $T = \\frac{B}{r}$ for pure-copy.\n\n' +
        '$$\\sum_{i=1}^{n} t_i \\le 115\\,\\mathrm{ms} \\cdot n$$\n\n' +
        'Prices such as $5 and $10 stay text.',
    );
    // The preview typesets while editing.
    await expect.poll(() => page.getByTestId('note-preview').locator('.katex').count()).toBe(2);
    await page.getByTestId('note-done').click();
    const note = page.locator('[data-kind="note"]').last();
    await expect(note.locator('.katex').count()).resolves.toBe(2);
    await expect(note.locator('.katex-display').count()).resolves.toBe(1);
    await expect(note.locator('.katex-mathml annotation').first().textContent()).resolves.toBe(
      'T = \\frac{B}{r}',
    );
    await expect(note.textContent()).resolves.toContain('Prices such as $5 and $10 stay text.');
    // KaTeX's own fonts, from the app's assets (no network; the CSP allows fonts from 'self' only).
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const fonts = (
            globalThis as unknown as {
              document: { fonts: { ready: Promise<unknown> } & Iterable<{ family: string; status: string }> };
            }
          ).document.fonts;
          await fonts.ready;
          return [...fonts].some((font) => font.family.includes('KaTeX_Main') && font.status === 'loaded');
        }),
      )
      .toBe(true);
    await note.scrollIntoViewIfNeeded();
    await shot('22-dark-notebook-katex');
  });

  it('lists the paper’s terms in Help ▸ Glossary, with a filter', async () => {
    await page.keyboard.press('Shift+F1');
    const glossary = page.getByTestId('glossary-dialog');
    await glossary.waitFor();
    expect(await glossary.getByTestId('glossary-term').count()).toBeGreaterThanOrEqual(20);
    for (const term of [
      'IOU',
      'RIMAS',
      'AMap',
      'Imaginary fault',
      'RealZeroMem',
      'NoIOUs',
      'ExciseProcess',
      'InsertProcess',
    ]) {
      await expect(glossary.locator('dt', { hasText: term }).count()).resolves.toBeGreaterThan(0);
    }
    await page.getByTestId('glossary-filter').fill('rimas');
    const rimas = glossary.locator('dt', { hasText: /^\s*RIMAS/ });
    await expect(rimas.count()).resolves.toBe(1);
    await expect(rimas.locator('xpath=following-sibling::dd[1]').textContent()).resolves.toContain(
      'Real and Imaginary Memory Address Space',
    );
    await shot('23-dark-glossary');
    await page.getByTestId('glossary-filter').fill('no such term');
    await expect(glossary.getByTestId('glossary-term').count()).resolves.toBe(0);
    await page.getByTestId('glossary-filter').fill('');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot('24-light-glossary');
    await page.getByTestId('glossary-close').click();
    await expect(glossary.isVisible()).resolves.toBe(false);
  });

  it('ran every screen above under the CSP (no inline style, form-action none) with nothing blocked', () => {
    expect(cspReports).toEqual([]);
  });
});
