import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeNotebook } from '../../src/node/notebookFile';
import { STALE_TEMPORARY_MS, temporaryPathFor } from '../../src/node/wholeFile';
import { parseRecovery, RecoveryService } from '../../src/main/services/recoveryService';
import { sampleNotebook } from '../helpers/designs';

let dir: string;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'accent-lab-recovery-')), 'recovery');
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const at = (iso: string) => () => new Date(iso);
const named = (name: string) => ({ ...sampleNotebook(), name });
const files = async () => (await readdir(dir)).sort();

describe('RecoveryService', () => {
  it("writes a tab's unsaved notebook atomically to the tab's own file, which parses back to the same document", async () => {
    const service = new RecoveryService({ dir, now: at('2026-11-25T10:00:00Z') });
    const notebook = sampleNotebook();
    await service.write('one', notebook, '/home/ada/lab.accentlab');
    expect(await files()).toEqual(['one.recovery.json']);
    const text = await readFile(service.ownFile('one'), 'utf8');
    const parsed = parseRecovery(text, 'one.recovery.json');
    expect(parsed.savedAt).toBe('2026-11-25T10:00:00.000Z');
    expect(parsed.path).toBe('/home/ada/lab.accentlab');
    expect(serializeNotebook(parsed.notebook)).toBe(serializeNotebook(notebook));
  });

  it("clear removes this tab's file only (a clean save or close)", async () => {
    const service = new RecoveryService({ dir });
    await service.write('one', named('one'));
    await service.write('two', named('two'));
    await service.clear('one');
    expect(await files()).toEqual(['two.recovery.json']);
    await service.clear('one'); // nothing to clear is fine
  });

  it("clearTabs removes the files this service's tabs wrote or restored (the desktop app's agreed close), no other", async () => {
    await new RecoveryService({ dir, now: at('2026-11-25T09:00:00Z') }).write('other-process', named('left'));
    const service = new RecoveryService({ dir });
    await service.write('window', named('mine'));
    await service.clearTabs();
    expect(await files()).toEqual(['other-process.recovery.json']);
    expect(await service.pending('window')).toMatchObject({ name: 'left' });
    await service.restore('window');
    await service.clearTabs();
    expect(await files()).toEqual([]);
  });

  it('two open tabs keep their own autosaves; neither is offered, restored or discarded by another tab', async () => {
    const service = new RecoveryService({ dir });
    const releaseA = service.hold('tab-a');
    const releaseB = service.hold('tab-b');
    service.hold('tab-c');
    await service.write('tab-a', named('A'));
    await service.write('tab-b', named('B'));
    // A third tab starts: nothing was left behind.
    expect(await service.pending('tab-c')).toBeNull();
    await expect(service.restore('tab-c')).rejects.toThrow('there is no unsaved work to restore');
    expect(await service.discard('tab-c')).toBeNull();
    // B saves cleanly: only its own autosave goes.
    await service.clear('tab-b');
    expect(await files()).toEqual(['tab-a.recovery.json']);
    releaseB();
    // A's tab closes with unsaved work: the next tab to start is offered it.
    releaseA();
    releaseA(); // idempotent
    expect(await service.pending('tab-d')).toMatchObject({ name: 'A', more: 0 });
    expect((await service.restore('tab-d')).notebook.name).toBe('A');
    expect(await files()).toEqual(['tab-d.recovery.json']);
  });

  it("a reload of a tab is offered that tab's own autosave, and the tab's next autosave does not overwrite it", async () => {
    const service = new RecoveryService({ dir });
    service.hold('tab');
    await service.write('tab', named('before the reload'));
    // The page reloads: same tab id (sessionStorage), its page starts again.
    expect(await service.pending('tab')).toMatchObject({ name: 'before the reload', more: 0 });
    expect(await files()).not.toContain('tab.recovery.json');
    // Ignored for now: the new page's autosave is a file of its own; the earlier work is kept.
    await service.write('tab', named('after the reload'));
    expect(await files()).toHaveLength(2);
    // Restored: it becomes the tab's autosave, and what the tab had autosaved is set aside, not lost.
    expect((await service.restore('tab')).notebook.name).toBe('before the reload');
    const left = await files();
    expect(left).toHaveLength(2);
    expect(left).toContain('tab.recovery.json');
    expect(await service.pending('other')).toMatchObject({ name: 'after the reload' });
  });

  it("after a crash each tab's work is offered: newest first, one tab each or the next after a discard", async () => {
    const crashed = new RecoveryService({ dir, now: at('2026-11-24T09:00:00Z') });
    await crashed.write('tab-1', named('older'));
    const crashedLater = new RecoveryService({ dir, now: at('2026-11-25T09:30:00Z') });
    await crashedLater.write('tab-2', named('Untitled'));

    const next = new RecoveryService({ dir });
    next.hold('new-1');
    expect(await next.pending('new-1')).toEqual({
      savedAt: '2026-11-25T09:30:00.000Z',
      name: 'Untitled',
      path: null,
      more: 1,
    });
    const restored = await next.restore('new-1');
    expect(restored.path).toBeNull();
    expect(serializeNotebook(restored.notebook)).toBe(serializeNotebook(named('Untitled')));
    // Kept as the new tab's autosave until it is saved; the other tab's work waits.
    expect(await files()).toEqual(['new-1.recovery.json', 'tab-1.recovery.json']);
    // A second tab is offered the other tab's work; a discard deletes that one only.
    next.hold('new-2');
    expect(await next.pending('new-2')).toMatchObject({ name: 'older', more: 0 });
    expect(await next.discard('new-2')).toBeNull();
    expect(await files()).toEqual(['new-1.recovery.json']);
  });

  it('discard deletes the offered work only and offers the next', async () => {
    await new RecoveryService({ dir, now: at('2026-11-25T09:00:00Z') }).write('dead-1', named('first'));
    await new RecoveryService({ dir, now: at('2026-11-25T08:00:00Z') }).write('dead-2', named('second'));
    const service = new RecoveryService({ dir });
    expect(await service.pending('live')).toMatchObject({ name: 'first', more: 1 });
    expect(await service.discard('live')).toMatchObject({ name: 'second', more: 0 });
    expect(await files()).toEqual(['dead-2.recovery.json']);
    expect(await service.discard('live')).toBeNull();
    expect(await files()).toEqual([]);
  });

  it('two tabs offered the same work: the first to restore takes it, the other is told', async () => {
    await new RecoveryService({ dir }).write('dead', named('left'));
    const service = new RecoveryService({ dir });
    expect(await service.pending('a')).toMatchObject({ name: 'left' });
    expect(await service.pending('b')).toMatchObject({ name: 'left' });
    expect((await service.restore('a')).notebook.name).toBe('left');
    await expect(service.restore('b')).rejects.toThrow(
      'that unsaved work was restored or discarded in another tab',
    );
    expect(await files()).toEqual(['a.recovery.json']);
  });

  it('skips damaged recovery files instead of offering them', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'torn.recovery.json'),
      '{"recoveryFormat":1,"savedAt":"2026-11-25T09:00:00Z","path":null}\n{"formatVer',
    );
    await writeFile(
      join(dir, 'bad-path.recovery.json'),
      `{"recoveryFormat":1,"savedAt":"2026-11-25T09:00:00Z","path":"relative"}\n${serializeNotebook(sampleNotebook())}`,
    );
    const service = new RecoveryService({ dir });
    expect(await service.pending('live')).toBeNull();
  });

  it('refuses an invalid document and keeps the last good autosave', async () => {
    const service = new RecoveryService({ dir });
    await service.write('one', sampleNotebook());
    const before = await readFile(service.ownFile('one'), 'utf8');
    await expect(service.write('one', { ...sampleNotebook(), entries: 'no' } as never)).rejects.toThrow(
      'entries',
    );
    expect(await readFile(service.ownFile('one'), 'utf8')).toBe(before);
  });

  it('refuses a tab id that is not a plain name (no folders, no dots)', async () => {
    const service = new RecoveryService({ dir });
    for (const tab of ['', '../x', 'a.b', 'x'.repeat(65)]) {
      expect(() => service.write(tab, sampleNotebook())).toThrow('a tab id is 1 to 64 letters');
    }
  });

  it('runs calls in the order they arrive: a write sent before a clear never lands after it', async () => {
    const service = new RecoveryService({ dir });
    const writing = service.write('one', sampleNotebook());
    const clearing = service.clear('one');
    await Promise.all([writing, clearing]);
    expect(await files()).toEqual([]);
  });

  it('removes the stale temporaries of autosaves killed midway, of any tab, when a tab starts (issue 14)', async () => {
    const service = new RecoveryService({ dir });
    await service.write('open', named('open'));
    // A tab that never comes back, and this one, each killed in the middle of an autosave.
    const gone = temporaryPathFor(service.ownFile('gone'));
    const own = temporaryPathFor(service.ownFile('open'));
    const recent = temporaryPathFor(service.ownFile('busy'));
    for (const path of [gone, own, recent]) await writeFile(path, '{"recoveryFormat":1');
    const old = new Date(Date.now() - 2 * STALE_TEMPORARY_MS);
    for (const path of [gone, own]) await utimes(path, old, old);
    await service.pending('starting');
    // The recent one may be an autosave under way in another process: kept.
    const left = await files();
    expect(left).toEqual(['open.recovery.json', recent.slice(dir.length + 1)].sort());
  });
});
