import { describe, expect, it } from 'vitest';
import { boundsProblem, boundsText, withinBounds } from '../../src/engine/bounds';
import { HARDWARE_PARAMETERS, hardwareInputBounds } from '../../src/engine/hardware/parameters';
import { PERQ_1987 } from '../../src/engine/hardware/presets';
import { TOUCH_PATTERN_BOUNDS, WORKLOAD_FIELD_BOUNDS } from '../../src/engine/workloads/bounds';
import { representative } from '../../src/engine/workloads/representatives';
import type { SyntheticWorkloadSpec } from '../../src/engine/workloads/spec';
import { syntheticWorkloadProblems } from '../../src/engine/workloads/syntheticProblems';
import { hardwarePresetSchema } from '../../src/shared/schemas/hardware';
import { workloadSpecSchema } from '../../src/shared/schemas/workload';

// The engine's bounds tables are the one home of the hardware and workload bounds: the engine's
// checks and the schemas must say the same thing about every field.

describe('bounds', () => {
  it('says in words what a value must be', () => {
    expect(boundsText({ min: 0, max: 60_000 })).toBe('from 0 to 60,000');
    expect(boundsText({ min: 0, aboveMin: true, max: 1 })).toBe('above 0 and at most 1');
    expect(boundsText({ min: 0, max: 1, belowMax: true })).toBe('at least 0 and below 1');
    expect(boundsText({ min: 1, max: Infinity })).toBe('at least 1');
    expect(boundsProblem('amapEntries', { min: 1, max: 10, whole: true }, 2.5)).toBe(
      'amapEntries must be a whole number from 1 to 10 (got 2.5)',
    );
    expect(withinBounds({ min: 0, max: 1, belowMax: true }, 1)).toBe(false);
    expect(withinBounds({ min: 0, max: 1 }, Number.NaN)).toBe(false);
  });
});

describe('hardware bounds', () => {
  const leaves = (value: unknown, path = ''): string[] =>
    value && typeof value === 'object'
      ? Object.entries(value).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key))
      : [path];

  it('the table has every parameter of a preset, and nothing else', () => {
    const paths = leaves(PERQ_1987).filter((path) => path !== 'name' && path !== 'description');
    expect(HARDWARE_PARAMETERS.map((parameter) => parameter.path).sort()).toEqual(paths.sort());
  });

  it("the schema takes each parameter's sign and wholeness from the table, and not its maximum", () => {
    for (const parameter of HARDWARE_PARAMETERS.filter((p) => p.path !== 'pageSizeBytes')) {
      const [group, key] = parameter.path.split('.') as [keyof typeof PERQ_1987, string];
      const withValue = (value: number) => ({
        ...PERQ_1987,
        [group]: { ...(PERQ_1987[group] as object), [key]: value },
      });
      // Over the maximum: the notebook still opens, keeping the value (the engine refuses to run it).
      expect(hardwarePresetSchema.safeParse(withValue(parameter.max * 10 + 1)).success, parameter.path).toBe(
        true,
      );
      expect(hardwarePresetSchema.safeParse(withValue(parameter.positive ? 0 : -1)).success).toBe(false);
      if (parameter.whole) expect(hardwarePresetSchema.safeParse(withValue(1.5)).success).toBe(false);
      const input = hardwareInputBounds(parameter.path);
      expect(input.max).toBe(parameter.max);
      expect(input.step).toBe(parameter.whole ? 1 : 'any');
    }
  });
});

describe('workload bounds', () => {
  const base = (): SyntheticWorkloadSpec => structuredClone(representative('Lisp-T'));

  // Past each bound of each field: refused by the schema (naming the field) and by the engine's check
  // (naming the field and the bounds). Fields whose bounds would break the workload's other rules
  // first (a size no page count matches) are checked for the message only.
  const cases: [string, (spec: SyntheticWorkloadSpec, value: number) => void, number][] = [];
  for (const [key, bounds] of Object.entries(WORKLOAD_FIELD_BOUNDS)) {
    const set = (spec: SyntheticWorkloadSpec, value: number) => {
      (spec as unknown as Record<string, number>)[key] = value;
    };
    cases.push([key, set, bounds.min - (bounds.whole ? 1 : 0.5)]);
    if (bounds.aboveMin) cases.push([key, set, bounds.min]);
    if (bounds.max !== Infinity) cases.push([key, set, bounds.max + 1]);
    if (bounds.whole) cases.push([key, set, bounds.min + 1.5]);
  }
  for (const [kind, fields] of Object.entries(TOUCH_PATTERN_BOUNDS)) {
    for (const [key, bounds] of Object.entries(fields)) {
      const set = (spec: SyntheticWorkloadSpec, value: number) => {
        spec.pattern = { ...defaultPattern(kind), [key]: value } as SyntheticWorkloadSpec['pattern'];
      };
      cases.push([`pattern.${key}`, set, bounds.min - 1]);
      if (bounds.belowMax) cases.push([`pattern.${key}`, set, bounds.max]);
      if (bounds.aboveMin) cases.push([`pattern.${key}`, set, bounds.min]);
    }
  }

  it.each(cases)(
    '%s = %d is refused by the schema and by the engine, naming the field',
    (name, set, value) => {
      const spec = base();
      set(spec, value);
      const parsed = workloadSpecSchema.safeParse(spec);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(name);
      expect(syntheticWorkloadProblems(spec, 512).join('\n')).toMatch(
        new RegExp(`^${name} must be a .*\\(got `, 'm'),
      );
    },
  );

  it('the representatives are within every bound', () => {
    for (const name of ['Minprog', 'Lisp-T', 'Lisp-Del', 'Chess', 'PM-Start', 'PM-Mid', 'PM-End']) {
      expect(workloadSpecSchema.safeParse(representative(name)).success, name).toBe(true);
      expect(syntheticWorkloadProblems(representative(name), 512), name).toEqual([]);
    }
  });
});

function defaultPattern(kind: string): SyntheticWorkloadSpec['pattern'] {
  if (kind === 'clustered') return { kind, continueProbability: 0.5, order: 'random' };
  if (kind === 'sequential') return { kind, density: 0.5, extentPages: 8 };
  return { kind: 'dirty-rate', workingSetBytes: 512 * 8, dirtyBytesPerSecond: 512, order: 'cyclic' };
}
