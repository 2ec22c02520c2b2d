import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import { MAX_RECENT, ProjectService } from '../../src/main/services/projectService';
import type { ProjectDocument } from '../../src/shared/hostApi';
import { sampleProject } from '../helpers/designs';
import { trialSpec } from '../helpers/trials';

let dir: string;
let settingsDir: string;
let service: ProjectService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-projects-'));
  settingsDir = join(dir, 'settings');
  service = new ProjectService({ settingsDir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function projectWithResults(): ProjectDocument {
  const project = sampleProject();
  project.experiments[0]!.results = [
    runTrial(trialSpec('a')),
    runTrial(trialSpec('b', { strategy: 'pure-copy' })),
  ];
  return project;
}

describe('ProjectService', () => {
  it('creates a fresh project of the current format', () => {
    expect(service.newProject()).toEqual({ formatVersion: 1, name: 'Untitled', experiments: [] });
  });

  it('saves, opens and re-saves to identical bytes, with a fixed key order and a trailing newline', async () => {
    const file = join(dir, 'lab.accentlab');
    const project = projectWithResults();
    expect(await service.save(project, file)).toEqual({ path: file });
    const first = await readFile(file, 'utf8');
    expect(first.endsWith('}\n')).toBe(true);
    expect(first.startsWith('{\n  "formatVersion": 1,\n  "name": "Sample",\n  "experiments": [')).toBe(true);

    const opened = await service.open(file);
    expect(opened.path).toBe(file);
    expect(opened.project).toEqual(JSON.parse(first));
    await service.save(opened.project, file);
    expect(await readFile(file, 'utf8')).toBe(first);

    // The same document with its keys in another order saves to the same bytes.
    const shuffled = JSON.parse(JSON.stringify(project), function (_key, value: unknown) {
      return value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value;
    }) as ProjectDocument;
    const other = join(dir, 'other.accentlab');
    await service.save(shuffled, other);
    expect(await readFile(other, 'utf8')).toBe(first);
  });

  it('adds the extension when the path has none', async () => {
    const saved = await service.save(sampleProject(), join(dir, 'plain'));
    expect(saved.path).toBe(join(dir, 'plain.accentlab'));
    await expect(stat(saved.path)).resolves.toBeTruthy();
  });

  it('refuses relative paths and files without the project extension', async () => {
    await expect(service.save(sampleProject(), 'relative.accentlab')).rejects.toThrow(/absolute/);
    await expect(service.open('relative.accentlab')).rejects.toThrow(/absolute/);
    const text = join(dir, 'notes.txt');
    await writeFile(text, '{}');
    await expect(service.open(text)).rejects.toThrow(/end in \.accentlab/);
    await expect(service.open(join(dir, 'missing.accentlab'))).rejects.toThrow(/does not exist/);
  });

  it('refuses to save an invalid project, naming the field, and leaves the file as it was', async () => {
    const file = join(dir, 'lab.accentlab');
    await service.save(sampleProject(), file);
    const before = await readFile(file, 'utf8');
    const bad = sampleProject();
    (bad.experiments[0]!.design as { seed: unknown }).seed = 'x';
    await expect(service.save(bad, file)).rejects.toThrow(/experiments\[0\]\.design\.seed/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  describe('bad files give clear errors and stay untouched', () => {
    const cases: [string, string, RegExp][] = [
      ['corrupt', 'this is not json', /lab\.accentlab is not a project file: it is not valid JSON/],
      ['empty', '', /it is empty/],
      ['not an object', '[1, 2]', /does not hold a JSON object/],
      ['wrong-typed', JSON.stringify({ ...sampleProject(), name: 42 }), /not a valid project file: name: /],
      [
        'wrong-typed deep inside',
        JSON.stringify({
          ...sampleProject(),
          experiments: [
            { design: { ...sampleProject().experiments[0]!.design, repetitions: 'two' }, results: [] },
          ],
        }),
        /experiments\[0\]\.design\.repetitions/,
      ],
      [
        'from an older, unknown format',
        JSON.stringify({ ...sampleProject(), formatVersion: 0 }),
        /formatVersion: must be 1/,
      ],
      [
        'from a newer version',
        JSON.stringify({ ...sampleProject(), formatVersion: 2 }),
        /saved by a newer version of Accent Migration Lab \(project format 2\); this version reads format 1/,
      ],
    ];

    it.each(cases)('%s', async (_what, text, message) => {
      const file = join(dir, 'lab.accentlab');
      await writeFile(file, text);
      await expect(service.open(file)).rejects.toThrow(message);
      expect(await readFile(file, 'utf8')).toBe(text);
      expect(await service.recent()).toEqual([]);
    });

    it('truncated', async () => {
      const file = join(dir, 'lab.accentlab');
      await service.save(projectWithResults(), file);
      const whole = await readFile(file, 'utf8');
      const truncated = whole.slice(0, Math.floor(whole.length / 2));
      await writeFile(file, truncated);
      await expect(service.open(file)).rejects.toThrow(/not valid JSON \(truncated or corrupt\?\)/);
      expect(await readFile(file, 'utf8')).toBe(truncated);
    });
  });

  it('keeps recent files: most recent first, no duplicates, at most ten, missing files dropped', async () => {
    expect(await service.recent()).toEqual([]);
    const files: string[] = [];
    for (let i = 0; i < MAX_RECENT + 2; i += 1) {
      const file = join(dir, `p${i}.accentlab`);
      files.push(file);
      await service.save(sampleProject(), file);
    }
    const expected = [...files].reverse().slice(0, MAX_RECENT);
    expect(await service.recent()).toEqual(expected);

    await service.open(files[5]!);
    expect((await service.recent())[0]).toBe(files[5]);
    expect(await service.recent()).toHaveLength(MAX_RECENT);
    expect(new Set(await service.recent()).size).toBe(MAX_RECENT);

    await rm(files[5]!);
    expect(await service.recent()).not.toContain(files[5]);

    // Another service on the same settings folder sees the same list (it is on disk).
    const again = new ProjectService({ settingsDir });
    expect(await again.recent()).toEqual(await service.recent());
  });

  it('starts afresh from a corrupt recent list', async () => {
    await mkdir(settingsDir, { recursive: true });
    await writeFile(join(settingsDir, 'recent-projects.json'), '{oops');
    expect(await service.recent()).toEqual([]);
    const file = join(dir, 'a.accentlab');
    await service.save(sampleProject(), file);
    expect(await service.recent()).toEqual([file]);
  });
});
