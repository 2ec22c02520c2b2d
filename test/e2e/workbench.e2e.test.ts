import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandDesign } from '../../src/engine/experiment/design';
import { hardwarePreset } from '../../src/engine/hardware/presets';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { ResultsStore } from '../../src/node/resultsStore';
import { TrialKeys } from '../../src/node/trialKeys';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { serializeNotebook } from '../../src/node/notebookFile';
import { smallDesign } from '../helpers/designs';
import {
  chooseOnly as chooseBoxes,
  launchChromium,
  startWebAdapter,
  stopWebAdapter,
} from '../helpers/webApp';

/**
 * The workbench's comparison of experiments, the report's math and the dark-mode spots (trial map,
 * trace map), in Chromium against the web adapter: `flock /work/e2e.lock npx vitest run -c
 * vitest.e2e.config.ts test/e2e/workbench.e2e.test.ts`.
 */
const root = resolve(import.meta.dirname, '../..');
const screenshots = join(root, 'test-output/screenshots');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let server: ChildProcess | null = null;
let context: BrowserContext | null = null;
let page: Page;
let scratch: string;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: join(screenshots, `${name}.png`) });

/** What the pixel checks use of a canvas (this file is checked without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

/** How many pixels of the canvas in `selector` are exactly each of `colours` ([r, g, b]). */
function pixelsOf(selector: string, colours: number[][]): Promise<number[]> {
  return page.$eval(
    selector,
    (element, wanted) => {
      const canvas = element as unknown as CanvasLike;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const counts = wanted.map(() => 0);
      for (let at = 0; at < data.length; at += 4) {
        wanted.forEach(([r, g, b], index) => {
          if (data[at] === r && data[at + 1] === g && data[at + 2] === b && data[at + 3] === 255)
            counts[index]! += 1;
        });
      }
      return counts;
    },
    colours,
  );
}

/** Non-transparent pixels that are neither white nor a grey of the axes. */
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

/** The RGBA of a canvas's pixel near its top-left corner (the chart's background). */
const corner = (selector: string): Promise<number[]> =>
  page.$eval(selector, (element) => {
    const canvas = element as unknown as CanvasLike;
    return Array.from(canvas.getContext('2d')!.getImageData(2, 2, 1, 1).data);
  });

async function chooseOnly(attribute: string, values: string[]): Promise<void> {
  await chooseBoxes(page, attribute, values);
}

async function runDesign(name: string, preset: string): Promise<void> {
  await page.locator('#tab-design').click();
  await page.getByTestId('hardware-preset').selectOption(preset);
  await page.getByTestId('design-name').fill(name);
  await chooseOnly('data-workload', ['Minprog']);
  await chooseOnly('data-strategy', ['pure-copy', 'pure-iou']);
  await chooseOnly('data-prefetch', ['0']);
  await page.getByTestId('repetitions').fill('4');
  await expect.poll(() => page.getByTestId('trial-count').textContent()).toBe('8');
  await page.getByTestId('run-design').click();
  await page.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
}

// Trial map colours: queued squares in light and dark mode (the page's --track).
const LIGHT_TRACK = [226, 232, 240];
const DARK_TRACK = [51, 65, 85];

describe('the workbench in Chromium: comparing experiments, the report, dark mode', () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt install chromium)`);
    if (!process.env['E2E_SKIP_BUILD']) {
      const build = spawnSync(
        process.execPath,
        [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
        { cwd: root, encoding: 'utf8' },
      );
      if (build.status !== 0)
        throw new Error(`electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
    }
    mkdirSync(screenshots, { recursive: true });
    scratch = mkdtempSync(join(tmpdir(), 'accent-lab-e2e-workbench-'));
    const started = await startWebAdapter(root, scratch, 2);
    server = started.child;
    context = await launchChromium(CHROMIUM, scratch);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(started.url);
    await page.getByTestId('welcome-new').click();
    await page.locator('[data-workload="Minprog"]').waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await stopWebAdapter(server);
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('draws queued trials and the trace map on the dark page in dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    // A sweep longer than the test looks at: its queued squares are the dark track colour.
    await chooseOnly('data-workload', ['Lisp-Del']);
    await chooseOnly('data-strategy', ['pure-copy', 'pure-iou', 'resident-set']);
    await chooseOnly('data-prefetch', ['0', '1', '3', '7', '15']);
    await page.getByTestId('repetitions').fill('5');
    await page.getByTestId('run-design').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Running' }).waitFor();
    const map = '.trial-map';
    await expect.poll(() => pixelsOf(map, [DARK_TRACK]).then(([dark]) => dark)).toBeGreaterThan(100);
    expect((await pixelsOf(map, [LIGHT_TRACK]))[0]).toBe(0);
    await shot('30-dark-trial-map');
    // Back to light while it runs: the queued squares follow.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => pixelsOf(map, [LIGHT_TRACK]).then(([light]) => light)).toBeGreaterThan(100);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('cancel-sweep').click();
    await page.getByTestId('sweep-status').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });

    // The trace map: its unreferenced cells are the dark chart surface, not white.
    await page.locator('#tab-design').click();
    const importer = page.getByTestId('trace-import');
    await importer.getByText('Import a trace (Valgrind lackey)').click();
    await page.getByTestId('trace-path').fill(join(root, 'resources/traces/interpreter.trace.gz'));
    await importer.getByRole('button', { name: 'Read' }).click();
    await page.getByTestId('trace-imported').waitFor();
    const trace = '[data-testid="trace-map"]';
    await expect
      .poll(() => pixelsOf(trace, [[23, 32, 51]]).then(([surface]) => surface))
      .toBeGreaterThan(1000);
    expect((await pixelsOf(trace, [[255, 255, 255]]))[0]).toBe(0);
    await page.locator(trace).scrollIntoViewIfNeeded();
    await shot('31-dark-trace-map');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect
      .poll(() => pixelsOf(trace, [[255, 255, 255]]).then(([white]) => white))
      .toBeGreaterThan(1000);
  });

  it('compares two experiments run in the app: a bar per experiment, and paired differences with intervals', async () => {
    await runDesign('Perq', 'perq-1987');
    await runDesign('1 Gb/s', 'ethernet-1g-2025');
    await page.locator('#tab-notebook').click();
    await page.getByTestId('compare-open').click();
    const compare = page.getByTestId('compare-experiments');
    for (const box of await compare.locator('input[data-compare]').all()) await box.uncheck();
    await expect(page.getByTestId('compare-hint').textContent()).resolves.toContain('two experiments');
    await compare.getByRole('checkbox', { name: /^Perq perq-1987/ }).check();
    await compare.getByRole('checkbox', { name: /^1 Gb\/s ethernet-1g-2025/ }).check();

    // One chart, a bar per experiment, the legend naming them.
    const canvas = '[data-testid="compare-experiments"] canvas';
    await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    await expect(page.locator(canvas).getAttribute('aria-label')).resolves.toContain(
      'End-to-end time, by experiment. Perq against 1 Gb/s',
    );
    // The differences: the same seed and replications, so paired, four pairs at each point.
    const rows = page.locator('[data-testid="compare-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const cells = async (row: number): Promise<string[]> =>
      (await rows.nth(row).locator('td').allTextContents()).map((cell) => cell.trim());
    expect((await cells(0)).slice(0, 4)).toEqual(['Minprog', 'pure-copy', 'paired t', '4 pairs']);
    expect((await cells(1)).slice(0, 4)).toEqual(['Minprog', 'pure-iou pf0', 'paired t', '4 pairs']);
    const header = (await page.locator('[data-testid="compare-table"] thead th').allTextContents()).map((h) =>
      h.replace(/[↕▲▼]/g, '').trim(),
    );
    expect(header.slice(4)).toEqual([
      'Perq (s)',
      '1 Gb/s (s)',
      'Difference (s)',
      '95% CI low (s)',
      '95% CI high (s)',
      'p',
    ]);
    // 1 Gb/s is faster end to end: a negative difference, its interval below zero.
    const [difference, low, high] = (await cells(1)).slice(6, 9).map(Number);
    expect(difference).toBeLessThan(0);
    expect(low).toBeLessThanOrEqual(difference!);
    expect(high).toBeGreaterThanOrEqual(difference!);
    await compare.scrollIntoViewIfNeeded();
    await shot('32-compare-experiments');

    // The table leaves as CSV (unrounded numbers), like every table.
    const csvDownload = page.waitForEvent('download');
    await compare.locator('[data-action="save-csv"]').click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toBe('differences-end-to-end.csv');
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText.split('\r\n')[0]).toBe(
      'Workload,Strategy,Test,n,Perq (s),1 Gb/s (s),Difference (s),95% CI low (s),95% CI high (s),p',
    );
    expect(csvText).toMatch(/\r\nMinprog,pure-iou pf0,paired,4,[\d.]+,[\d.]+,-[\d.e-]+,/);

    // The chart leaves as SVG, its legend naming the experiments in text.
    await compare.getByRole('button', { name: /^Export .* as PNG$/ }).click();
    await page.getByTestId('export-format').selectOption('svg');
    const svgDownload = page.waitForEvent('download');
    await page.getByTestId('export-png').click();
    const svg = readFileSync((await (await svgDownload).path())!, 'utf8');
    await page.getByTestId('export-close').click();
    expect(svg).toMatch(/<text\b[^>]*>End-to-end time, by experiment<\/text>/);
    expect(svg).toMatch(/<text\b[^>]*>Perq<\/text>/);
    expect(svg).toMatch(/<text\b[^>]*>1 Gb\/s<\/text>/);

    // Another metric on a log scale; then dark, as the OS asks.
    await page.getByTestId('compare-metric').selectOption('bytes');
    await compare.getByLabel('Logarithmic scale').check();
    await expect(page.locator(canvas).getAttribute('aria-label')).resolves.toContain(
      'Bytes on the network, by experiment',
    );
    await page.emulateMedia({ colorScheme: 'dark' });
    // The live chart redraws on the page's dark surface (its exports stay on white).
    await expect.poll(() => corner(canvas)).toEqual([23, 32, 51, 255]);
    await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    await shot('33-compare-bytes-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('compare-close').click();
  });

  it('typesets the notes’ math in the report (MathML), which loads nothing', async () => {
    await page.locator('#tab-notebook').click();
    await page.getByTestId('add-note').first().click();
    await page
      .getByTestId('note-editor')
      .fill(
        'Transfer time grows as $T = \\frac{B}{r}$.\n\n$$\\sum_{i=1}^{n} t_i \\le 115\\,\\mathrm{ms}$$\n\nPrices such as $5 stay text.',
      );
    await page.getByTestId('note-done').click();
    // File ▸ Export Report…'s shortcut in the browser host.
    const download = page.waitForEvent('download');
    await page.keyboard.press('Control+Shift+E');
    const saved = await download;
    await expect.poll(() => page.getByTestId('report-status').textContent()).toMatch(/^Saved the report as /);
    const file = join(scratch, 'report.html');
    await saved.saveAs(file);
    const html = readFileSync(file, 'utf8');
    expect((html.match(/<math /g) ?? []).length).toBe(2);
    expect(html).not.toMatch(/data-tex=|katex-html/);

    const reader = await context!.newPage();
    const requests: string[] = [];
    reader.on('request', (request) => {
      if (request.url() !== `file://${file}`) requests.push(request.url());
    });
    await reader.route(/^(?!file:)/, (route) => route.abort());
    await reader.goto(`file://${file}`);
    const display = reader.locator('.math-display math');
    await display.scrollIntoViewIfNeeded();
    await reader.screenshot({ path: join(screenshots, '34-report-math.png') });
    // Drawn by the browser's MathML layout: a fraction and a sum with limits take real room.
    const box = (await display.boundingBox())!;
    expect(box.width).toBeGreaterThan(80);
    expect(box.height).toBeGreaterThan(30);
    expect(
      ((await reader.locator('.math-inline mfrac').boundingBox()) ?? { height: 0 }).height,
    ).toBeGreaterThan(15);
    await reader.screenshot({ path: join(screenshots, '34-report-math.png') });
    expect(requests).toEqual([]);
    await reader.close();
  });

  it('says at open that summarized experiments’ store is missing, and compares them from their summaries', async () => {
    // Two summarized experiments as a campaign leaves them: each keeps only its summary; here
    // their store is not beside the notebook (only what needs single trials would need it).
    const ran: { design: ReturnType<typeof smallDesign>; results: TrialResult[] }[] = [];
    const experiment = (id: string, preset: string): NotebookDocument['entries'][number] => {
      const design = smallDesign({
        name: `Big ${preset}`,
        hardware: hardwarePreset(preset),
        prefetchValues: [0],
        repetitions: 4,
      });
      const results = expandDesign(design).map((spec) => runTrial(spec));
      ran.push({ design, results });
      return {
        kind: 'experiment',
        id,
        design,
        results: [],
        engineVersion: ENGINE_VERSION,
        summary: summarizeTrials(design, results, 'campaign.results.duckdb'),
      };
    };
    const path = join(scratch, 'campaign.accentlab');
    const notebook: NotebookDocument = {
      formatVersion: 3,
      name: 'Campaign',
      provenance: { engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab 0.1.0' },
      entries: [experiment('big-perq', 'perq-1987'), experiment('big-1g', 'ethernet-1g-2025')],
    };
    writeFileSync(path, serializeNotebook(notebook));
    await page.locator('#tab-notebook').click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).toBe('Campaign — Accent Migration Lab');
    // Told at open: the store is missing, what still works, how to put it back.
    const notices = page.getByTestId('store-notice');
    await expect.poll(() => notices.count()).toBe(2);
    await expect(notices.first().getAttribute('data-problem')).resolves.toBe('missing');
    await expect(notices.first().textContent()).resolves.toContain(
      '"Big perq-1987": its 8 trials are in the results store campaign.results.duckdb, which is missing',
    );
    await expect(notices.first().textContent()).resolves.toContain(
      'put it beside the notebook as campaign.results.duckdb',
    );
    await expect(page.getByTestId('store-notice-works').textContent()).resolves.toContain(
      'Everything drawn from an experiment’s summary still works'.replace('’', "'"),
    );
    await shot('36-store-missing-at-open');
    // The store put back beside the notebook: Check again finds it in order.
    const store = await ResultsStore.open(join(scratch, 'campaign.results.duckdb'));
    for (const { design, results } of ran) {
      // Keys per design (TrialKeys names a design's points by their trial ids).
      const keys = new TrialKeys();
      const specs = expandDesign(design);
      for (const [at, result] of results.entries())
        await store.append(keys.key(specs[at]!), design.name, at, result);
    }
    await store.close();
    await page.getByTestId('store-recheck').click();
    await expect.poll(() => page.getByTestId('store-checked').getAttribute('data-path')).toBe(path);
    expect(await page.getByTestId('store-notices').count()).toBe(0);

    await page.getByTestId('compare-open').click();
    const compare = page.getByTestId('compare-experiments');
    await chooseOnly('data-compare', ['big-perq', 'big-1g']);
    await expect(compare.getByTestId('compare-summarized').first().textContent()).resolves.toContain(
      'summary of 8 trials',
    );
    const canvas = '[data-testid="compare-experiments"] canvas';
    await expect.poll(() => colouredPixels(canvas)).toBeGreaterThan(500);
    await expect(page.locator(canvas).getAttribute('aria-label')).resolves.toContain('from their summary');
    const rows = page.locator('[data-testid="compare-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // Both summarized, their trials in the store, the same seed: the host pairs them from the store.
    await expect
      .poll(() => page.getByTestId('compare-basis').textContent())
      .toContain(
        'Big ethernet-1g-2025 against Big perq-1987: paired trials from campaign.results.duckdb (8 of 8 pairs)',
      );
    await expect(page.getByTestId('compare-basis').textContent()).resolves.toContain(
      'Big perq-1987: summary of 8 trials (n, mean and sd per design point; trials in the store campaign.results.duckdb)',
    );
    const cells = (await rows.nth(1).locator('td').allTextContents()).map((cell) => cell.trim());
    expect(cells.slice(0, 4)).toEqual(['Minprog', 'pure-iou pf0', 'paired t from the store', '4 pairs']);
    expect(Number(cells[6])).toBeLessThan(0);
    await compare.scrollIntoViewIfNeeded();
    await shot('35-compare-summarized');
    await page.getByTestId('compare-close').click();

    // Save As elsewhere: the trials go with the notebook into the store beside the new file, which
    // its summaries now name (the check of the new file finds every trial there by key).
    mkdirSync(join(scratch, 'mail'));
    const copy = join(scratch, 'mail', 'campaign-copy.accentlab');
    await page.getByRole('button', { name: 'Save As…' }).click();
    await page.getByTestId('path-input').fill(copy);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).toBe('Campaign — Accent Migration Lab');
    await expect.poll(() => existsSync(copy)).toBe(true);
    expect(existsSync(join(scratch, 'mail', 'campaign-copy.results.duckdb'))).toBe(true);
    const saved = JSON.parse(readFileSync(copy, 'utf8')) as NotebookDocument;
    expect(saved.entries.map((entry) => (entry.kind === 'experiment' ? entry.summary?.store : null))).toEqual(
      ['campaign-copy.results.duckdb', 'campaign-copy.results.duckdb'],
    );
    await expect.poll(() => page.getByTestId('store-checked').getAttribute('data-path')).toBe(copy);
    expect(await page.getByTestId('store-notices').count()).toBe(0);
  });

  it('locates a moved results store from the banner: typed in the path dialog, verified, the summary pointed at it', async () => {
    const design = smallDesign({ name: 'Moved', prefetchValues: [0], repetitions: 3 });
    const specs = expandDesign(design);
    const results = specs.map((spec) => runTrial(spec));
    const path = join(scratch, 'moved.accentlab');
    const notebook: NotebookDocument = {
      formatVersion: 3,
      name: 'Moved',
      provenance: { engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab 0.1.0' },
      entries: [
        {
          kind: 'experiment',
          id: 'moved',
          design,
          results: [],
          engineVersion: ENGINE_VERSION,
          summary: summarizeTrials(design, results, 'moved.results.duckdb'),
        },
      ],
    };
    writeFileSync(path, serializeNotebook(notebook));
    // The store was moved to an archive folder (not beside the notebook any more).
    mkdirSync(join(scratch, 'archive'));
    const away = join(scratch, 'archive', 'moved-campaign.duckdb');
    const store = await ResultsStore.open(away);
    const keys = new TrialKeys();
    for (const [at, result] of results.entries())
      await store.append(keys.key(specs[at]!), 'Moved', at, result);
    await store.close();

    await page.locator('#tab-notebook').click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.title()).toBe('Moved — Accent Migration Lab');
    const notices = page.getByTestId('store-notice');
    await expect.poll(() => notices.count()).toBe(1);
    await expect(notices.first().getAttribute('data-problem')).resolves.toBe('missing');

    // Locate…: the path dialog (the browser host has no file dialog), suggesting where it was looked for.
    await page.getByTestId('store-locate').click();
    await expect(page.locator('#path-dialog-title').textContent()).resolves.toBe('Locate the results store');
    await expect(page.getByTestId('path-input').inputValue()).resolves.toBe(
      join(scratch, 'moved.results.duckdb'),
    );
    // A wrong file: the host says why, the dialog stays open with the path as typed.
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect
      .poll(() => page.getByTestId('path-problem').textContent())
      .toContain('moved.accentlab cannot be read as a results store');
    await page.getByTestId('path-input').fill(join(scratch, 'archive', 'nope.duckdb'));
    await page.getByTestId('path-input').press('Enter');
    await expect
      .poll(() => page.getByTestId('path-problem').textContent())
      .toBe(`${join(scratch, 'archive', 'nope.duckdb')} does not exist`);
    // The store: verified (its trials, looked up by key), the summary points at it, the notice goes.
    await page.getByTestId('path-input').fill(away);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.getByTestId('path-input').isVisible()).toBe(false);
    await expect
      .poll(() => page.getByTestId('store-located').textContent())
      .toBe(
        `"Moved" now reads its trials from ${away} (6 of 6 looked up by key found). Save the notebook to keep ` +
          'this: saving copies them into the results store beside it, where its sweeps and Resume look.',
      );
    expect(await page.getByTestId('store-notices').count()).toBe(0);
    await expect.poll(() => page.title()).toBe('• Moved — Accent Migration Lab');
    await shot('37-store-located');
    // Saved: the trials go from the located store into the one beside the notebook (by key), which
    // the summary names; opened again, the notebook's store is in order.
    await page.getByTestId('save').click();
    await expect.poll(() => page.title()).toBe('Moved — Accent Migration Lab');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as NotebookDocument;
    const entry = saved.entries[0]!;
    expect(entry.kind === 'experiment' && entry.summary?.store).toBe('moved.results.duckdb');
    expect(existsSync(join(scratch, 'moved.results.duckdb'))).toBe(true);
    expect(existsSync(away)).toBe(true);
    await page.getByRole('button', { name: 'Open…' }).click();
    await page.getByTestId('path-input').fill(path);
    await page.getByTestId('path-input').press('Enter');
    await expect.poll(() => page.getByTestId('store-checked').getAttribute('data-path')).toBe(path);
    expect(await page.getByTestId('store-notices').count()).toBe(0);
  });
});
