import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/engine/experiment/trial';
import {
  NewerFormatError,
  upgradeNotebook,
  upgradeV1ToV2,
  upgradeV2ToV3,
} from '../../src/shared/notebook/upgrade';
import { parseNotebookDocument } from '../../src/shared/schemas/notebook';
import { sampleNotebook, sampleNotebookV1, smallDesign } from '../helpers/designs';

describe('notebook format upgrades', () => {
  it('v1 -> v2: each experiment becomes an experiment entry, in order, with provenance', () => {
    const v1 = sampleNotebookV1();
    v1.experiments.push({ design: smallDesign({ name: 'second' }), results: [] });
    const v2 = upgradeV1ToV2(v1, '9.9.9');
    expect(v2.provenance).toEqual({ engineVersion: ENGINE_VERSION, createdBy: 'Accent Migration Lab 9.9.9' });
    expect(v2.entries.map((entry) => entry.kind === 'experiment' && [entry.id, entry.design.name])).toEqual([
      ['experiment-1', 'small'],
      ['experiment-2', 'second'],
    ]);
    expect(parseNotebookDocument(upgradeV2ToV3(v2))).toEqual({ ...v2, formatVersion: 3 });
  });

  it('v2 -> v3: only the number changes, and a format-2 file is checked as format 2', () => {
    const v3 = sampleNotebook();
    const v2 = { ...JSON.parse(JSON.stringify(v3)), formatVersion: 2 };
    expect(upgradeNotebook(v2, '1.0.0')).toEqual(v3);
    expect(() => upgradeNotebook({ ...v2, entries: 'none' }, '1')).toThrow(/^format 2: entries: /);
  });

  it('checks a file against its own version, upgrades it, and checks the result', () => {
    expect(upgradeNotebook(JSON.parse(JSON.stringify(sampleNotebookV1())), '1.0.0').formatVersion).toBe(3);
    const current = sampleNotebook();
    expect(upgradeNotebook(JSON.parse(JSON.stringify(current)), '1.0.0')).toEqual(current);
    expect(() => upgradeNotebook({ ...sampleNotebookV1(), experiments: 'none' }, '1')).toThrow(
      /^format 1: experiments: /,
    );
  });

  it('refuses newer formats and files without a format version', () => {
    expect(() => upgradeNotebook({ ...sampleNotebook(), formatVersion: 7 }, '1')).toThrow(NewerFormatError);
    expect(() => upgradeNotebook({ ...sampleNotebook(), formatVersion: 7 }, '1')).toThrow(
      /newer version of Accent Migration Lab \(notebook format 7\); this version reads format 3 and older/,
    );
    expect(() => upgradeNotebook({ name: 'x' }, '1')).toThrow(
      /formatVersion: must be a notebook format version/,
    );
    expect(() => upgradeNotebook([1], '1')).toThrow(/does not hold a JSON object/);
  });
});
