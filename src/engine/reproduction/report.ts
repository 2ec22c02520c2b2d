/**
 * What the reproduction report is made of: the published values, the claims register, the tables
 * and the fidelity checks, and the headline that sums the checks up by tier.
 */

/** The published values, as transcribed in resources/paper/zayas-1987.json. */
export interface PaperValues {
  pageSizeBytes: number;
  representatives: string[];
  prefetchValues: number[];
  table4_1_addressSpaceBytes: { columns: string[]; rows: Record<string, number[]> };
  table4_2_residentSets: { columns: string[]; rows: Record<string, number[]> };
  table4_3_pctAddressSpaceShippedNoPrefetch: { columns: string[]; rows: Record<string, number[]> };
  table4_4_exciseSeconds: { columns: string[]; rows: Record<string, number[]> };
  insertSeconds: Record<string, number | string>;
  coreMessageTransferSeconds: { approx: number };
  table4_5_rimasTransferSeconds: { columns: string[]; rows: Record<string, number[]> };
  faultCosts: { imaginaryFaultMs: number; localDiskFaultMs: number };
  /** The claims register, resources/paper/claims.json (the loaders add it). */
  claims: readonly Claim[];
}

export interface ReproductionTable {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  note?: string;
}

/**
 * How much a check can say about the model (resources/paper/claims.json, docs/model.md):
 * input (the workloads are built from it), calibrated (a knob was fitted to it), prediction
 * (nothing was fitted to it), disputed (the paper's own numbers contradict the claim there).
 */
export type Tier = 'input' | 'calibrated' | 'prediction' | 'disputed';

/** One statement of the paper, from the claims register (resources/paper/claims.json). */
export interface Claim {
  id: string;
  section: string;
  words: string;
  measure: string;
  tolerance: string;
  tier: Tier | 'unchecked';
  knob?: string;
  disputed?: { representatives: string[]; why: string };
  note?: string;
}

export interface FidelityEntry {
  name: string;
  paper: number | string;
  /** Ours on the mean over replications. */
  ours: number | string;
  tolerance: string;
  /** Judged on the mean over replications. */
  pass: boolean;
  /** The claim of the register this check measures. */
  claim: string;
  section: string;
  tier: Tier;
  /** For calibrated checks: what was fitted to this number. */
  knob?: string;
  replications: number;
  /** Share of the replications in which the check holds on its own (0 to 1). */
  replicationShare: number;
  /** From a seed study (`accent-lab seed-study`), when one is attached: share of seeds it holds in. */
  seedShare?: number;
  seeds?: number;
}

export interface ReproductionReport {
  tables: ReproductionTable[];
  fidelity: FidelityEntry[];
}

/**
 * The headline: predictions and calibrated checks apart, disputed ones shown, inputs only restated:
 * "predictions 31/33 · calibrated 52/52 · disputed 3/5 shown · inputs 42 restated", and with a seed
 * study, how many predictions hold in at least 90% of the seeds.
 */
export function fidelityHeadline(entries: readonly FidelityEntry[]): string {
  const of = (tier: Tier): FidelityEntry[] => entries.filter((entry) => entry.tier === tier);
  const held = (list: FidelityEntry[]): string =>
    `${list.filter((entry) => entry.pass).length}/${list.length}`;
  const predictions = of('prediction');
  const seeded = predictions.some((entry) => entry.seedShare !== undefined)
    ? ` (in >= 90% of seeds: ${predictions.filter((entry) => (entry.seedShare ?? 0) >= 0.9).length}/${predictions.length})`
    : '';
  return (
    `predictions ${held(predictions)}${seeded} \u00b7 calibrated ${held(of('calibrated'))} \u00b7 ` +
    `disputed ${held(of('disputed'))} shown \u00b7 inputs ${of('input').length} restated`
  );
}
