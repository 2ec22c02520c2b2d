import { RandomStream } from '../../src/engine/kernel/random';
import { Simulation } from '../../src/engine/kernel/simulation';
import type { ProcessBody } from '../../src/engine/kernel/simulation';
import { PERQ_1987 } from '../../src/engine/hardware/presets';
import type { HardwarePreset } from '../../src/engine/hardware/presets';
import { AddressSpace } from '../../src/engine/model/addressSpace';
import type { AMapRange } from '../../src/engine/model/amap';
import { Cluster } from '../../src/engine/model/cluster';
import { pageKey } from '../../src/engine/model/memory';
import type { AccentProcess } from '../../src/engine/model/migration';

/** A quiet Perq: no background memory demand, so tests see only what they cause. */
export function quietPerq(): HardwarePreset {
  const hardware = structuredClone(PERQ_1987);
  hardware.memory.backgroundPagesPerSecond = 0;
  return hardware;
}

export function twoHosts(hardware: HardwarePreset = quietPerq()) {
  const sim = new Simulation();
  const cluster = new Cluster(sim, hardware, RandomStream.fromSeed(1));
  const source = cluster.addHost('source');
  const destination = cluster.addHost('destination');
  return { sim, cluster, source, destination };
}

/** A process whose page p holds content 1000 + p, with the given pages resident. */
export function placeProcess(
  cluster: Cluster,
  host: ReturnType<Cluster['addHost']>,
  ranges: AMapRange[],
  resident: number[] = [],
): AccentProcess {
  const space = AddressSpace.fromRanges(cluster.nextId(), cluster.hardware.pageSizeBytes, ranges);
  for (const range of ranges) {
    if (range.distance !== 'RealMem') continue;
    for (let page = range.start; page < range.end; page += 1) {
      space.pages.set(page, { content: 1000 + page, frameKey: pageKey(space.objectId, page) });
    }
  }
  for (const page of resident) host.memory.admit(pageKey(space.objectId, page));
  return { name: 'test-process', space, portRights: 3, memoryObjects: 2 };
}

/** Run a generator to completion and return its value. */
export function runToEnd<T>(sim: Simulation, body: ProcessBody<T>): T {
  const process = sim.process(body, 'test');
  sim.run();
  if (!process.triggered) throw new Error('process did not finish');
  return process.value;
}
