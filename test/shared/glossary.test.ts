import { describe, expect, it } from 'vitest';
import { GLOSSARY, searchGlossary } from '../../src/shared/glossary';
import { SHORTCUTS } from '../../src/shared/shortcuts';

describe('the glossary of the paper’s terms', () => {
  it('defines the terms the issue names, each once, with the section it comes from', () => {
    const names = GLOSSARY.map((entry) => entry.term);
    for (const term of [
      'IOU',
      'RIMAS',
      'AMap',
      'Imaginary fault',
      'RealZeroMem',
      'NoIOUs',
      'ExciseProcess',
      'InsertProcess',
    ])
      expect(names).toContain(term);
    expect(new Set(names).size).toBe(names.length);
    for (const entry of GLOSSARY) {
      expect(entry.definition.length).toBeGreaterThan(40);
      expect(entry.source).toMatch(/^Sections? \d/);
    }
  });

  it('finds terms by name, alias or definition, case-insensitively', () => {
    expect(searchGlossary('').length).toBe(GLOSSARY.length);
    expect(searchGlossary('real and imaginary memory').map((entry) => entry.term)).toContain('RIMAS');
    expect(searchGlossary('i/ou').map((entry) => entry.term)).toEqual(
      expect.arrayContaining(['IOU', 'Pure-IOU']),
    );
    expect(searchGlossary('zzz')).toEqual([]);
  });

  it('opens from a shortcut of its own', () => {
    expect(SHORTCUTS.find((shortcut) => shortcut.command === 'glossary')?.desktop).toBe('Shift+F1');
  });
});
