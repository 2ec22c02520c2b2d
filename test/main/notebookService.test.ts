import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { designProblems, expandDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import { MAX_RECENT, NotebookService } from '../../src/main/services/notebookService';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { sampleExperiment, sampleNotebook, sampleNotebookV1 } from '../helpers/designs';
import { trialSpec } from '../helpers/trials';

let dir: string;
let settingsDir: string;
let service: NotebookService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-notebooks-'));
  settingsDir = join(dir, 'settings');
  service = new NotebookService({ settingsDir });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function notebookWithResults(): NotebookDocument {
  const notebook = sampleNotebook();
  sampleExperiment(notebook).results = [
    runTrial(trialSpec('a')),
    runTrial(trialSpec('b', { strategy: 'pure-copy' })),
  ];
  return notebook;
}

describe('NotebookService', () => {
  it('creates a fresh notebook of the current format', () => {
    expect(service.newNotebook()).toEqual({
      formatVersion: 3,
      name: 'Untitled',
      provenance: {
        engineVersion: ENGINE_VERSION,
        createdBy: expect.stringMatching(/^Accent Migration Lab \d/),
      },
      entries: [],
    });
  });

  it('saves, opens and re-saves to identical bytes, with a fixed key order and a trailing newline', async () => {
    const file = join(dir, 'lab.accentlab');
    const notebook = notebookWithResults();
    expect(await service.save(notebook, file)).toEqual({ path: file });
    const first = await readFile(file, 'utf8');
    expect(first.endsWith('}\n')).toBe(true);
    expect(
      first.startsWith(
        '{\n  "formatVersion": 3,\n  "name": "Sample",\n  "provenance": {\n    "engineVersion": ' +
          `"${ENGINE_VERSION}",\n    "createdBy": "Accent Migration Lab `,
      ),
    ).toBe(true);
    expect(first).toContain('\n  "entries": [\n    {\n      "kind": "note",\n      "id": "note-1",');

    const opened = await service.open(file);
    expect(opened.path).toBe(file);
    expect(opened.notebook).toEqual(JSON.parse(first));
    await service.save(opened.notebook, file);
    expect(await readFile(file, 'utf8')).toBe(first);

    // The same document with its keys in another order saves to the same bytes.
    const shuffled = JSON.parse(JSON.stringify(notebook), function (_key, value: unknown) {
      return value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value;
    }) as NotebookDocument;
    const other = join(dir, 'other.accentlab');
    await service.save(shuffled, other);
    expect(await readFile(other, 'utf8')).toBe(first);
  });

  it('opens a notebook whose hardware is out of bounds, losing nothing; running it is refused naming the field', async () => {
    const notebook = notebookWithResults();
    const design = sampleExperiment(notebook).design;
    design.hardware.network.latencyMs = 1e9;
    design.hardware.memory.framesPerHost = 2e9;
    const file = join(dir, 'far.accentlab');
    await service.save(notebook, file);
    const saved = await readFile(file, 'utf8');
    const opened = await service.open(file);
    const hardware = sampleExperiment(opened.notebook).design.hardware;
    expect([hardware.network.latencyMs, hardware.memory.framesPerHost]).toEqual([1e9, 2e9]);
    await service.save(opened.notebook, file);
    expect(await readFile(file, 'utf8')).toBe(saved);
    const problems = [
      'hardware: Frames per host (frames) must be a whole number above 0 and at most 1,000,000,000 (got 2,000,000,000)',
      'hardware: Latency (ms) must be a number from 0 to 60,000 (got 1,000,000,000)',
    ];
    expect(designProblems(sampleExperiment(opened.notebook).design)).toEqual(problems);
    expect(() => runTrial({ ...trialSpec('far'), hardware })).toThrow(problems[0]);
  });

  it('adds the extension when the path has none', async () => {
    const saved = await service.save(sampleNotebook(), join(dir, 'plain'));
    expect(saved.path).toBe(join(dir, 'plain.accentlab'));
    await expect(stat(saved.path)).resolves.toBeTruthy();
  });

  it('refuses relative paths and files without the notebook extension', async () => {
    await expect(service.save(sampleNotebook(), 'relative.accentlab')).rejects.toThrow(/absolute/);
    await expect(service.open('relative.accentlab')).rejects.toThrow(/absolute/);
    const text = join(dir, 'notes.txt');
    await writeFile(text, '{}');
    await expect(service.open(text)).rejects.toThrow(/end in \.accentlab/);
    await expect(service.open(join(dir, 'missing.accentlab'))).rejects.toThrow(/does not exist/);
  });

  it('refuses to save an invalid notebook, naming the field, and leaves the file as it was', async () => {
    const file = join(dir, 'lab.accentlab');
    await service.save(sampleNotebook(), file);
    const before = await readFile(file, 'utf8');
    const bad = sampleNotebook();
    (sampleExperiment(bad).design as { seed: unknown }).seed = 'x';
    await expect(service.save(bad, file)).rejects.toThrow(/entries\[1\]\.design\.seed/);
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  describe('bad files give clear errors and stay untouched', () => {
    const cases: [string, string, RegExp][] = [
      ['corrupt', 'this is not json', /lab\.accentlab is not a notebook file: it is not valid JSON/],
      ['empty', '', /it is empty/],
      ['not an object', '[1, 2]', /does not hold a JSON object/],
      ['wrong-typed', JSON.stringify({ ...sampleNotebook(), name: 42 }), /not a valid notebook file: name: /],
      [
        'wrong-typed deep inside',
        JSON.stringify({
          ...sampleNotebook(),
          entries: [
            {
              ...sampleExperiment(sampleNotebook()),
              design: { ...sampleExperiment(sampleNotebook()).design, repetitions: 'two' },
            },
          ],
        }),
        /entries\[0\]\.design\.repetitions/,
      ],
      [
        'a figure of a missing experiment',
        JSON.stringify({
          ...sampleNotebook(),
          entries: [
            { kind: 'figure', id: 'f', experimentId: 'gone', figure: { kind: 'bytes' }, caption: '' },
          ],
        }),
        /entries\[0\]\.experimentId: no experiment entry has the id "gone"/,
      ],
      [
        'two entries with one id',
        JSON.stringify({
          ...sampleNotebook(),
          entries: [sampleNotebook().entries[0], sampleNotebook().entries[0]],
        }),
        /entries\[1\]\.id: "note-1" is the id of an earlier entry/,
      ],
      [
        'a format-1 file with a wrong-typed field',
        JSON.stringify({ ...sampleNotebookV1(), experiments: [{ design: 5, results: [] }] }),
        /format 1: experiments\[0\]\.design: /,
      ],
      [
        'from an older, unknown format',
        JSON.stringify({ ...sampleNotebook(), formatVersion: 0 }),
        /formatVersion: must be a notebook format version from 1 to 3/,
      ],
      [
        'from a newer version',
        JSON.stringify({ ...sampleNotebook(), formatVersion: 4 }),
        /saved by a newer version of Accent Migration Lab \(notebook format 4\); this version reads format 3 and older/,
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
      await service.save(notebookWithResults(), file);
      const whole = await readFile(file, 'utf8');
      const truncated = whole.slice(0, Math.floor(whole.length / 2));
      await writeFile(file, truncated);
      await expect(service.open(file)).rejects.toThrow(/not valid JSON \(truncated or corrupt\?\)/);
      expect(await readFile(file, 'utf8')).toBe(truncated);
    });
  });

  it('upgrades a format-1 file on open: each experiment becomes an experiment entry', async () => {
    const file = join(dir, 'old.accentlab');
    const v1 = sampleNotebookV1();
    v1.experiments.push({
      design: { ...v1.experiments[0]!.design, name: 'second' },
      results: [runTrial(trialSpec('a'))],
    });
    const text = `${JSON.stringify(v1, null, 2)}\n`;
    await writeFile(file, text);
    const opened = await service.open(file);
    expect(opened.notebook.formatVersion).toBe(3);
    expect(opened.notebook.name).toBe('Sample');
    expect(opened.notebook.provenance.engineVersion).toBe(ENGINE_VERSION);
    expect(opened.notebook.entries.map((entry) => [entry.kind, entry.id])).toEqual([
      ['experiment', 'experiment-1'],
      ['experiment', 'experiment-2'],
    ]);
    const second = opened.notebook.entries[1]!;
    expect(second.kind === 'experiment' && second.design.name).toBe('second');
    expect(second.kind === 'experiment' && second.results).toEqual(
      JSON.parse(JSON.stringify(v1.experiments[1]!.results)),
    );
    // Opening changes nothing on disk; saving writes format 3.
    expect(await readFile(file, 'utf8')).toBe(text);
    await service.save(opened.notebook, file);
    expect(JSON.parse(await readFile(file, 'utf8')).formatVersion).toBe(3);
  });

  it('re-running a stored experiment with its stored seeds gives identical results', async () => {
    const file = join(dir, 'rerun.accentlab');
    const notebook = sampleNotebook();
    const experiment = sampleExperiment(notebook);
    experiment.results = expandDesign(experiment.design).map((spec) => runTrial(spec));
    await service.save(notebook, file);
    const reopened = sampleExperiment((await service.open(file)).notebook);
    const rerun = expandDesign(reopened.design).map((spec) => runTrial(spec));
    expect(JSON.parse(JSON.stringify(rerun))).toEqual(reopened.results);
  });

  it('lists and opens the built-in notebooks without a path', async () => {
    const builtinDir = join(dir, 'notebooks');
    await mkdir(builtinDir);
    await new NotebookService({ settingsDir }).save(sampleNotebook(), join(builtinDir, 'sample.accentlab'));
    const withBuiltins = new NotebookService({ settingsDir, builtinDir });
    expect(await withBuiltins.builtinNotebooks()).toEqual([{ id: 'sample', title: 'Sample' }]);
    expect((await withBuiltins.openBuiltin('sample')).entries).toHaveLength(2);
    await expect(withBuiltins.openBuiltin('../sample')).rejects.toThrow(/no built-in notebook/);
    await expect(withBuiltins.openBuiltin('missing')).rejects.toThrow(/no built-in notebook "missing"/);
    expect(await service.builtinNotebooks()).toEqual([]);
  });

  it('keeps recent files: most recent first, no duplicates, at most ten, missing files dropped', async () => {
    expect(await service.recent()).toEqual([]);
    const files: string[] = [];
    for (let i = 0; i < MAX_RECENT + 2; i += 1) {
      const file = join(dir, `p${i}.accentlab`);
      files.push(file);
      await service.save(sampleNotebook(), file);
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
    const again = new NotebookService({ settingsDir });
    expect(await again.recent()).toEqual(await service.recent());
  });

  it('starts afresh from a corrupt recent list', async () => {
    await mkdir(settingsDir, { recursive: true });
    await writeFile(join(settingsDir, 'recent-projects.json'), '{oops');
    expect(await service.recent()).toEqual([]);
    const file = join(dir, 'a.accentlab');
    await service.save(sampleNotebook(), file);
    expect(await service.recent()).toEqual([file]);
  });
});
