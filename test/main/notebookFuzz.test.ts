import { readFileSync } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RandomStream } from '../../src/engine/kernel/random';
import { MAX_NOTEBOOK_FILE_BYTES } from '../../src/node/notebookFile';
import { NotebookService } from '../../src/main/services/notebookService';
import { parseNotebookDocument } from '../../src/shared/schemas/notebook';
import { sampleNotebook } from '../helpers/designs';

/**
 * Fuzz test of the loader that opens notebooks (NotebookService.open): mutated and hostile files are
 * either refused with a clear error naming the file, or opened as a valid document; none takes
 * over 2 s, none crashes the process, none pollutes Object.prototype. FUZZ_INPUTS sets how many
 * inputs (default 300, which CI runs), FUZZ_SEED the seed (default 1987) so a failure reproduces.
 */
const INPUTS = Number(process.env['FUZZ_INPUTS'] ?? 300);
const SEED = Number(process.env['FUZZ_SEED'] ?? 1987);
/**
 * An input may take 2 s, or on a busy machine 8 times what opening the (largest) built-in notebook
 * takes there and then: a pathological input (quadratic parsing, a hang) is slower by orders of
 * magnitude either way, and a loaded machine does not fail the test.
 */
const TIME_LIMIT_MS = 2000;
const BUSY_MACHINE_FACTOR = 8;
const NOTEBOOK = resolve(import.meta.dirname, '../../resources/notebooks/reproduce-zayas-1987.accentlab');

/** JSON has no Infinity: this placeholder string is replaced by the literal 1e999 (which parses as Infinity). */
const HUGE = '__1e999__';
const withHuge = (text: string): string => text.replaceAll(`"${HUGE}"`, '1e999');

interface FuzzInput {
  name: string;
  /** The file's bytes, or a size for a sparse file of zeros (the 200 MB case). */
  bytes: Buffer | { sparseSize: number };
}

let dir: string;
let service: NotebookService;
const notebook = readFileSync(NOTEBOOK);
const small = Buffer.from(JSON.stringify(sampleNotebook(), null, 2));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accent-lab-fuzz-'));
  service = new NotebookService({ settingsDir: join(dir, 'settings') });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const nested = (depth: number, open: string, close: string, inner = ''): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
const withEntries = (entries: string): Buffer =>
  Buffer.from(
    `{"formatVersion":3,"name":"x","provenance":{"engineVersion":"1","createdBy":"y"},"entries":${entries}}`,
  );

/** Hostile files written by hand: nesting, huge arrays, prototype keys, bad numbers, a huge file. */
function handMadeInputs(): FuzzInput[] {
  const doc = (change: (d: Record<string, unknown> & ReturnType<typeof sampleNotebook>) => void): Buffer => {
    const d = sampleNotebook() as ReturnType<typeof sampleNotebook> & Record<string, unknown>;
    change(d);
    return Buffer.from(withHuge(JSON.stringify(d)));
  };
  const design = (d: ReturnType<typeof sampleNotebook>): Record<string, unknown> =>
    (d.entries[1] as unknown as { design: Record<string, unknown> }).design;
  const hardware = (d: ReturnType<typeof sampleNotebook>): Record<string, unknown> =>
    design(d)['hardware'] as Record<string, unknown>;
  return [
    { name: 'empty', bytes: Buffer.alloc(0) },
    { name: 'whitespace', bytes: Buffer.from(' \n\t ') },
    { name: 'null', bytes: Buffer.from('null') },
    { name: 'an array', bytes: Buffer.from('[]') },
    { name: 'a string', bytes: Buffer.from('"notebook"') },
    {
      name: 'a byte-order mark then a valid notebook',
      bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), small]),
    },
    { name: 'invalid UTF-8', bytes: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
    { name: '100k nested arrays', bytes: Buffer.from(nested(100_000, '[', ']')) },
    { name: '500k nested arrays', bytes: Buffer.from(nested(500_000, '[', ']')) },
    { name: '100k nested objects', bytes: Buffer.from(nested(100_000, '{"a":', '}', '1')) },
    { name: 'entries: 100k nested arrays', bytes: withEntries(nested(100_000, '[', ']')) },
    { name: 'entries: 1M numbers', bytes: withEntries(`[${Array(1_000_000).fill(7).join(',')}]`) },
    { name: 'entries: 200k empty objects', bytes: withEntries(`[${Array(200_000).fill('{}').join(',')}]`) },
    {
      name: 'a note of 50 MB',
      bytes: withEntries(`[{"kind":"note","id":"n","markdown":"${'a'.repeat(50 * 1024 * 1024)}"}]`),
    },
    {
      name: 'top-level __proto__',
      bytes: Buffer.from(`{"__proto__":{"polluted":1},${small.toString().slice(1)}`),
    },
    {
      // As text: assigning __proto__ in JavaScript would set the prototype, not a key.
      name: '__proto__ in a design',
      bytes: Buffer.from(
        JSON.stringify(sampleNotebook()).replace('"design":{', '"design":{"__proto__":{"polluted":1},'),
      ),
    },
    {
      name: '__proto__ in the provenance',
      bytes: Buffer.from(
        JSON.stringify(sampleNotebook()).replace(
          '"provenance":{',
          '"provenance":{"__proto__":{"polluted":1},',
        ),
      ),
    },
    {
      name: 'constructor.prototype in the hardware',
      bytes: doc((d) => (hardware(d)['constructor'] = { prototype: { polluted: 1 } })),
    },
    { name: 'prototype key', bytes: doc((d) => (d['prototype'] = { polluted: 1 })) },
    {
      name: '__proto__ as an entry kind',
      bytes: withEntries('[{"kind":"__proto__","id":"x","markdown":"m"}]'),
    },
    {
      name: 'formatVersion 1e999',
      bytes: doc((d) => ((d as Record<string, unknown>)['formatVersion'] = HUGE)),
    },
    { name: 'formatVersion 4', bytes: doc((d) => ((d as Record<string, unknown>)['formatVersion'] = 4)) },
    { name: 'formatVersion -1', bytes: doc((d) => ((d as Record<string, unknown>)['formatVersion'] = -1)) },
    { name: 'seed 1e999', bytes: doc((d) => (design(d)['seed'] = HUGE)) },
    { name: 'seed 1.5', bytes: doc((d) => (design(d)['seed'] = 1.5)) },
    { name: 'repetitions -3', bytes: doc((d) => (design(d)['repetitions'] = -3)) },
    { name: 'repetitions 1e9', bytes: doc((d) => (design(d)['repetitions'] = 1e9)) },
    { name: 'page size 1000 (not a power of two)', bytes: doc((d) => (hardware(d)['pageSizeBytes'] = 1000)) },
    { name: 'page size -512', bytes: doc((d) => (hardware(d)['pageSizeBytes'] = -512)) },
    { name: 'page size 1e999', bytes: doc((d) => (hardware(d)['pageSizeBytes'] = HUGE)) },
    {
      name: 'frames per host -1',
      bytes: doc((d) => ((hardware(d)['memory'] as Record<string, unknown>)['framesPerHost'] = -1)),
    },
    { name: 'name a number', bytes: doc((d) => ((d as Record<string, unknown>)['name'] = 42)) },
    { name: 'entries an object', bytes: doc((d) => ((d as Record<string, unknown>)['entries'] = {})) },
    { name: 'strategies a string', bytes: doc((d) => (design(d)['strategies'] = 'pure-copy')) },
    {
      name: `${(200 * 1024 * 1024).toLocaleString()} bytes (200 MB)`,
      bytes: { sparseSize: 200 * 1024 * 1024 },
    },
    { name: 'one byte over the limit', bytes: { sparseSize: MAX_NOTEBOOK_FILE_BYTES + 1 } },
  ];
}

const WRONG_VALUES: unknown[] = [null, -1, 0, 1.5, HUGE, '', 'text', true, [], {}, 2 ** 53 + 2, -0.0001];

/** Every path to a value in `value`. */
function paths(
  value: unknown,
  at: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...at, index], out));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) paths(item, [...at, key], out);
  }
  return out;
}

/** One random mutation of a valid file. */
function randomInput(random: RandomStream, index: number): FuzzInput {
  const base = random.chance(0.3) ? notebook : small;
  const which = base === notebook ? 'notebook' : 'small notebook';
  switch (random.int(0, 4)) {
    case 0: {
      const length = random.int(0, base.length - 1);
      return { name: `#${index} ${which} truncated to ${length} bytes`, bytes: base.subarray(0, length) };
    }
    case 1: {
      const bytes = Buffer.alloc(random.int(0, 4096));
      for (let at = 0; at < bytes.length; at += 1) bytes[at] = random.int(0, 255);
      return { name: `#${index} ${bytes.length} random bytes`, bytes };
    }
    case 2: {
      const bytes = Buffer.from(base);
      const flips = random.int(1, 10);
      for (let flip = 0; flip < flips; flip += 1) bytes[random.int(0, bytes.length - 1)] = random.int(0, 255);
      return { name: `#${index} ${which} with ${flips} random bytes changed`, bytes };
    }
    case 3: {
      // A printable character changed: more of these get past JSON.parse to the schema.
      const bytes = Buffer.from(base);
      const flips = random.int(1, 3);
      for (let flip = 0; flip < flips; flip += 1)
        bytes[random.int(0, bytes.length - 1)] = random.int(32, 126);
      return { name: `#${index} ${which} with ${flips} printable bytes changed`, bytes };
    }
    default: {
      const document = JSON.parse(small.toString()) as unknown;
      const all = paths(document).filter((path) => path.length > 0);
      const path = all[random.int(0, all.length - 1)]!;
      const value = WRONG_VALUES[random.int(0, WRONG_VALUES.length - 1)];
      let parent = document as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      parent[path.at(-1)!] = structuredClone(value);
      return {
        name: `#${index} ${path.join('.')} set to ${JSON.stringify(value)}`,
        bytes: Buffer.from(withHuge(JSON.stringify(document))),
      };
    }
  }
}

describe('opening mutated and hostile notebook files', () => {
  it(`refuses each clearly or opens it safely, in under ${TIME_LIMIT_MS} ms (${INPUTS} inputs, seed ${SEED})`, async () => {
    const random = RandomStream.fromSeed(SEED);
    const handMade = handMadeInputs();
    const inputs = [...handMade];
    for (let index = inputs.length; index < Math.max(INPUTS, handMade.length); index += 1) {
      inputs.push(randomInput(random, index));
    }
    const file = join(dir, 'fuzz.accentlab');
    let opened = 0;
    let refused = 0;
    let slowest = { name: '', ms: 0 };
    const reasons = new Map<string, number>();
    let notebookMs = 0;
    for (let turn = 0; turn < 3; turn += 1) {
      const before = performance.now();
      await service.open(NOTEBOOK);
      notebookMs = Math.max(notebookMs, performance.now() - before);
    }
    const limitMs = Math.max(TIME_LIMIT_MS, BUSY_MACHINE_FACTOR * notebookMs);
    const started = performance.now();
    for (const input of inputs) {
      if (Buffer.isBuffer(input.bytes)) await writeFile(file, input.bytes);
      else {
        await writeFile(file, '');
        await truncate(file, input.bytes.sparseSize);
      }
      const before = performance.now();
      let outcome: { ok: true; notebook: unknown } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, notebook: (await service.open(file)).notebook };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const ms = performance.now() - before;
      if (ms > slowest.ms) slowest = { name: input.name, ms };
      expect(ms, `${input.name} took ${ms.toFixed(0)} ms (limit ${limitMs.toFixed(0)} ms)`).toBeLessThan(
        limitMs,
      );
      expect(
        ({} as Record<string, unknown>)['polluted'],
        `${input.name} polluted Object.prototype`,
      ).toBeUndefined();
      if (outcome.ok) {
        // Opened: it must be a valid current-format document with no inherited surprises.
        expect(() => parseNotebookDocument(outcome.notebook), input.name).not.toThrow();
        expect(Object.getPrototypeOf(outcome.notebook)).toBe(Object.prototype);
        opened += 1;
      } else {
        const error = outcome.error;
        expect(error, input.name).toBeInstanceOf(Error);
        const message = (error as Error).message;
        // Clear: it names the file and says what is wrong, in one line of reasonable length.
        expect(message, input.name).toMatch(
          /^(fuzz\.accentlab (is not|was saved by a newer)|cannot open \/)/,
        );
        expect(message.length, `${input.name}: ${message.slice(0, 200)}`).toBeLessThan(2000);
        const reason = message
          .replace(/^.*?: /, '')
          .replace(/[\d.]+/g, 'N')
          .slice(0, 60);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        refused += 1;
        if (process.env['FUZZ_VERBOSE'])
          console.log(`${input.name} (${ms.toFixed(0)} ms): ${message.slice(0, 160)}`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `notebook fuzz: ${inputs.length} inputs (seed ${SEED}) in ${seconds.toFixed(1)} s: ${opened} opened, ` +
        `${refused} refused; slowest ${slowest.ms.toFixed(0)} ms (${slowest.name}; limit ${limitMs.toFixed(0)} ms, ` +
        `the built-in notebook opens in ${notebookMs.toFixed(0)} ms); ${reasons.size} kinds of reason`,
    );
    expect(opened + refused).toBe(inputs.length);
  }, 600_000);

  it('refuses a file over the size limit by its size, saying the limit', async () => {
    const file = join(dir, 'huge.accentlab');
    await writeFile(file, '');
    await truncate(file, 200 * 1024 * 1024);
    await expect(service.open(file)).rejects.toThrow(
      /cannot open .*huge\.accentlab: the file is too large: 200 MiB \(209,715,200 bytes\); notebook files may be at most 100 MiB \(104,857,600 bytes\)/,
    );
  });

  it('refuses 100k nested arrays naming the field, without a stack overflow', async () => {
    const file = join(dir, 'deep.accentlab');
    await writeFile(file, withEntries(nested(100_000, '[', ']')));
    await expect(service.open(file)).rejects.toThrow(/deep\.accentlab is not a valid notebook file: entries/);
  });
});

describe('opening a notebook with a byte-order mark', () => {
  it('opens it (some editors add one)', async () => {
    const file = join(dir, 'bom.accentlab');
    await writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), small]));
    await expect(service.open(file)).resolves.toMatchObject({ notebook: { name: 'Sample' } });
  });
});
