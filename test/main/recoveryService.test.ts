import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeProject } from '../../src/node/projectFile';
import { parseRecovery, RecoveryService } from '../../src/main/services/recoveryService';
import { sampleProject } from '../helpers/designs';

let dir: string;

beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'accent-lab-recovery-')), 'recovery');
});

afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const at = (iso: string) => () => new Date(iso);

describe('RecoveryService', () => {
  it('writes the unsaved project atomically to its own file, which parses back to the same document', async () => {
    const service = new RecoveryService({ dir, sessionId: 'one', now: at('2026-11-25T10:00:00Z') });
    const project = sampleProject();
    await service.write(project, '/home/ada/lab.accentlab');
    expect(await readdir(dir)).toEqual(['one.recovery.json']);
    const text = await readFile(service.ownFile, 'utf8');
    const parsed = parseRecovery(text, 'one.recovery.json');
    expect(parsed.savedAt).toBe('2026-11-25T10:00:00.000Z');
    expect(parsed.path).toBe('/home/ada/lab.accentlab');
    expect(serializeProject(parsed.project)).toBe(serializeProject(project));
    // Its own session's file is never offered back to it.
    expect(await service.pending()).toBeNull();
  });

  it("clear removes this session's file (a clean save or close)", async () => {
    const service = new RecoveryService({ dir, sessionId: 'one' });
    await service.write(sampleProject());
    await service.clear();
    expect(await readdir(dir)).toEqual([]);
    await service.clear(); // nothing to clear is fine
  });

  it('a later session is offered the newest work a dead session left, and restore takes it over', async () => {
    const crashed = new RecoveryService({ dir, sessionId: 'old', now: at('2026-11-24T09:00:00Z') });
    const older = sampleProject();
    older.name = 'older';
    await crashed.write(older);
    const crashedAgain = new RecoveryService({ dir, sessionId: 'newer', now: at('2026-11-25T09:30:00Z') });
    const untitled = { ...sampleProject(), name: 'Untitled' };
    await crashedAgain.write(untitled);

    const next = new RecoveryService({ dir, sessionId: 'next' });
    expect(await next.pending()).toEqual({
      savedAt: '2026-11-25T09:30:00.000Z',
      name: 'Untitled',
      path: null,
    });
    const restored = await next.restore();
    expect(restored.path).toBeNull();
    expect(serializeProject(restored.project)).toBe(serializeProject(untitled));
    // Kept as the new session's autosave until it is saved; the older leftovers are gone.
    expect(await readdir(dir)).toEqual(['next.recovery.json']);
    expect(await next.pending()).toBeNull();
    await expect(next.restore()).rejects.toThrow('there is no unsaved work to restore');
  });

  it("discard deletes what other sessions left, never this session's own file", async () => {
    await new RecoveryService({ dir, sessionId: 'dead' }).write(sampleProject());
    const service = new RecoveryService({ dir, sessionId: 'live' });
    await service.write(sampleProject());
    expect(await service.pending()).not.toBeNull();
    await service.discard();
    expect(await service.pending()).toBeNull();
    expect(await readdir(dir)).toEqual(['live.recovery.json']);
  });

  it('skips damaged recovery files instead of offering them', async () => {
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'torn.recovery.json'),
      '{"recoveryFormat":1,"savedAt":"2026-11-25T09:00:00Z","path":null}\n{"formatVer',
    );
    await writeFile(
      join(dir, 'bad-path.recovery.json'),
      `{"recoveryFormat":1,"savedAt":"2026-11-25T09:00:00Z","path":"relative"}\n${serializeProject(sampleProject())}`,
    );
    const service = new RecoveryService({ dir, sessionId: 'live' });
    expect(await service.pending()).toBeNull();
  });

  it('refuses an invalid document and keeps the last good autosave', async () => {
    const service = new RecoveryService({ dir, sessionId: 'one' });
    await service.write(sampleProject());
    const before = await readFile(service.ownFile, 'utf8');
    await expect(service.write({ ...sampleProject(), entries: 'no' } as never)).rejects.toThrow('entries');
    expect(await readFile(service.ownFile, 'utf8')).toBe(before);
  });

  it('runs calls in the order they arrive: a write sent before a clear never lands after it', async () => {
    const service = new RecoveryService({ dir, sessionId: 'one' });
    const writing = service.write(sampleProject());
    const clearing = service.clear();
    await Promise.all([writing, clearing]);
    expect(await readdir(dir)).toEqual([]);
  });
});
