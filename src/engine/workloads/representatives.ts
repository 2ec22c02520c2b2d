import type { SyntheticWorkloadSpec } from './spec';

/**
 * The seven representative processes of section 4.1. Sizes are Tables 4-1 and
 * 4-2 exactly. The rest are generator parameters; each says what fixed it.
 *
 * amapEntries comes from Table 4-4's AMap column through the Perq preset's
 * AMap costs (5 ms an entry + 0.4 ms a RealMem page); memoryObjects from
 * Table 4-5's pure-IOU column (one imaginary object per memory object);
 * residentRunPages from Table 4-5's RS column (Lisp's resident pages lie
 * scattered; the others in runs of about 3.5 pages; Chess's 20 was refitted in
 * engine 0.4.0, when the touched part of a clustered process's resident set
 * began to follow its clusters, see generateWorkload). Touched shares are Table
 * 4-3's IOU column; the touched-and-resident share is |T| + |R| - |T u R| with
 * Table 4-3's RS column as |T u R|. Compute times are not published: each is
 * inferred from a claim of section 4.3.3 and says which.
 */
/**
 * Pasmac's remaining work grows with the text it has left to read: 36 ms of
 * compute per page it touches after migration. The 36 ms is fitted so that
 * pure-IOU's remote execution improves from PF0 to PF15 by at most a factor of
 * 2 over the three runs ("improved its I/OU remote execution times by up to a
 * factor of 2", section 4.3.3), which makes that check calibrated and leaves
 * the end-to-end -21%/+44% of section 4.3.4 a prediction (engine 0.5.0; the
 * earlier 30, 25 and 12 s had been chosen with that claim in view).
 */
const PASMAC_COMPUTE_SECONDS_PER_TOUCHED_PAGE = 0.036;

function pasmacComputeSeconds(realBytes: number, touchedFractionOfReal: number): number {
  const touchedPages = Math.round((realBytes / 512) * touchedFractionOfReal);
  return Math.round(touchedPages * PASMAC_COMPUTE_SECONDS_PER_TOUCHED_PAGE * 100) / 100;
}

export const REPRESENTATIVES: readonly SyntheticWorkloadSpec[] = [
  {
    name: 'Minprog',
    description: 'Prints a message, waits for input and exits: the "null trap" of migration',
    realBytes: 142_336,
    realZeroBytes: 187_904,
    residentBytes: 71_680,
    amapEntries: 52,
    memoryObjects: 4,
    portRights: 9,
    residentRunPages: 4.5,
    touchedFractionOfReal: 0.086,
    touchedResidentFractionOfReal: 0.086, // "Minprog touches only pages that were resident"
    pattern: { kind: 'clustered', continueProbability: 0.75, order: 'ascending' },
    zeroFillPages: 0,
    computeSeconds: 0.05, // runs 44x slower pure-IOU than pure-copy (section 4.3.3)
    rereferencesPerPage: 4,
    writeFraction: 0.1, // assumption, not in the paper: prints and waits: little to write
  },
  {
    name: 'Lisp-T',
    description: 'SPICE Lisp evaluating T right after migration: little work in a 4 GB space',
    realBytes: 2_203_136,
    realZeroBytes: 4_225_926_144,
    residentBytes: 190_464,
    amapEntries: 80,
    memoryObjects: 4,
    portRights: 11,
    residentRunPages: 1,
    touchedFractionOfReal: 0.03,
    touchedResidentFractionOfReal: 0.026,
    pattern: { kind: 'clustered', continueProbability: 0.75, order: 'random' },
    zeroFillPages: 10,
    computeSeconds: 0.5, // "the minimum computation is performed", like Minprog
    rereferencesPerPage: 4,
    writeFraction: 0.3, // assumption, not in the paper: Lisp mutates its heap as it conses
  },
  {
    name: 'Lisp-Del',
    description: 'SPICE Lisp loading and running a Delaunay triangulation package',
    realBytes: 2_200_064,
    realZeroBytes: 4_225_929_216,
    residentBytes: 190_464,
    amapEntries: 148,
    memoryObjects: 4,
    portRights: 11,
    residentRunPages: 1,
    touchedFractionOfReal: 0.165,
    touchedResidentFractionOfReal: 0.078,
    pattern: { kind: 'clustered', continueProbability: 0.55, order: 'random' },
    zeroFillPages: 300,
    // Under pure-IOU it "finishes its work shortly after the full-copy trial begins its remote execution".
    computeSeconds: 90,
    rereferencesPerPage: 8,
    writeFraction: 0.3, // assumption, not in the paper: Lisp mutates its heap as it conses
  },
  {
    name: 'PM-Start',
    description: 'Pasmac macro processor migrated as it opens its first definition file',
    realBytes: 449_024,
    realZeroBytes: 501_760,
    residentBytes: 132_096,
    amapEntries: 126,
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 10,
    touchedFractionOfReal: 0.58,
    touchedResidentFractionOfReal: 0.114,
    // Files read front to back: a steady 78% prefetch hit ratio (section 4.3.3).
    pattern: { kind: 'sequential', density: 0.78, extentPages: 160 },
    zeroFillPages: 50,
    computeSeconds: pasmacComputeSeconds(449_024, 0.58), // 18.32 s
    rereferencesPerPage: 4,
    writeFraction: 0.2, // assumption, not in the paper: a macro processor writes its tables and output buffers
  },
  {
    name: 'PM-Mid',
    description: 'Pasmac migrated after reading all definition files',
    realBytes: 446_464,
    realZeroBytes: 466_432,
    residentBytes: 190_976,
    amapEntries: 132,
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 6.5,
    touchedFractionOfReal: 0.515,
    touchedResidentFractionOfReal: 0.168,
    pattern: { kind: 'sequential', density: 0.78, extentPages: 160 },
    zeroFillPages: 50,
    computeSeconds: pasmacComputeSeconds(446_464, 0.515), // 16.16 s
    rereferencesPerPage: 4,
    writeFraction: 0.2, // assumption, not in the paper: a macro processor writes its tables and output buffers
  },
  {
    name: 'PM-End',
    description: 'Pasmac migrated near the end of its expansion',
    realBytes: 492_032,
    realZeroBytes: 398_848,
    residentBytes: 302_080,
    amapEntries: 203,
    memoryObjects: 5,
    portRights: 10,
    residentRunPages: 4.5,
    touchedFractionOfReal: 0.269,
    touchedResidentFractionOfReal: 0.158,
    pattern: { kind: 'sequential', density: 0.78, extentPages: 160 },
    zeroFillPages: 30,
    computeSeconds: pasmacComputeSeconds(492_032, 0.269), // 9.32 s
    rereferencesPerPage: 4,
    writeFraction: 0.2, // assumption, not in the paper: a macro processor writes its tables and output buffers
  },
  {
    name: 'Chess',
    description: 'A compute-bound chess program with a ticking game clock',
    realBytes: 195_584,
    realZeroBytes: 305_152,
    residentBytes: 110_080,
    amapEntries: 43,
    memoryObjects: 5,
    portRights: 12,
    residentRunPages: 20,
    touchedFractionOfReal: 0.356,
    touchedResidentFractionOfReal: 0.259,
    pattern: { kind: 'clustered', continueProbability: 0.6, order: 'random' },
    zeroFillPages: 20,
    computeSeconds: 520, // runs "only about 3% longer" pure-IOU (section 4.3.3)
    rereferencesPerPage: 16,
    writeFraction: 0.35, // assumption, not in the paper: a game-tree search writes its transposition table
  },
];

export function representative(name: string): SyntheticWorkloadSpec {
  const found = REPRESENTATIVES.find((workload) => workload.name === name);
  if (!found) {
    throw new Error(
      `unknown representative "${name}" (known: ${REPRESENTATIVES.map((w) => w.name).join(', ')})`,
    );
  }
  return structuredClone(found);
}

/**
 * A synthetic workload for the breakeven sweep of section 4.3.4: RealMem
 * touched without locality, in a given share.
 */
export function syntheticWorkload(touchedFractionOfReal: number): SyntheticWorkloadSpec {
  const realPages = 600;
  const touched = Math.round(touchedFractionOfReal * realPages);
  const resident = 222; // 37% of RealMem, the representatives' mean (Table 4-2)
  return {
    name: `Synthetic-${Math.round(touchedFractionOfReal * 100)}%`,
    description: 'Breakeven sweep: 300 KB of RealMem, 37% resident, touched without locality',
    realBytes: realPages * 512,
    realZeroBytes: 600 * 512,
    residentBytes: resident * 512,
    amapEntries: 40,
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 4.5,
    touchedFractionOfReal: touched / realPages,
    touchedResidentFractionOfReal: Math.round(touched * 0.37) / realPages,
    pattern: { kind: 'clustered', continueProbability: 0, order: 'random' },
    zeroFillPages: 0,
    computeSeconds: 5,
    rereferencesPerPage: 4,
  };
}
