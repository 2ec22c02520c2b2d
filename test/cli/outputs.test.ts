import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTrial } from '../../src/engine/experiment/trial';
import { formatNumber } from '../../src/cli/format';
import { parsePrefetch, parseSeed, parseWorkers } from '../../src/cli/options';
import { METRIC_COLUMNS, toJson } from '../../src/cli/outputs';
import { defaultWorkerFile, findPackageRoot, loadPaperValues } from '../../src/cli/packageRoot';
import { trialSpec } from '../helpers/trials';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');

describe('toJson', () => {
  it('is JSON: parses back to what JSON.stringify gives', () => {
    const value = {
      text: 'brackets ] [ and "quotes", commas',
      numbers: [1, -0.5, 1e-9, 12345678901234, Number.NaN, Number.POSITIVE_INFINITY],
      mixed: [1, 'two', null, true, undefined],
      nested: [[1, 2], { a: 1, skipped: undefined }, []],
      empty: {},
      emptyList: [],
      skipped: undefined,
      fn: () => 1,
    };
    expect(JSON.parse(toJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
  });

  it('keeps arrays of plain values on one line and indents the rest', () => {
    expect(toJson({ a: [1, 2, 3], b: { c: 'd' } })).toBe(
      '{\n  "a": [1, 2, 3],\n  "b": {\n    "c": "d"\n  }\n}\n',
    );
  });
});

describe('METRIC_COLUMNS', () => {
  it('names every metric of a trial exactly once', () => {
    // A trial with concurrent migrations has every metric, the contention means included.
    const { metrics } = runTrial({ ...trialSpec('m'), concurrentMigrations: 2 });
    expect([...METRIC_COLUMNS].sort()).toEqual(Object.keys(metrics!).sort());
    expect(new Set(METRIC_COLUMNS).size).toBe(METRIC_COLUMNS.length);
  });
});

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [42, '42'],
    [4228129280, '4,228,129,280'],
    [-1234, '-1,234'],
    [157.04, '157'],
    [168.55, '168.6'],
    [12.34567, '12.346'],
    [0.123456, '0.123'],
    [0.002, '0.002'],
    [Number.NaN, 'NaN'],
  ])('%d -> %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});

describe('option parsers', () => {
  it('accept good values', () => {
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers('64')).toBe(64);
    expect(parseSeed('-7')).toBe(-7);
    expect(parseSeed(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(parsePrefetch('0')).toBe(0);
    expect(parsePrefetch('15')).toBe(15);
  });

  it.each(['', ' ', '0', '65', '1.5', '1e3', '0x10', 'two'])('reject workers %j', (value) => {
    expect(() => parseWorkers(value)).toThrow(/workers must be an integer from 1 to 64/);
  });

  it.each(['', '1.5', '9007199254740992', 'NaN', 'abc'])('reject seed %j', (value) => {
    expect(() => parseSeed(value)).toThrow(/seed must be an integer/);
  });

  it.each(['-1', '0.5', 'x', '1025'])('reject prefetch %j', (value) => {
    expect(() => parsePrefetch(value)).toThrow(/prefetch must be a whole number of pages from 0 to 1,024/);
  });
});

describe('package root', () => {
  it('is found from the sources, and the paper values and worker are found under it', () => {
    expect(findPackageRoot()).toBe(root);
    expect(findPackageRoot(join(root, 'src', 'cli', 'main.ts'))).toBe(root);
    expect(loadPaperValues().representatives).toContain('Minprog');
    expect(defaultWorkerFile()).toBe(join(root, 'out', 'cli', 'trialWorker.js'));
  });

  it('explains a missing values file', () => {
    expect(() => loadPaperValues(join(root, 'nope.json'))).toThrow(/cannot read the paper's values/);
  });
});
