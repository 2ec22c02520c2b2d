import { describe, expect, it } from 'vitest';
import { customWorkload } from '../../src/engine/experiment/design';
import { SENSITIVITY_METRICS, SENSITIVITY_PARAMETER_KEYS } from '../../src/engine/experiment/sensitivity';
import { runTrial } from '../../src/engine/experiment/trial';
import { HARDWARE_PRESETS } from '../../src/engine/hardware/presets';
import { STRATEGIES } from '../../src/engine/model/migration';
import { REPRESENTATIVES } from '../../src/engine/workloads/representatives';
import { HOST_CALLS } from '../../src/shared/hostCalls';
import {
  experimentDesignSchema,
  parseExperimentDesign,
  sensitivitySweepSchema,
} from '../../src/shared/schemas/design';
import { hardwarePresetSchema } from '../../src/shared/schemas/hardware';
import { parseNotebookDocument } from '../../src/shared/schemas/notebook';
import { workloadSpecSchema } from '../../src/shared/schemas/workload';
import { parseCallArgs } from '../../src/shared/validation';
import { sampleExperiment, sampleNotebook, smallDesign } from '../helpers/designs';
import { trialSpec } from '../helpers/trials';

describe('design and workload schemas', () => {
  it('accept every strategy, sweep parameter and sweep metric the engine lists (the schemas keep copies)', () => {
    const design = { ...smallDesign(), strategies: [...STRATEGIES] };
    expect(experimentDesignSchema.parse(design).strategies).toEqual([...STRATEGIES]);
    for (const parameter of SENSITIVITY_PARAMETER_KEYS) {
      for (const metric of SENSITIVITY_METRICS) {
        const sweep = { parameter, values: [1, 2], compare: ['pure-copy', 'pure-iou pf0'], metric };
        expect(sensitivitySweepSchema.parse(sweep)).toEqual(sweep);
      }
    }
  });

  it('accept every built-in preset and representative, and a custom workload', () => {
    for (const preset of Object.values(HARDWARE_PRESETS))
      expect(hardwarePresetSchema.parse(preset)).toEqual(preset);
    for (const workload of REPRESENTATIVES) expect(workloadSpecSchema.parse(workload)).toEqual(workload);
    const custom = customWorkload({
      name: 'mine',
      realBytes: 512 * 100,
      realZeroBytes: 512 * 20,
      residentBytes: 512 * 10,
      touchedFraction: 0.3,
      locality: 0.5,
      computeSeconds: 1,
    });
    const design = smallDesign({ customWorkloads: [custom] });
    expect(parseExperimentDesign(design)).toEqual(design);
  });

  it('returns a fresh object in the schema’s key order', () => {
    const design = smallDesign();
    const shuffled = Object.fromEntries(Object.entries(design).reverse());
    const parsed = experimentDesignSchema.parse(shuffled);
    expect(parsed).not.toBe(shuffled);
    expect(Object.keys(parsed)).toEqual(Object.keys(design));
  });

  it.each([
    [
      'a page size that is not a power of two',
      { pageSizeBytes: 1000 },
      'hardware.pageSizeBytes',
      /power of two/,
    ],
    ['a page size below 128 bytes', { pageSizeBytes: 64 }, 'hardware.pageSizeBytes', /power of two/],
    ['a page size above 1 MiB', { pageSizeBytes: 2 * 1_048_576 }, 'hardware.pageSizeBytes', /power of two/],
    [
      'a negative cost',
      { disk: { ...HARDWARE_PRESETS['perq-1987']!.disk, randomReadMs: -1 } },
      'hardware.disk.randomReadMs',
      /negative/,
    ],
    [
      'a zero bandwidth',
      { network: { ...HARDWARE_PRESETS['perq-1987']!.network, bitsPerSecond: 0 } },
      'hardware.network.bitsPerSecond',
      /must be above 0/,
    ],
  ])('rejects %s, naming the field', (_what, hardware, field, message) => {
    const design = smallDesign();
    const bad = { ...design, hardware: { ...design.hardware, ...hardware } };
    expect(() => parseExperimentDesign(bad)).toThrow(field);
    expect(() => parseExperimentDesign(bad)).toThrow(message);
  });

  it.each([
    ['an unknown strategy', { strategies: ['teleport'] }, 'strategies[0]'],
    ['a fractional prefetch', { prefetchValues: [0, 1.5] }, 'prefetchValues[1]'],
    ['a prefetch over 1024', { prefetchValues: [2048] }, 'prefetchValues[0]'],
    ['zero repetitions', { repetitions: 0 }, 'repetitions'],
    ['a fractional seed', { seed: 1.5 }, 'seed'],
    ['a missing name', { name: undefined }, 'name'],
    ['a string where a list belongs', { representatives: 'Minprog' }, 'representatives'],
    ['an unknown key', { colour: 'red' }, 'colour'],
    [
      'fractional pre-copy rounds',
      { strategyOptions: { preCopyMaxRounds: 2.5 } },
      'strategyOptions.preCopyMaxRounds',
    ],
    [
      'no push message in flight',
      { strategyOptions: { pushWindowMessages: 0 } },
      'strategyOptions.pushWindowMessages',
    ],
    ['an unknown strategy option', { strategyOptions: { warp: 1 } }, 'strategyOptions'],
    ['a negative source failure time', { sourceFailureSeconds: -1 }, 'sourceFailureSeconds'],
    ['65 concurrent migrations', { concurrentMigrations: 65 }, 'concurrentMigrations'],
  ])('rejects %s, naming the field', (_what, change, field) => {
    const bad = { ...smallDesign(), ...change } as unknown;
    expect(() => parseExperimentDesign(bad)).toThrow(field);
  });

  it('rejects bad custom workloads, naming the workload field', () => {
    const workload = { ...REPRESENTATIVES[0]!, realBytes: Number.NaN };
    expect(() => parseExperimentDesign(smallDesign({ customWorkloads: [workload] }))).toThrow(
      /customWorkloads\[0\]\.realBytes/,
    );
    const pattern = {
      ...REPRESENTATIVES[0]!,
      pattern: { kind: 'clustered', continueProbability: 1, order: 'random' },
    };
    expect(() => parseExperimentDesign(smallDesign({ customWorkloads: [pattern as never] }))).toThrow(
      /customWorkloads\[0\]\.pattern\.continueProbability/,
    );
  });

  describe('synthetic and trace workloads', () => {
    const source = {
      path: 'x.trace.gz',
      sha256: 'a'.repeat(64),
      pageSizeBytes: 512,
      migrateAt: { fraction: 0.5 },
      instructionsPerSecond: 1e6,
    };
    const summary = {
      name: 'traced',
      description: 'recorded',
      realBytes: 512 * 10,
      realZeroBytes: 512,
      residentBytes: 512 * 4,
      amapEntries: 3,
      memoryObjects: 4,
      portRights: 10,
      touchedFractionOfReal: 0.5,
      computeSeconds: 1,
    };

    it('reads a trace workload as it was written, with or without the generation fields', () => {
      // As traceWorkloadSpec writes it (and the Real traces notebook holds it): keys and order kept.
      const written = {
        ...summary,
        residentRunPages: 1,
        touchedResidentFractionOfReal: 0,
        pattern: { kind: 'clustered', continueProbability: 0, order: 'random' },
        zeroFillPages: 0,
        rereferencesPerPage: 0,
        trace: source,
      };
      const order = Object.keys(workloadSpecSchema.parse(written));
      expect(order.slice(0, 8)).toEqual(Object.keys(summary).slice(0, 8));
      expect(order.slice(8)).toEqual([
        'residentRunPages',
        'touchedFractionOfReal',
        'touchedResidentFractionOfReal',
        'pattern',
        'zeroFillPages',
        'computeSeconds',
        'rereferencesPerPage',
        'trace',
      ]);
      expect(workloadSpecSchema.parse({ ...summary, trace: source })).toEqual({ ...summary, trace: source });
    });

    it('drops what a trace never used (writeFraction, extraReferences) and keeps the rest', () => {
      const old = { ...summary, writeFraction: 0.3, extraReferences: [1, 2], trace: source };
      expect(workloadSpecSchema.parse(old)).toEqual({ ...summary, trace: source });
    });

    it('names the field of the kind of workload it is', () => {
      const badTrace = { ...summary, trace: { ...source, sha256: 'xyz' } };
      expect(() => parseExperimentDesign(smallDesign({ customWorkloads: [badTrace as never] }))).toThrow(
        /customWorkloads\[0\]\.trace\.sha256: must be a SHA-256/,
      );
      // A synthetic workload needs its generation fields; a trace does not.
      const { pattern: _pattern, ...noPattern } = REPRESENTATIVES[0]!;
      expect(() => parseExperimentDesign(smallDesign({ customWorkloads: [noPattern as never] }))).toThrow(
        /customWorkloads\[0\]\.pattern/,
      );
    });
  });
});

describe('notebook schema', () => {
  it('accepts results of the strategies beyond 1987, with contention and a fault histogram', () => {
    const notebook = sampleNotebook();
    sampleExperiment(notebook).results = [
      runTrial({ ...trialSpec('a'), strategy: 'post-copy', concurrentMigrations: 2 }),
      runTrial({ ...trialSpec('b'), strategy: 'pre-copy', sourceFailureSeconds: 1 }),
    ].map((result) => JSON.parse(JSON.stringify(result)));
    expect(parseNotebookDocument(notebook)).toEqual(notebook);
    const design = smallDesign({
      strategies: ['pre-copy', 'hybrid'],
      strategyOptions: { hybridRounds: 2 },
      concurrentMigrations: 3,
    });
    expect(parseExperimentDesign(design)).toEqual(design);
  });

  it('accepts a notebook with real results', () => {
    const notebook = sampleNotebook();
    sampleExperiment(notebook).results = [
      runTrial(trialSpec('a')),
      { ...runTrial(trialSpec('b')), ok: false, error: 'cancelled', metrics: undefined, series: undefined },
    ].map((result) => JSON.parse(JSON.stringify(result)));
    expect(parseNotebookDocument(notebook)).toEqual(notebook);
  });

  it.each([
    ['another format version', { formatVersion: 1 }, 'formatVersion'],
    ['no entries list', { entries: null }, 'entries'],
    ['no provenance', { provenance: undefined }, 'provenance'],
    ['an unknown entry kind', { entries: [{ kind: 'video', id: 'v' }] }, 'entries[0]'],
    ['a name that is a number', { name: 7 }, 'name'],
  ])('rejects %s, naming the field', (_what, change, field) => {
    expect(() => parseNotebookDocument({ ...sampleNotebook(), ...change })).toThrow(field);
  });

  it('names nested fields with their indices', () => {
    const notebook = sampleNotebook();
    const result = JSON.parse(JSON.stringify(runTrial(trialSpec('a'))));
    result.metrics.bytesTotal = 'many';
    sampleExperiment(notebook).results.push(result);
    expect(() => parseNotebookDocument(notebook)).toThrow('entries[1].results[0].metrics.bytesTotal');
  });
});

describe('sensitivity sweeps in designs and notebook files', () => {
  const sweep = {
    parameter: 'network-bits-per-second' as const,
    values: [1e6, 1e7],
    compare: ['pure-copy', 'pure-iou pf0'] as [string, string],
    metric: 'endToEndSeconds' as const,
  };

  it('are optional: a format-2 file without one loads as before, one with one round-trips', () => {
    expect(parseNotebookDocument(sampleNotebook())).toEqual(sampleNotebook());
    const notebook = sampleNotebook();
    sampleExperiment(notebook).design.sensitivity = sweep;
    const result = { ...JSON.parse(JSON.stringify(runTrial(trialSpec('a')))), parameterValue: 1e6 };
    sampleExperiment(notebook).results.push(result);
    expect(parseNotebookDocument(JSON.parse(JSON.stringify(notebook)))).toEqual(notebook);
  });

  it.each([
    ['an unknown parameter', { parameter: 'colour' }, 'design.sensitivity.parameter: must be one of'],
    ['a single value', { values: [1] }, 'design.sensitivity.values: must have at least 2 values'],
    ['one strategy to compare', { compare: ['pure-copy'] }, 'design.sensitivity.compare'],
    ['an unknown metric', { metric: 'joy' }, 'design.sensitivity.metric: must be one of'],
  ])('reject %s, naming the field', (_what, change, message) => {
    const design = { ...smallDesign(), sensitivity: { ...sweep, ...change } };
    expect(() => parseCallArgs('startSweep', [design])).toThrow(message);
  });
});

describe('parseCallArgs', () => {
  it('knows every host call', () => {
    for (const call of HOST_CALLS) expect(() => parseCallArgs(call, [])).not.toThrow(/unknown host call/);
  });

  it('accepts good arguments and returns parsed copies', () => {
    expect(parseCallArgs('version', [])).toEqual([]);
    const design = smallDesign();
    const [parsed] = parseCallArgs('startSweep', [design]);
    expect(parsed).toEqual(design);
    expect(parsed).not.toBe(design);
    expect(parseCallArgs('retryTrial', ['s', 't'])).toEqual(['s', 't']);
    expect(parseCallArgs('openNotebook', [])).toEqual([]);
    expect(parseCallArgs('openNotebook', ['/x.accentlab'])).toEqual(['/x.accentlab']);
    expect(parseCallArgs('saveNotebook', [sampleNotebook()])).toEqual([sampleNotebook()]);
  });

  it('treats null and undefined optional paths as absent (JSON turns undefined into null)', () => {
    expect(parseCallArgs('openNotebook', [null])).toEqual([undefined]);
    expect(parseCallArgs('saveNotebook', [sampleNotebook(), null])).toEqual([sampleNotebook(), undefined]);
  });

  it('throws naming the call and the offending field', () => {
    const design = smallDesign();
    const bad = { ...design, hardware: { ...design.hardware, pageSizeBytes: 3000 } };
    expect(() => parseCallArgs('startSweep', [bad])).toThrow(
      /^startSweep: design\.hardware\.pageSizeBytes: /,
    );
    expect(() => parseCallArgs('startSweep', [])).toThrow(/^startSweep: design: /);
    expect(() => parseCallArgs('cancelSweep', [42])).toThrow(/^cancelSweep: sweepId: must be text/);
    expect(() => parseCallArgs('retryTrial', ['s'])).toThrow(/^retryTrial: trialId: /);
    expect(() => parseCallArgs('openNotebook', [5])).toThrow(/^openNotebook: path: /);
    expect(() => parseCallArgs('saveNotebook', [{ formatVersion: 3 }])).toThrow(
      /^saveNotebook: notebook\.name: /,
    );
    expect(() => parseCallArgs('version', [1])).toThrow(/^version: takes no arguments, got 1/);
    expect(() => parseCallArgs('version', 'x')).toThrow(/must be a list/);
    expect(() => parseCallArgs('nope' as never, [])).toThrow(/unknown host call "nope"/);
  });
});
