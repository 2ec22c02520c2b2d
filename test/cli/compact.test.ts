import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactCommand } from '../../src/cli/commands/compact';
import { runCampaignCommand } from '../../src/cli/commands/run';
import { expandDesign } from '../../src/engine/experiment/design';
import { ENGINE_VERSION, runTrial } from '../../src/engine/experiment/trial';
import type { TrialResult } from '../../src/engine/experiment/trial';
import { serializeNotebook } from '../../src/node/notebookFile';
import { ResultsStore } from '../../src/node/resultsStore';
import type { CliIo } from '../../src/cli/context';
import type { ExperimentEntry, NotebookDocument } from '../../src/shared/hostApi';
import { summarizeTrials } from '../../src/shared/notebook/summary';
import { smallDesign } from '../helpers/designs';

// `accent-lab compact NB` and `run NB --save` move an old notebook's over-limit inline experiment
// into its store (issue 17); the byte limit is lowered here so that 30 trials are over it.

let dir: string;
const design = smallDesign({ name: 'Old', repetitions: 10 });
let results: TrialResult[];
const INLINE_BYTES = 20_000;

function capture(): { io: CliIo; text: () => string } {
  let text = '';
  const stream = {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WriteStream;
  return { io: { stdout: stream, stderr: stream }, text: () => text };
}

async function oldNotebook(name: string): Promise<{ file: string; text: string }> {
  const doc: NotebookDocument = {
    formatVersion: 3,
    name,
    provenance: { engineVersion: ENGINE_VERSION, createdBy: 'accent-lab' },
    entries: [{ kind: 'experiment', id: 'old', design, results, engineVersion: ENGINE_VERSION }],
  };
  const file = join(dir, `${name}.accentlab`);
  const text = serializeNotebook(doc);
  await writeFile(file, text);
  return { file, text };
}

const entryOf = async (file: string): Promise<ExperimentEntry> =>
  (JSON.parse(await readFile(file, 'utf8')) as NotebookDocument).entries[0] as ExperimentEntry;

async function storedCount(path: string): Promise<number> {
  const store = await ResultsStore.open(path, { readOnly: true });
  try {
    return await store.count();
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-compact-'));
  results = expandDesign(design).map((spec) => runTrial(spec));
  expect(JSON.stringify(results).length).toBeGreaterThan(INLINE_BYTES);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('accent-lab compact and run --save on an old notebook', () => {
  it('compact moves the trials into the store, keeps the summary, and keeps the old file as .bak', async () => {
    const { file, text } = await oldNotebook('study');
    const out = capture();
    expect(await compactCommand(file, { inlineBytes: INLINE_BYTES }, out.io)).toBe(0);
    expect(out.text()).toContain(
      `compact: old: 30 trials moved into ${join(dir, 'study.results.duckdb')} (30 new to it)`,
    );
    const entry = await entryOf(file);
    expect(entry.results).toEqual([]);
    expect(entry.summary).toEqual(summarizeTrials(design, results, 'study.results.duckdb'));
    expect(await storedCount(join(dir, 'study.results.duckdb'))).toBe(30);
    expect(await readFile(`${file}.bak`, 'utf8')).toBe(text);

    const again = capture();
    expect(await compactCommand(file, { inlineBytes: INLINE_BYTES }, again.io)).toBe(0);
    expect(again.text()).toContain('nothing to do');
  });

  it('compact changes nothing when the store cannot be written', async () => {
    const { file, text } = await oldNotebook('blocked');
    await writeFile(join(dir, 'blocked.results.duckdb'), 'not a store\n');
    const out = capture();
    expect(await compactCommand(file, { inlineBytes: INLINE_BYTES }, out.io)).toBe(1);
    expect(out.text()).toContain('compact: warning: "Old": its 30 trials stay in the notebook');
    expect(await readFile(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}.bak`)).toBe(false);
  });

  it('run --save stores the inline trials first: none runs again, the notebook keeps the summary', async () => {
    const { file } = await oldNotebook('rerun');
    const out = capture();
    const status = await runCampaignCommand(
      file,
      { workers: 1, trialTimeout: 60_000, save: true, quiet: true, inlineBytes: INLINE_BYTES },
      out.io,
    );
    expect(status).toBe(0);
    expect(out.text()).toContain('run: old: its 30 inline trials moved into the store');
    expect(out.text()).toContain('run: 30 in the store, 0 to run');
    const entry = await entryOf(file);
    expect(entry.results).toEqual([]);
    expect(entry.summary).toEqual(summarizeTrials(design, results, 'rerun.results.duckdb'));
    expect(await storedCount(join(dir, 'rerun.results.duckdb'))).toBe(30);
  });
});
