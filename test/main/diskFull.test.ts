import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backupPath } from '../../src/node/notebookFile';
import { NotebookService } from '../../src/main/services/notebookService';
import { RecoveryService } from '../../src/main/services/recoveryService';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { buildCliIfStale, cli } from '../helpers/cli';
import { sampleNotebook } from '../helpers/designs';

/**
 * Saves on a real, nearly full disk: a 200 KB tmpfs, where writes come back short before they
 * fail. Mounting needs root (CI runs as root); elsewhere these tests are skipped with a message.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'accent-lab-full-'));
let mountError: string | null = null;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200k,mode=0755', 'tmpfs', mountPoint], { stdio: 'pipe' });
} catch (error) {
  mountError = String((error as { stderr?: Buffer }).stderr ?? error).trim();
  rmSync(mountPoint, { recursive: true, force: true });
  console.warn(`disk-full tests skipped: cannot mount a 200 KB tmpfs (${mountError || 'not root?'})`);
}

afterAll(() => {
  if (mountError) return;
  execFileSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

afterEach(async () => {
  if (mountError) return;
  for (const name of await readdir(mountPoint))
    await rm(join(mountPoint, name), { recursive: true, force: true });
});

/** A notebook whose file is about `kilobytes` KB, told apart by its name. */
function notebookOfSize(name: string, kilobytes: number): NotebookDocument {
  const notebook = sampleNotebook();
  notebook.name = name;
  notebook.entries.push({
    kind: 'note',
    id: 'note-padding',
    markdown: 'lorem ipsum '.repeat(kilobytes * 85),
  });
  return notebook;
}

/** Fill the disk with a file so that only about `bytesLeft` bytes stay free. */
async function fillDisk(bytesLeft: number): Promise<void> {
  const { stdout } = { stdout: execFileSync('df', ['-B1', '--output=avail', mountPoint]).toString() };
  const available = Number(stdout.trim().split('\n').pop());
  await writeFile(join(mountPoint, 'filler'), Buffer.alloc(Math.max(0, available - bytesLeft)));
}

describe.skipIf(mountError !== null)('on a nearly full disk (a real 200 KB tmpfs)', () => {
  beforeAll(async () => {
    await buildCliIfStale();
  }, 120_000);

  it('a notebook save is whole or refused, and the file and its .bak stay whole', async () => {
    const service = new NotebookService({ settingsDir: join(mountPoint, 'settings') });
    const file = join(mountPoint, 'nb.accentlab');
    const versions = [notebookOfSize('v12', 12), notebookOfSize('v120', 120), notebookOfSize('v60', 60)];
    const outcomes: string[] = [];
    let current: string | null = null;
    let backup: string | null = null;
    for (const version of versions) {
      try {
        await service.save(version, file);
        const written = await readFile(file, 'utf8');
        expect(JSON.parse(written).name).toBe(version.name);
        if (current !== null) expect(await readFile(backupPath(file), 'utf8')).toBe(current);
        backup = current;
        current = written;
        outcomes.push('saved');
      } catch (error) {
        expect((error as Error).message).toMatch(/cannot save .*nb\.accentlab: the disk is full/);
        // The file and its backup are exactly what they were before this save.
        expect(await readFile(file, 'utf8')).toBe(current);
        if (backup !== null) expect(await readFile(backupPath(file), 'utf8')).toBe(backup);
        outcomes.push('refused');
      }
    }
    // 12 + 120 KB fit; the third save needs room for the 120 KB backup beside both: it cannot fit.
    expect(outcomes).toEqual(['saved', 'saved', 'refused']);
    expect(JSON.parse(current ?? '').name).toBe('v120');
    // No temporary file is left behind.
    expect((await readdir(mountPoint)).sort()).toEqual(['nb.accentlab', 'nb.accentlab.bak', 'settings']);
  });

  it('an autosave that does not fit is refused, and the last whole one is still offered', async () => {
    const dir = join(mountPoint, 'recovery');
    await mkdir(dir);
    const crashed = new RecoveryService({ dir });
    await crashed.write('crashed', notebookOfSize('small', 4), null);
    await fillDisk(20 * 1024);
    await expect(crashed.write('crashed', notebookOfSize('big', 60), null)).rejects.toMatchObject({
      code: 'ENOSPC',
    });
    const next = new RecoveryService({ dir });
    expect(await next.pending('next')).toMatchObject({ name: 'small' });
    expect((await next.restore('next')).notebook.name).toBe('small');
  });

  it('accent-lab run exits non-zero saying the disk is full, never over a file cut short', async () => {
    const notebook = join(tmpdir(), `accent-lab-full-${process.pid}.accentlab`);
    await new NotebookService({ settingsDir: join(tmpdir(), 'accent-lab-full-settings') }).save(
      sampleNotebook(),
      notebook,
    );
    try {
      await fillDisk(8 * 1024);
      const out = join(mountPoint, 'out');
      const outcome = await cli('run', notebook, '--out', out, '--workers', '1', '--quiet');
      expect(outcome.code).not.toBe(0);
      expect(outcome.stderr).toMatch(/cannot write .*(trials\.csv|results\.json): the disk is full/);
      // Whatever was written is whole: trials.csv (small) may fit; results.json cannot.
      for (const name of await readdir(out)) {
        const text = await readFile(join(out, name), 'utf8');
        if (name === 'results.json') JSON.parse(text);
        if (name === 'trials.csv') expect(text.endsWith('\n')).toBe(true);
        expect(name.endsWith('.partial')).toBe(false);
      }
    } finally {
      await rm(notebook, { force: true });
      await rm(`${notebook}.bak`, { force: true });
    }
  }, 120_000);
});
