import type { Process, ProcessBody, SimEvent } from '../kernel/simulation';
import type { ImaginarySegment, OwedPage } from '../model/imaginary';
import {
  insertLive,
  owedSegment,
  PushReceiver,
  pushOwedPages,
  stagePagesMessage,
} from '../model/liveMigration';
import { pageKey } from '../model/memory';
import type { AccentProcess } from '../model/migration';
import { exciseProcess } from '../model/migration';
import type { MigrationRun } from './migrationRun';
import { ReferenceLoop } from './referenceLoop';
import { written } from './trialSetup';

/**
 * The strategies beyond 1987 (pre-copy, post-copy, hybrid, Sprite's flush) for one MigrationRun:
 * the rounds that copy pages while the process runs on at the source, the freeze, and what the
 * destination gets at it (the pages still unsent, owed pages, or a file server's copy).
 */
export class LiveMigration {
  /** Pages written at the source since they were last sent. */
  private readonly dirty = new Set<number>();
  /** Pages sent to the destination at least once. */
  private readonly sent = new Set<number>();
  private freezeRequested = false;
  /**
   * The process's reference loop at the source, while it runs there. Its writes reach the page
   * contents and `dirty` when it settles: before a round reads them, and at the freeze.
   */
  private sourceLoop: ReferenceLoop | null = null;
  private sourceProcess: Process<void> | null = null;
  private readonly frozen: SimEvent<null>;
  /** Stops the compute in progress at the source (the freeze does not wait for it to end). */
  private interruptCompute: (() => void) | null = null;
  /** Compute of the reference in progress at the freeze still to do, at the destination. */
  computeLeft: number | null = null;

  constructor(private readonly run: MigrationRun) {
    this.frozen = run.sim.event<null>();
  }

  /** A write at the source: the page changes, and is dirty again if it was sent. */
  private applyWrite(page: number, index: number): void {
    const state = this.run.process.space.pages.get(page)!;
    state.content = written(state.content, index);
    if (this.dirty.has(page)) return; // nearly always, once a round has begun: one lookup
    if (this.sent.has(page)) {
      const redirtied = this.run.cluster.counters.redirtied;
      redirtied.set(page, (redirtied.get(page) ?? 0) + 1);
    }
    this.dirty.add(page);
  }

  /** Complete reference `index` at the source by faulting its page in. */
  private *completeByFault(index: number): ProcessBody<void> {
    const { run } = this;
    const space = run.process.space;
    const page = run.generated.references[index]!;
    const zeroFill = !space.pages.has(page);
    yield* run.source.pager.fault(space, page, run.process.name);
    if (zeroFill) this.dirty.add(page); // zero-filled just now: a new page to copy
    if (run.generated.writes[index]) this.applyWrite(page, index);
    run.referencesDone = index + 1;
  }

  /** Pre-copy and hybrid: the process runs on at the source until the freeze. */
  private *runAtSource(): ProcessBody<void> {
    const { run } = this;
    const { sim, generated } = run;
    const references = generated.references;
    const secondsBefore = generated.secondsBefore;
    const secondsOf = (index: number): number =>
      secondsBefore ? secondsBefore[index]! : generated.secondsPerReference;
    const loop = new ReferenceLoop({
      references,
      space: run.process.space,
      memory: run.source.memory,
      writes: { flags: generated.writes, apply: (page, index) => this.applyWrite(page, index) },
      secondsBefore,
      secondsPerReference: generated.secondsPerReference,
      interval: Infinity,
      from: 0,
      firstReferenceSeconds: null,
    });
    this.sourceLoop = loop;
    while (run.referencesDone < references.length && !this.freezeRequested) {
      // The references that end before the next event anywhere run here without the kernel: nothing
      // can see the process between them, so one timeout to where they end (summed as the
      // per-reference timeouts would sum it) gives the same run with far fewer events.
      run.referencesDone = loop.runSourceHits(run.referencesDone, sim.now, sim.nextEventTime);
      if (loop.stoppedAtFault || run.referencesDone >= references.length) {
        if (loop.clock > sim.now) yield sim.timeoutAt(loop.clock);
        if (!loop.stoppedAtFault) break;
        yield* this.completeByFault(run.referencesDone);
        continue;
      }
      // This reference starts at `clock` and ends after something else happens (a round's end
      // may freeze the process): one wait to its end, which the freeze may cut short.
      const started = loop.clock;
      const referenceSeconds = secondsOf(run.referencesDone);
      let interrupted = false;
      this.interruptCompute = () => {
        interrupted = true;
        this.sourceProcess!.interrupt();
      };
      yield sim.timeoutAt(started + referenceSeconds);
      this.interruptCompute = null;
      if (interrupted) {
        this.computeLeft = Math.max(0, referenceSeconds - (sim.now - started));
        break;
      }
      if (loop.tryReference(run.referencesDone)) run.referencesDone += 1;
      else yield* this.completeByFault(run.referencesDone);
    }
    loop.settle();
    this.sourceLoop = null;
    this.frozen.succeed(null);
  }

  /**
   * The rounds of pre-copy (and hybrid) while the process runs at the source, up to the freeze.
   * Hybrid also stops when pages are written faster than it can usefully copy them.
   */
  private *copyRounds(rounds: number): ProcessBody<void> {
    const { run } = this;
    const { sim, source, strategyOptions } = run;
    const space = run.process.space;
    const stage = run.destination.migrationManager;
    this.sourceProcess = sim.process(this.runAtSource(), 'pre-copy execution at the source');
    /** Page bytes a second the last round achieved, for the downtime rule (0: rule off). */
    let roundBytesPerSecond = 0;
    const maxDowntime = strategyOptions.preCopyMaxDowntimeSeconds;
    const pageSizeBytes = run.spec.hardware.pageSizeBytes;
    for (let round = 1; round <= rounds; round += 1) {
      this.sourceLoop?.settle(); // what the process wrote so far
      const pages =
        round === 1 ? [...space.pages.keys()] : [...this.dirty].filter((page) => space.pages.has(page));
      if (
        round > 1 &&
        (pages.length <= strategyOptions.preCopyStopPages ||
          run.referencesDone >= run.generated.references.length ||
          (maxDowntime > 0 && pages.length * pageSizeBytes <= roundBytesPerSecond * maxDowntime))
      )
        break;
      pages.sort((a, b) => a - b);
      for (const page of pages) {
        this.dirty.delete(page);
        this.sent.add(page);
      }
      const roundStarted = sim.now;
      yield source.send(stagePagesMessage(source, space, pages), stage.port);
      run.preCopyRounds = round;
      // Hybrid's second trigger: pages written faster than they can usefully be copied.
      const switchRate = strategyOptions.hybridSwitchDirtyPagesPerSecond;
      const roundSeconds = sim.now - roundStarted;
      if (roundSeconds > 0) roundBytesPerSecond = (pages.length * pageSizeBytes) / roundSeconds;
      this.sourceLoop?.settle();
      if (
        run.spec.strategy === 'hybrid' &&
        switchRate > 0 &&
        roundSeconds > 0 &&
        this.dirty.size / roundSeconds > switchRate
      )
        break;
    }
    this.freezeRequested = true;
    this.interruptCompute?.();
    yield this.frozen;
  }

  /** Each of `pages` as an owed page: its contents now, and the frame it is backed from. */
  private owedPages(pages: readonly number[], frameKeyOf: (page: number) => number): Map<number, OwedPage> {
    const space = this.run.process.space;
    return new Map(
      pages.map((page) => [page, { content: space.pages.get(page)!.content, frameKey: frameKeyOf(page) }]),
    );
  }

  /**
   * At the freeze, what the strategy does with the pages not yet at the destination: pre-copy
   * sends them; Sprite flushes the dirty ones to a file server, which then backs them all;
   * post-copy and hybrid leave them owed by the source.
   */
  private *atFreeze(unsent: readonly number[]): ProcessBody<{
    owed: ImaginarySegment | null;
    staged: ReadonlyMap<number, { content: number; frameKey: number }> | null;
    rimasTransferSeconds: number;
  }> {
    const { run } = this;
    const { sim, source, cluster, spec } = run;
    const space = run.process.space;
    const stage = run.destination.migrationManager;
    if (spec.strategy === 'pre-copy') {
      // Stop-and-copy: the pages still dirty (all of them when no round ran).
      const sentAt = sim.now;
      for (const page of unsent) this.sent.add(page);
      if (unsent.length > 0) yield source.send(stagePagesMessage(source, space, unsent), stage.port);
      return { owed: null, staged: null, rimasTransferSeconds: sim.now - sentAt };
    }
    if (spec.strategy === 'sprite-flush') {
      // Sprite: flush the dirty (resident) pages to the file server; the rest is already there.
      const fileServer = cluster.addHost('file-server');
      fileServer.memory.admitAnonymous(fileServer.memory.capacity);
      fileServer.migrationManager.countStagedArrivals = false;
      const dirtyPages = unsent.filter((page) => source.memory.isResident(space.pages.get(page)!.frameKey));
      const sentAt = sim.now;
      if (dirtyPages.length > 0) {
        yield source.send(stagePagesMessage(source, space, dirtyPages), fileServer.migrationManager.port);
      }
      const rimasTransferSeconds = sim.now - sentAt;
      const diskObject = cluster.nextId();
      const flushed = fileServer.migrationManager.staged;
      const owed = owedSegment(
        fileServer,
        this.owedPages(unsent, (page) => flushed.get(page)?.frameKey ?? pageKey(diskObject, page)),
        spec.prefetch,
      );
      return { owed, staged: new Map(), rimasTransferSeconds };
    }
    // Post-copy (and hybrid after its rounds): every page not yet at the destination is owed.
    const owed = owedSegment(
      source,
      this.owedPages(unsent, (page) => space.pages.get(page)!.frameKey),
      spec.prefetch,
    );
    return { owed, staged: null, rimasTransferSeconds: 0 };
  }

  /** Migrate by a strategy beyond 1987; returns the process inserted at the destination. */
  *migrate(): ProcessBody<AccentProcess> {
    const { run } = this;
    const { sim, source, destination, strategyOptions } = run;
    const strategy = run.spec.strategy;
    const rounds =
      strategy === 'pre-copy'
        ? strategyOptions.preCopyMaxRounds
        : strategy === 'hybrid'
          ? strategyOptions.hybridRounds
          : 0;
    if (rounds > 0) yield* this.copyRounds(rounds);
    // Stop: the process is frozen from here until it resumes at the destination.
    const process = run.process;
    run.freezeAt = sim.now;
    run.originalAmap = process.space.amap.clone();
    run.snapshotContents();
    const started = sim.now;
    const excised = yield* exciseProcess(source, process);
    const exciseSeconds = sim.now - started;
    const unsent = [...process.space.pages.keys()].filter(
      (page) => !this.sent.has(page) || this.dirty.has(page),
    );
    unsent.sort((a, b) => a - b);
    const frozen = yield* this.atFreeze(unsent);
    const owed = frozen.owed;
    const staged = frozen.staged ?? destination.migrationManager.staged;
    const corePort = destination.createPort('live-migration.core');
    const coreSent = sim.now;
    yield source.send(excised.core, corePort);
    const coreTransferSeconds = sim.now - coreSent;
    run.transferDoneAt = sim.now;
    run.timings = {
      exciseSeconds,
      amapSeconds: excised.amapSeconds,
      rimasCollapseSeconds: excised.rimasSeconds,
      coreTransferSeconds,
      rimasTransferSeconds: frozen.rimasTransferSeconds,
    };
    const core = (yield corePort.receive()) as Parameters<typeof insertLive>[1];
    const insertStarted = sim.now;
    const inserted = yield* insertLive(destination, core, staged, owed);
    run.insertSeconds = sim.now - insertStarted;
    if (owed && owed.host === source && strategyOptions.pushPagesPerMessage > 0) {
      const receiver = new PushReceiver(destination);
      receiver.start(inserted.space, inserted.space.segmentIds()[0]!);
      sim.process(
        pushOwedPages(
          owed,
          receiver.port,
          strategyOptions.pushPagesPerMessage,
          strategyOptions.pushWindowMessages,
          () => run.sourceFailed || run.exited,
        ),
        'post-copy active push',
      );
    }
    return inserted;
  }
}
