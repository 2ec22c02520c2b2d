import { RandomStream } from '../../src/engine/kernel/random';
import { Simulation } from '../../src/engine/kernel/simulation';
import type { ProcessBody } from '../../src/engine/kernel/simulation';
import { PERQ_1987 } from '../../src/engine/hardware/presets';
import type { HardwarePreset } from '../../src/engine/hardware/presets';
import { placeProcess } from '../../src/engine/experiment/trialSetup';
import type { AMapRange } from '../../src/engine/model/amap';
import { Cluster, type Host } from '../../src/engine/model/cluster';
import { insertProcess } from '../../src/engine/model/migration';
import type { AccentProcess, StrategyName } from '../../src/engine/model/migration';
import type { Message } from '../../src/engine/model/ports';

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

/** The seed of the test processes' page contents (see placeTestProcess). */
export const TEST_SEED = 1;

/**
 * The engine's placeProcess with hand-made ranges: page p of a RealMem range holds
 * contentOf(TEST_SEED, p); the given pages are resident.
 */
export function placeTestProcess(host: Host, ranges: AMapRange[], resident: number[] = []): AccentProcess {
  const realPages = ranges
    .filter((range) => range.distance === 'RealMem')
    .flatMap((range) => Array.from({ length: range.end - range.start }, (_, at) => range.start + at));
  return placeProcess(
    host,
    { name: 'test-process', portRights: 3, memoryObjects: 2 },
    { ranges, realPages, residentPages: resident },
    TEST_SEED,
  );
}

/** Run a generator to completion and return its value. */
export function runToEnd<T>(sim: Simulation, body: ProcessBody<T>): T {
  const process = sim.process(body, 'test');
  sim.run();
  if (!process.triggered) throw new Error('process did not finish');
  return process.value;
}

/** Excise on the source, send with a strategy, insert on the destination. */
export function migrate(strategy: StrategyName, prefetch = 0, resident: number[] = [0, 1, 2]) {
  return migrateOn(quietPerq(), strategy, prefetch, resident);
}

export function migrateOn(
  hardware: HardwarePreset,
  strategy: StrategyName,
  prefetch: number,
  resident: number[],
) {
  const setup = twoHosts(hardware);
  const { sim, source, destination } = setup;
  const process = placeTestProcess(
    source,
    [
      { start: 0, end: 8, distance: 'RealMem' },
      { start: 8, end: 100, distance: 'RealZeroMem' },
      { start: 100, end: 112, distance: 'RealMem' },
    ],
    resident,
  );
  const original = new Map([...process.space.pages].map(([page, state]) => [page, state.content]));
  const migrated = runToEnd(
    sim,
    (function* () {
      yield* source.migrationManager.migrate(process, destination.migrationManager, strategy, prefetch);
      const [core, rimas] = (yield destination.migrationManager.contextArrived()) as Message[];
      return yield* insertProcess(destination, core!, rimas!);
    })(),
  );
  return { ...setup, process, migrated, original };
}

/** Touch every page that was real before migration; return the contents seen. */
export function touchAll(setup: ReturnType<typeof migrate>): Map<number, number> {
  const { sim, destination, migrated, original } = setup;
  const seen = new Map<number, number>();
  runToEnd(
    sim,
    (function* (process: AccentProcess) {
      for (const page of original.keys()) {
        const state = process.space.pages.get(page);
        if (!(state && destination.memory.touch(state.frameKey))) {
          yield* destination.pager.fault(process.space, page, process.name);
        }
        seen.set(page, process.space.pages.get(page)!.content);
      }
    })(migrated),
  );
  return seen;
}
