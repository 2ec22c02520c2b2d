import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import { currentProvenance, serializeNotebook } from '../../src/node/notebookFile';
import type { NotebookDocument } from '../../src/shared/hostApi';
import { buildWorker, type BuiltWorker } from '../helpers/buildWorker';
import { sampleNotebook } from '../helpers/designs';

/**
 * Saves are atomic: a child process saves two different notebooks over one file in a loop through
 * the real NotebookService and is killed with SIGKILL at a random moment, again and again. After
 * every kill the file (and its .bak) must be exactly one of the two documents, whole: never a mix,
 * never empty, never missing. KILL_LOOP_KILLS sets the number of kills (default 200, which CI runs).
 */
const KILLS = Number(process.env['KILL_LOOP_KILLS'] ?? 200);
const SEED = Number(process.env['KILL_LOOP_SEED'] ?? 1987);
/**
 * The kill comes this long (uniform, ms) after the child has finished 0, 1 or 2 saves (drawn too):
 * anchored on saves, not on the start alone, so that on a slow or busy machine, where one save
 * takes longer than this, kills still land both inside the first save and after later ones.
 */
const MAX_DELAY_MS = 120;
const MAX_SAVES_BEFORE_KILL = 2;
/** What the save loop prints once it starts; then one '.' per finished save. */
const STARTED = 'saving\n';
/** Save loops killed side by side (each on its own file), so process start-up overlaps. */
const LANES = 4;
const APP_VERSION = '0.0.0-kill-test';

let child: BuiltWorker;
let dir: string;

/** Two valid documents of different sizes (about 40 KB and 240 KB), so writes take a while. */
function documents(): [NotebookDocument, NotebookDocument] {
  const old = sampleNotebook();
  old.name = 'old';
  old.entries.push({ kind: 'note', id: 'note-old', markdown: 'o'.repeat(40_000) });
  const next = sampleNotebook();
  next.name = 'new';
  next.entries.push({ kind: 'note', id: 'note-new', markdown: 'n\n'.repeat(120_000) });
  return [old, next];
}

const asSaved = (document: NotebookDocument): string =>
  serializeNotebook({ ...document, provenance: currentProvenance(APP_VERSION) });

beforeAll(async () => {
  child = await buildWorker(new URL('../fixtures/saveLoop.ts', import.meta.url));
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-kill-'));
});

afterAll(async () => {
  await child?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Start the save loop, kill it `delayMs` after it finished `afterSaves` saves; the saves it finished. */
function runAndKill(args: string[], afterSaves: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const loop = spawn(process.execPath, [child.file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killTimer: NodeJS.Timeout | undefined;
    loop.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (killTimer === undefined && out.startsWith(STARTED) && out.length - STARTED.length >= afterSaves) {
        killTimer = setTimeout(() => loop.kill('SIGKILL'), delayMs);
      }
    });
    loop.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    loop.once('error', reject);
    loop.once('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the save loop ended by itself (${code}): ${err}`));
      else resolve(out.replace(STARTED, '').length);
    });
  });
}

describe('killing the process during saves', () => {
  it(`leaves the notebook file whole, old or new, after each of ${KILLS} SIGKILLs`, async () => {
    const [oldDocument, newDocument] = documents();
    const oldFile = join(dir, 'old.json');
    const newFile = join(dir, 'new.json');
    await writeFile(oldFile, JSON.stringify(oldDocument));
    await writeFile(newFile, JSON.stringify(newDocument));
    const whole = new Map([
      [asSaved(oldDocument), 'old'],
      [asSaved(newDocument), 'new'],
    ]);

    const random = RandomStream.fromSeed(SEED);
    // Drawn up front, so the delays do not depend on which lane finishes first.
    const kills = Array.from({ length: KILLS }, () => ({
      afterSaves: random.int(0, MAX_SAVES_BEFORE_KILL),
      delay: random.int(0, MAX_DELAY_MS),
    }));
    const seen = { old: 0, new: 0 };
    let saves = 0;
    let killedBeforeFirstSave = 0;
    let next = 0;
    const lane = async (laneIndex: number): Promise<void> => {
      const laneDir = join(dir, `lane-${laneIndex}`);
      await mkdir(laneDir);
      const target = join(laneDir, 'lab.accentlab');
      await writeFile(target, asSaved(oldDocument));
      while (next < KILLS) {
        const kill = (next += 1);
        const { afterSaves, delay } = kills[kill - 1]!;
        const args = [target, join(laneDir, 'settings'), oldFile, newFile];
        const finished = await runAndKill(args, afterSaves, delay);
        saves += finished;
        if (finished === 0) killedBeforeFirstSave += 1;
        const text = await readFile(target, 'utf8');
        const which = whole.get(text);
        if (!which) {
          throw new Error(
            `after kill ${kill} (seed ${SEED}, ${delay} ms after ${afterSaves} saves) the file is neither document: ` +
              `${text.length} characters, starting ${JSON.stringify(text.slice(0, 60))}`,
          );
        }
        seen[which as 'old' | 'new'] += 1;
        const backup = await readFile(`${target}.bak`, 'utf8').catch(() => null);
        if (backup !== null && !whole.has(backup)) {
          throw new Error(`after kill ${kill} (seed ${SEED}) the .bak file is neither document`);
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: LANES }, (_, index) => lane(index)));
    const seconds = (performance.now() - started) / 1000;
    let leftovers = 0;
    for (let index = 0; index < LANES; index += 1) {
      const files = await readdir(join(dir, `lane-${index}`));
      leftovers += files.filter((file) => !/^(lab\.accentlab(\.bak)?|settings)$/.test(file)).length;
    }
    console.log(
      `kill-during-save: ${KILLS} kills in ${seconds.toFixed(1)} s (seed ${SEED}, ${LANES} lanes); ` +
        `${saves} saves finished, the file was old ${seen.old} / new ${seen.new} times; ` +
        `${killedBeforeFirstSave} kills before the first save finished; ${leftovers} temporary files left behind`,
    );
    // The kills landed both between and inside saves, on both documents.
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
    expect(killedBeforeFirstSave).toBeGreaterThan(0);
  }, 300_000);
});
