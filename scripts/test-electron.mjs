// npm run test:electron — a smoke test of the real desktop app, for machines that have the
// Electron binary (run it before a release; it is not part of `npm test`). It builds the app,
// launches it with playwright-core's `_electron`, opens the built-in reproduction notebook, runs a
// small design, saves the notebook and exports a chart as PNG. Where the Electron binary is missing
// it says so and exits 0 without testing anything.
//
//   npm run test:electron              # build, then test
//   npm run test:electron -- --no-build
//   ELECTRON_PATH=/path/to/electron npm run test:electron
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const screenshots = join(root, 'test-output/electron');

/**
 * The Electron binary, found without `require('electron')` (which tries to download it): the
 * ELECTRON_PATH variable, else the one `npm install` put in node_modules/electron/dist.
 */
function electronBinary() {
  const fromEnv = process.env['ELECTRON_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const pathFile = join(root, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(root, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const executablePath = electronBinary();
if (!executablePath) {
  console.log(
    'test:electron: SKIPPED, no Electron binary on this machine (node_modules/electron/dist is empty,\n' +
      'e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or without network). Nothing was tested.\n' +
      'To run it: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run `node node_modules/electron/install.js`,\n' +
      'or point ELECTRON_PATH at an Electron 45 binary.',
  );
  process.exit(0);
}

const { _electron } = await import('playwright-core');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('electron-vite build failed');
}

const scratch = mkdtempSync(join(tmpdir(), 'accent-lab-electron-'));
mkdirSync(screenshots, { recursive: true });
const savedPath = join(scratch, 'smoke.accentlab');
const downloads = join(scratch, 'downloads');
mkdirSync(downloads);

const step = (name) => console.log(`test:electron: ${name}`);
const waitForFile = async (path, timeoutMs = 30_000) => {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 100));
  }
};
const pollTitle = async (page, expected, timeoutMs = 30_000) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const title = await page.title();
    if (expected.test(title)) return title;
    if (Date.now() > until) throw new Error(`window title "${title}" never matched ${expected}`);
    await new Promise((done) => setTimeout(done, 100));
  }
};

const app = await _electron.launch({
  executablePath,
  // A fresh profile: its own settings, recent files, autosaves and single-instance lock.
  args: [root, `--user-data-dir=${join(scratch, 'user-data')}`],
  cwd: root,
  env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config') },
});
let failed = false;
try {
  // The native dialogs cannot be clicked: answer them in the main process.
  await app.evaluate(
    ({ dialog, session }, { savedPath, downloads }) => {
      dialog.showSaveDialog = async () => ({ canceled: false, filePath: savedPath });
      session.defaultSession.on('will-download', (_event, item) => {
        item.setSavePath(`${downloads}/${item.getFilename()}`);
      });
    },
    { savedPath, downloads },
  );
  const page = await app.firstWindow();
  page.setDefaultTimeout(60_000);
  assert.equal(
    await page.evaluate(() => typeof globalThis.accentLab),
    'object',
    'the preload bridge is there',
  );
  assert.equal(await page.evaluate(() => typeof globalThis.require), 'undefined', 'the renderer has no Node');

  step('opens the built-in reproduction notebook');
  await page.getByTestId('welcome-reproduce').click();
  await pollTitle(page, /^Reproduce Zayas 1987 — Accent Migration Lab$/);
  await page.getByTestId('notebook').locator('table[data-table="table4_5"]').waitFor();
  await page.screenshot({ path: join(screenshots, '01-builtin-notebook.png') });

  step('runs a small design (Minprog, pure-copy and pure-IOU, prefetch 0)');
  await page.locator('#tab-design').click();
  for (const [attribute, keep] of [
    ['data-workload', ['Minprog']],
    ['data-strategy', ['pure-copy', 'pure-iou']],
    ['data-prefetch', ['0']],
  ]) {
    for (const box of await page.locator(`input[${attribute}]`).all()) {
      await box.setChecked(keep.includes(await box.getAttribute(attribute)));
    }
  }
  await page.getByTestId('repetitions').fill('1');
  assert.equal((await page.getByTestId('trial-count').textContent())?.trim(), '2');
  await page.getByTestId('run-design').click();
  await page.getByTestId('sweep-status').filter({ hasText: 'Finished' }).waitFor({ timeout: 120_000 });
  assert.equal((await page.getByTestId('count-done').textContent())?.trim(), '2');
  await page.screenshot({ path: join(screenshots, '02-run-finished.png') });

  step('saves the notebook (Save asks where: the built-in file is never overwritten)');
  await page.getByTestId('save').click();
  await waitForFile(savedPath);
  await pollTitle(page, /^smoke — Accent Migration Lab$/);
  const saved = JSON.parse(readFileSync(savedPath, 'utf8'));
  const experiments = saved.entries.filter((entry) => entry.kind === 'experiment');
  assert.ok(
    experiments.some((entry) => entry.results.length === 2),
    'the saved notebook holds the 2-trial experiment',
  );

  step('exports a chart as PNG');
  await page.locator('#tab-results').click();
  await page
    .locator('#panel-results')
    .getByRole('button', { name: 'Export Bytes transferred as PNG' })
    .click();
  await page.getByTestId('export-width').fill('500');
  await page.getByTestId('export-height').fill('300');
  await page.getByTestId('export-scale').fill('1');
  await page.getByTestId('export-png').click();
  const png = join(downloads, 'bytes-transferred.png');
  await waitForFile(png);
  await new Promise((done) => setTimeout(done, 500));
  const bytes = readFileSync(png);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [500, 300]);
  await page.getByTestId('export-close').click();
  step('PASSED');
} catch (error) {
  failed = true;
  console.error('test:electron: FAILED', error);
} finally {
  // A close that prompts (unsaved changes after a failure) must not hang the test.
  const closed = app.close().then(
    () => true,
    () => false,
  );
  const timedOut = new Promise((done) => setTimeout(() => done(false), 15_000));
  if (!(await Promise.race([closed, timedOut]))) app.process().kill();
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
