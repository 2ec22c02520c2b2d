import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/**
 * The lab as a browser user meets it, for the browser tests and the renderer benchmark: the
 * built web adapter (`out/main/web.js`) and Debian's Chromium driven by playwright-core.
 */

/** Start `node out/main/web.js --port 0` and read the address it prints. */
export function startWebAdapter(
  root: string,
  scratch: string,
  workers: number,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'out/main/web.js'),
      '--port',
      '0',
      '--workers',
      String(workers),
      '--settings-dir',
      join(scratch, 'settings'),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`web adapter printed no address; stderr:\n${stderr}`)),
      30_000,
    );
    child.once('exit', (code) => reject(new Error(`web adapter exited with ${code}; stderr:\n${stderr}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, url: line.trim() });
    });
  });
}

/** Stop the web adapter by its own PID: SIGTERM, then SIGKILL if it has not exited in 5 s. */
export async function stopWebAdapter(child: ChildProcess | undefined | null): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

/** Headless Chromium at 1280x800 with a fresh profile in `scratch` (no network chatter). */
export function launchChromium(executablePath: string, scratch: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(join(scratch, 'profile'), {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
}

/** The Chromium to drive (option, CHROMIUM_PATH, else Debian's), after checking it and the built web adapter are there. */
export function chromiumFor(root: string, chromium?: string): string {
  const executablePath = chromium ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new Error(`no Chromium at ${executablePath}`);
  if (!existsSync(join(root, 'out/main/web.js')))
    throw new Error('out/main/web.js is missing: npm run build');
  return executablePath;
}

/** Tick exactly the designer's check boxes `input[attribute]` whose attribute is one of `values`. */
export async function chooseOnly(page: Page, attribute: string, values: readonly string[]): Promise<void> {
  for (const box of await page.locator(`input[${attribute}]`).all()) {
    const value = (await box.getAttribute(attribute))!;
    await box.setChecked(values.includes(value));
  }
}
