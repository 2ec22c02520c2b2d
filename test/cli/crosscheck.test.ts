import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CI_GRID,
  FULL_GRID,
  hardwareFor,
  median,
  oursGoodput,
  simgridGoodput,
  textbookPostCopy,
} from '../../src/cli/crosscheck';
import type { CrosscheckReport } from '../../src/cli/crosscheck';
import { figureData } from '../../src/shared/figures/charts';
import { figureSpecSchema } from '../../src/shared/schemas/notebook';
import { buildCliIfStale, cli } from '../helpers/cli';

// SimGrid runs only where it is installed (.ci/run installs libsimgrid-dev and g++).
const simgridInstalled =
  existsSync('/usr/include/simgrid/plugins/live_migration.h') && existsSync('/usr/bin/g++');

describe('the cross-check grid and its mapping', () => {
  it('covers what the comparison needs: 12+ pre-copy scenarios over sizes, links, rates and working sets', () => {
    const pre = FULL_GRID.filter((one) => one.strategy === 'pre-copy');
    expect(pre.length).toBeGreaterThanOrEqual(12);
    const sizes = pre.map((one) => one.memoryBytes);
    expect(Math.min(...sizes)).toBe(256 * 1024 * 1024);
    expect(Math.max(...sizes)).toBe(4 * 1024 ** 3);
    expect(new Set(pre.map((one) => one.bandwidthBytesPerSecond))).toEqual(
      new Set([12_500_000, 125_000_000, 1_250_000_000]),
    );
    expect(pre.some((one) => one.dirtyBytesPerSecond === 0)).toBe(true);
    expect(pre.some((one) => one.dirtyBytesPerSecond > one.bandwidthBytesPerSecond)).toBe(true);
    // One round sends about memory / goodput seconds' worth of the dirty rate: working sets on both sides.
    const roundDirty = (one: (typeof pre)[number]) =>
      (one.dirtyBytesPerSecond * one.memoryBytes) / oursGoodput(hardwareFor(one.bandwidthBytesPerSecond));
    expect(pre.some((one) => one.dirtyBytesPerSecond > 0 && one.workingSetBytes < roundDirty(one))).toBe(
      true,
    );
    expect(pre.some((one) => one.dirtyBytesPerSecond > 0 && one.workingSetBytes > roundDirty(one))).toBe(
      true,
    );
    expect(FULL_GRID.some((one) => one.strategy === 'post-copy')).toBe(true);
  });

  it("maps SimGrid's LV08 flow rate and the textbook post-copy as documented", () => {
    // 1 GiB idle on 125 MB/s: SimGrid gives 9.298 s (0.97 / 1.05 of the link).
    expect(1024 ** 3 / simgridGoodput(125_000_000)).toBeCloseTo(9.2984, 3);
    const hardware = hardwareFor(125_000_000);
    expect(oursGoodput(hardware)).toBeCloseTo(125_000_000 * (8192 / 8270), 3);
    const post = textbookPostCopy(CI_GRID.find((one) => one.strategy === 'post-copy')!);
    expect(post.bytesSent).toBe(16 * 1024 * 1024);
    expect(post.totalMigrationSeconds).toBeCloseTo(5e-5 + (16 * 1024 * 1024) / oursGoodput(hardware), 9);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('draws a reference figure: ours beside the reference per workload, and its spec validates', () => {
    const spec = {
      kind: 'reference' as const,
      reference: {
        label: 'SimGrid',
        metric: 'totalMigrationSeconds' as const,
        values: [
          { workload: 'a', value: 2 },
          { workload: 'b', value: 4 },
        ],
      },
    };
    expect(figureSpecSchema.safeParse(spec).success).toBe(true);
    const result = {
      id: 'a',
      workload: 'a',
      strategy: 'pre-copy' as const,
      prefetch: 0,
      hardware: 'x',
      seed: 1,
      replication: 0,
      ok: true,
      metrics: { totalMigrationSeconds: 2.2 } as never,
    };
    const data = figureData(spec, [result]);
    expect(data.categories).toEqual(['a', 'b']);
    expect(data.bars.map((bar) => bar.values)).toEqual([
      [2.2, null],
      [2, 4],
    ]);
    expect(data.table[1]?.[3]).toBeCloseTo(0.1, 12);
  });
});

describe.skipIf(!simgridInstalled)('accent-lab crosscheck against SimGrid (reduced grid)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accent-lab-crosscheck-'));
    await buildCliIfStale();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the SimGrid program, runs both, and pre-copy agrees within 10% (median) on the total', async () => {
    const file = join(dir, 'crosscheck.json');
    const outcome = await cli('crosscheck', '--grid', 'ci', '--json', file, '--quiet');
    expect(outcome.code, outcome.stderr).toBe(0);
    const report = JSON.parse(await readFile(file, 'utf8')) as CrosscheckReport;
    expect(report.simgridVersion).toMatch(/^3\.32/);
    expect(report.scenarios).toHaveLength(CI_GRID.length);
    for (const row of report.scenarios) {
      for (const key of ['totalMigrationSeconds', 'downtimeSeconds', 'bytesSent'] as const) {
        expect(row.ours[key]).toBeGreaterThanOrEqual(0);
        expect((row.simgrid ?? row.textbook)![key]).toBeGreaterThanOrEqual(0);
      }
      expect(row.ours.ranThroughMigration || row.dirtyBytesPerSecond === 0).toBe(true);
    }
    const pre = report.scenarios.filter((row) => row.strategy === 'pre-copy');
    expect(pre.every((row) => row.simgrid !== null && row.textbook === null)).toBe(true);
    expect(report.summary.medianRelativeErrorTotalMigration).toBeLessThanOrEqual(0.1);
    // Both send the same pages: the memory once, then what the rounds found dirty.
    expect(report.summary.medianRelativeErrorBytes).toBeLessThanOrEqual(0.02);
    expect(outcome.stdout).toContain('median |relative error|');
  });
});
