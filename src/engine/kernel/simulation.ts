import { Heap } from 'heap-js';

/**
 * The simulation kernel, after SimPy: a clock, one event queue ordered by
 * (time, priority, sequence), and processes written as generators that yield
 * the event they wait for. Nothing here reads the wall clock or awaits a
 * Promise, so a run is a pure function of its inputs and seed.
 */

/** Lower runs first among events at the same time. */
export const URGENT = 0;
export const NORMAL = 1;

type Callback<T> = (event: SimEvent<T>) => void;

export class SimEvent<T = unknown> {
  /** Called with this event when it is processed (typed `never` so SimEvent<T> stays covariant in T). */
  private callbacks: Callback<never>[] | null = [];
  private outcome: { ok: true; value: T } | { ok: false; error: Error } | null = null;
  /** Set once a failure has been delivered to someone who handles it. */
  defused = false;

  constructor(readonly sim: Simulation) {}

  get triggered(): boolean {
    return this.outcome !== null;
  }

  get processed(): boolean {
    return this.callbacks === null;
  }

  get ok(): boolean {
    return this.outcome?.ok ?? false;
  }

  get value(): T {
    if (!this.outcome) throw new Error('event has not been triggered yet');
    if (!this.outcome.ok) throw this.outcome.error;
    return this.outcome.value;
  }

  get error(): Error | null {
    return this.outcome && !this.outcome.ok ? this.outcome.error : null;
  }

  succeed(value: T, priority = NORMAL): this {
    if (this.outcome) throw new Error('event already triggered');
    this.outcome = { ok: true, value };
    this.sim.schedule(this, 0, priority);
    return this;
  }

  fail(error: Error, priority = NORMAL): this {
    if (this.outcome) throw new Error('event already triggered');
    this.outcome = { ok: false, error };
    this.sim.schedule(this, 0, priority);
    return this;
  }

  /** Trigger at a later simulated time (used by timeouts). */
  succeedAfter(delay: number, value: T, priority = NORMAL): this {
    if (this.outcome) throw new Error('event already triggered');
    this.outcome = { ok: true, value };
    this.sim.schedule(this, delay, priority);
    return this;
  }

  /** Trigger at an absolute simulated time (see Simulation.timeoutAt). */
  succeedAt(time: number, value: T, priority = NORMAL): this {
    if (this.outcome) throw new Error('event already triggered');
    this.outcome = { ok: true, value };
    this.sim.scheduleAt(this, time, priority);
    return this;
  }

  addCallback(callback: Callback<T>): void {
    if (this.callbacks === null) {
      // Already processed: run on the next step at the current time, keeping order deterministic.
      const relay = new SimEvent<null>(this.sim);
      relay.callbacks!.push(() => callback(this));
      relay.outcome = { ok: true, value: null };
      this.sim.schedule(relay, 0, URGENT);
      return;
    }
    this.callbacks.push(callback);
  }

  /** Called by the kernel when the event's time comes. */
  process(): void {
    const callbacks = (this.callbacks ?? []) as Callback<T>[];
    this.callbacks = null;
    for (const callback of callbacks) callback(this);
    if (this.outcome && !this.outcome.ok && !this.defused) {
      // A failure nobody handled stops the run loudly.
      throw this.outcome.error;
    }
  }
}

export type ProcessBody<R> = Generator<SimEvent<unknown>, R, unknown>;

/** A process is itself an event: it triggers with the generator's return value. */
export class Process<R = unknown> extends SimEvent<R> {
  private target: SimEvent<unknown> | null = null;

  constructor(
    sim: Simulation,
    private readonly body: ProcessBody<R>,
    readonly name: string,
  ) {
    super(sim);
    // Start on the next kernel step at the current time, in creation order.
    const start = new SimEvent<null>(sim);
    start.addCallback(() => this.resume(start));
    start.succeed(null, URGENT);
  }

  get isAlive(): boolean {
    return !this.triggered;
  }

  private resume(event: SimEvent<unknown>): void {
    let next: IteratorResult<SimEvent<unknown>, R>;
    try {
      if (event.ok) {
        next = this.body.next(event.value);
      } else {
        event.defused = true;
        next = this.body.throw(event.error!);
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (next.done) {
      this.succeed(next.value);
      return;
    }
    const target = next.value;
    if (!(target instanceof SimEvent)) {
      this.fail(new Error(`process ${this.name} yielded something that is not an event`));
      return;
    }
    this.target = target;
    target.addCallback(this.onTarget);
  }

  /**
   * Resume the process now, ahead of the event it waits on: the yield gives `null`, and that
   * event, when its time comes, is ignored. For a wait that something else may cut short (a
   * compute the freeze of a migration stops) without a second event to wait on.
   */
  interrupt(): void {
    if (!this.isAlive) throw new Error(`process ${this.name} has ended`);
    const now = new SimEvent<null>(this.sim);
    this.target = now;
    now.addCallback(this.onTarget);
    now.succeed(null);
  }

  /** One callback per process, not a new closure per yield. */
  private readonly onTarget = (done: SimEvent<unknown>): void => {
    if (this.target === done) this.resume(done);
  };
}

interface QueueEntry {
  time: number;
  priority: number;
  sequence: number;
  event: SimEvent<unknown>;
}

function compareEntries(a: QueueEntry, b: QueueEntry): number {
  return a.time - b.time || a.priority - b.priority || a.sequence - b.sequence;
}

export class Simulation {
  private clock = 0;
  private sequence = 0;
  private readonly queue = new Heap<QueueEntry>(compareEntries);
  private stopped = false;
  /** Number of events processed so far (for benchmarks and sanity checks). */
  eventsProcessed = 0;

  get now(): number {
    return this.clock;
  }

  schedule(event: SimEvent<unknown>, delay: number, priority = NORMAL): void {
    if (!(delay >= 0) || !Number.isFinite(delay)) {
      throw new Error(`cannot schedule an event with delay ${delay}`);
    }
    this.queue.push({ time: this.clock + delay, priority, sequence: this.sequence++, event });
  }

  /** Time of the next event in the queue (Infinity when none): nothing can happen before it. */
  get nextEventTime(): number {
    return this.queue.peek()?.time ?? Infinity;
  }

  /**
   * An event at an absolute time, for a process that has worked out when it will next need the
   * clock: the time is used as given, with no rounding of `now + (time - now)`.
   */
  timeoutAt<T = null>(time: number, value: T = null as T): SimEvent<T> {
    return new SimEvent<T>(this).succeedAt(time, value);
  }

  scheduleAt(event: SimEvent<unknown>, time: number, priority = NORMAL): void {
    if (!(time >= this.clock) || !Number.isFinite(time)) {
      throw new Error(`cannot schedule an event at ${time}, before now (${this.clock})`);
    }
    this.queue.push({ time, priority, sequence: this.sequence++, event });
  }

  event<T = unknown>(): SimEvent<T> {
    return new SimEvent<T>(this);
  }

  timeout<T = null>(delay: number, value: T = null as T): SimEvent<T> {
    return new SimEvent<T>(this).succeedAfter(delay, value);
  }

  process<R>(body: ProcessBody<R>, name = 'process'): Process<R> {
    return new Process(this, body, name);
  }

  /** An event that triggers when every given event has succeeded. */
  allOf(events: SimEvent<unknown>[]): SimEvent<unknown[]> {
    const all = this.event<unknown[]>();
    let remaining = events.length;
    if (remaining === 0) return all.succeed([]);
    for (const event of events) {
      event.addCallback((done) => {
        if (all.triggered) return;
        if (!done.ok) {
          done.defused = true;
          all.fail(done.error!);
          return;
        }
        remaining -= 1;
        if (remaining === 0) all.succeed(events.map((e) => e.value));
      });
    }
    return all;
  }

  /** Process one event. Returns false when the queue is empty. */
  step(): boolean {
    const entry = this.queue.pop();
    if (!entry) return false;
    this.clock = entry.time;
    this.eventsProcessed += 1;
    entry.event.process();
    return true;
  }

  /**
   * Process at most `maxEvents` events; returns true while there is more to do. Running
   * in slices like this (to report progress) gives exactly the same result as `run()`.
   */
  runSlice(maxEvents: number): boolean {
    this.stopped = false;
    for (let i = 0; i < maxEvents; i += 1) {
      if (this.stopped || !this.step()) return false;
    }
    return !this.stopped && this.queue.length > 0;
  }

  /** Ask `run` to return after the current event (used when a trial's process ends). */
  stop(): void {
    this.stopped = true;
  }

  /** Run until the queue empties, `stop` is called, or simulated time reaches `until`. */
  run(until = Infinity): void {
    this.stopped = false;
    while (!this.stopped) {
      const next = this.queue.peek();
      if (!next || next.time >= until) {
        if (until !== Infinity && this.clock < until) this.clock = until;
        break;
      }
      this.step();
    }
  }
}
