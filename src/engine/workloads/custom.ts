import type { SyntheticWorkloadSpec } from './spec';

// A workload of the user's own from the designer's few knobs (the custom workload form).

/** The simple knobs of a custom workload, as the designer offers them. */
export interface CustomWorkloadParameters {
  name: string;
  realBytes: number;
  realZeroBytes: number;
  residentBytes: number;
  /** Share of RealMem touched after migration, 0..1. */
  touchedFraction: number;
  /** Probability that a touched page's neighbour is touched too, 0 (none) .. 0.95 (long runs). */
  locality: number;
  computeSeconds: number;
  /**
   * A VM-like writer instead (TouchPattern 'dirty-rate'): it writes its working set at this rate
   * while it runs; touchedFraction, locality and the zero-filled memory then do not apply.
   */
  dirtyRate?: { workingSetBytes: number; dirtyBytesPerSecond: number; order: 'cyclic' | 'random' };
}

/** Turn the designer's knobs into a full workload (resident pages touched in proportion). */
export function customWorkload(parameters: CustomWorkloadParameters): SyntheticWorkloadSpec {
  const residentShare = parameters.realBytes > 0 ? parameters.residentBytes / parameters.realBytes : 0;
  const writer = parameters.dirtyRate;
  if (writer) {
    // All of a VM's memory is data (one RealMem range); the touched share is the working set.
    const real = parameters.realBytes > 0 ? parameters.realBytes : 1;
    return {
      name: parameters.name,
      description: 'A workload of the user\u2019s own that writes its working set at a set rate',
      realBytes: parameters.realBytes,
      realZeroBytes: 0,
      residentBytes: parameters.residentBytes,
      amapEntries: 1,
      memoryObjects: 1,
      portRights: 10,
      residentRunPages: 1,
      touchedFractionOfReal: Math.min(1, writer.workingSetBytes / real),
      touchedResidentFractionOfReal: Math.min(
        1,
        Math.min(writer.workingSetBytes, parameters.residentBytes) / real,
      ),
      pattern: { kind: 'dirty-rate', ...writer },
      zeroFillPages: 0,
      computeSeconds: parameters.computeSeconds,
      rereferencesPerPage: 0,
    };
  }
  return {
    name: parameters.name,
    description: 'A workload of the user\u2019s own',
    realBytes: parameters.realBytes,
    realZeroBytes: parameters.realZeroBytes,
    residentBytes: parameters.residentBytes,
    amapEntries: 9,
    memoryObjects: 4,
    portRights: 10,
    residentRunPages: 4,
    touchedFractionOfReal: parameters.touchedFraction,
    touchedResidentFractionOfReal: parameters.touchedFraction * residentShare,
    pattern: { kind: 'clustered', continueProbability: parameters.locality, order: 'random' },
    zeroFillPages: 0,
    computeSeconds: parameters.computeSeconds,
    rereferencesPerPage: 4,
  };
}
