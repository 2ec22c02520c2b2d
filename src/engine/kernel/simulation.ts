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

const PENDING = 0;
const SUCCEEDED = 1;
const FAILED = 2;

/**
 * An event: triggered once (succeeded with a value or failed with an error), then processed by the
 * kernel at its time, when its callbacks run. Its place in the queue is kept on the event itself,
 * and its outcome and callbacks in plain fields: a trial makes some 10^5 events, and an object or
 * array more per event is what the garbage collector spent its time on.
 */
export class SimEvent<T = unknown> {
  /** The first callback, and any after it: most events have one (the process waiting on it). */
  private firstCallback: Callback<never> | null = null;
  private moreCallbacks: Callback<never>[] | null = null;
  private isProcessed = false;
  private state: typeof PENDING | typeof SUCCEEDED | typeof FAILED = PENDING;
  /** The value once succeeded, the error once failed. */
  private result: unknown = undefined;
  /** Set once a failure has been delivered to someone who handles it. */
  defused = false;
  /** Its place in the queue once scheduled: ordered by time, then priority, then sequence. */
  time = 0;
  priority = NORMAL;
  sequence = 0;

  constructor(readonly sim: Simulation) {}

  get triggered(): boolean {
    return this.state !== PENDING;
  }

  get processed(): boolean {
    return this.isProcessed;
  }

  get ok(): boolean {
    return this.state === SUCCEEDED;
  }

  get value(): T {
    if (this.state === PENDING) throw new Error('event has not been triggered yet');
    if (this.state === FAILED) throw this.result as Error;
    return this.result as T;
  }

  get error(): Error | null {
    return this.state === FAILED ? (this.result as Error) : null;
  }

  succeed(value: T, priority = NORMAL): this {
    this.trigger(SUCCEEDED, value);
    this.sim.schedule(this, 0, priority);
    return this;
  }

  fail(error: Error, priority = NORMAL): this {
    this.trigger(FAILED, error);
    this.sim.schedule(this, 0, priority);
    return this;
  }

  /** Trigger at a later simulated time (used by timeouts). */
  succeedAfter(delay: number, value: T, priority = NORMAL): this {
    this.trigger(SUCCEEDED, value);
    this.sim.schedule(this, delay, priority);
    return this;
  }

  /** Trigger at an absolute simulated time (see Simulation.timeoutAt). */
  succeedAt(time: number, value: T, priority = NORMAL): this {
    this.trigger(SUCCEEDED, value);
    this.sim.scheduleAt(this, time, priority);
    return this;
  }

  private trigger(state: typeof SUCCEEDED | typeof FAILED, result: unknown): void {
    if (this.state !== PENDING) throw new Error('event already triggered');
    this.state = state;
    this.result = result;
  }

  addCallback(callback: Callback<T>): void {
    if (this.isProcessed) {
      // Already processed: run on the next step at the current time, keeping order deterministic.
      const relay = new SimEvent<null>(this.sim);
      relay.firstCallback = () => callback(this);
      relay.trigger(SUCCEEDED, null);
      this.sim.schedule(relay, 0, URGENT);
      return;
    }
    if (this.firstCallback === null) this.firstCallback = callback as Callback<never>;
    else (this.moreCallbacks ??= []).push(callback as Callback<never>);
  }

  /** Called by the kernel when the event's time comes. */
  process(): void {
    const first = this.firstCallback as Callback<T> | null;
    const more = this.moreCallbacks as Callback<T>[] | null;
    this.firstCallback = null;
    this.moreCallbacks = null;
    this.isProcessed = true;
    if (first) first(this);
    if (more) for (const callback of more) callback(this);
    if (this.state === FAILED && !this.defused) {
      // A failure nobody handled stops the run loudly.
      throw this.result as Error;
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

function compareEvents(a: SimEvent<unknown>, b: SimEvent<unknown>): number {
  return a.time - b.time || a.priority - b.priority || a.sequence - b.sequence;
}

export class Simulation {
  private clock = 0;
  private sequence = 0;
  private readonly queue = new Heap<SimEvent<unknown>>(compareEvents);
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
    this.enqueue(event, this.clock + delay, priority);
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
    this.enqueue(event, time, priority);
  }

  /** An event is triggered, so scheduled, once: its place in the queue can live on it. */
  private enqueue(event: SimEvent<unknown>, time: number, priority: number): void {
    event.time = time;
    event.priority = priority;
    event.sequence = this.sequence++;
    this.queue.push(event);
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
    const event = this.queue.pop();
    if (!event) return false;
    this.clock = event.time;
    this.eventsProcessed += 1;
    event.process();
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
