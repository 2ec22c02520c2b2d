// The pool's workers as slots, handed out first come, first served (see WorkerSlots.acquire).

interface Waiter {
  resolve: (granted: boolean) => void;
  signal: AbortSignal | undefined;
  /** Cancelled while queued: release() skips it. */
  dropped: boolean;
}

/** A FIFO of waiters with O(1) shift (an array's shift is O(n)). */
class WaitQueue {
  private items: Waiter[] = [];
  private head = 0;

  push(waiter: Waiter): void {
    this.items.push(waiter);
  }

  shift(): Waiter | undefined {
    if (this.head >= this.items.length) return undefined;
    const waiter = this.items[this.head]!;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }

  /** Forget the dropped waiters. */
  compact(): void {
    this.items = this.items.slice(this.head).filter((waiter) => !waiter.dropped);
    this.head = 0;
  }
}

/** One slot per worker: a trial holds one while it runs on piscina (see EnginePool). */
export class WorkerSlots {
  /** Trials holding a slot: at most one per worker, so piscina never queues (see acquire). */
  private running = 0;
  /** Trials waiting for a worker, first come first served. */
  private readonly waiting = new WaitQueue();
  /** The waiting trials of each signal, which has one 'abort' listener of ours. */
  private readonly waitersBySignal = new Map<AbortSignal, Set<Waiter>>();

  constructor(private readonly workers: number) {}

  /**
   * Wait for a free worker; false when the signal fires first. The pool keeps its own FIFO queue
   * and gives piscina one trial per worker, so trials start in the order they were submitted
   * (piscina's own queue reorders tasks that carry an AbortSignal) and a queued trial is
   * cancelled without piscina. However many trials wait on one signal, the signal has one
   * listener of the pool's: adding a listener per queued trial grew superlinearly (80,000 queued
   * trials took 47 s to add theirs) and hung the host.
   */
  acquire(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.running < this.workers) {
      this.running += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      // The slot is handed over by release(): `running` stays as it is.
      const waiter: Waiter = { resolve, signal, dropped: false };
      this.waiting.push(waiter);
      if (signal) {
        let waiters = this.waitersBySignal.get(signal);
        if (!waiters) {
          const mine = new Set<Waiter>();
          waiters = mine;
          this.waitersBySignal.set(signal, mine);
          signal.addEventListener('abort', () => this.dropWaiters(signal), { once: true });
        }
        waiters.add(waiter);
      }
    });
  }

  /** The signal fired: its queued trials resolve as cancelled and leave the queue. */
  private dropWaiters(signal: AbortSignal): void {
    const waiters = this.waitersBySignal.get(signal);
    this.waitersBySignal.delete(signal);
    if (!waiters || waiters.size === 0) return;
    for (const waiter of waiters) {
      waiter.dropped = true;
      waiter.resolve(false);
    }
    this.waiting.compact();
  }

  /** A trial is done with its worker: the next waiting trial gets it, or the slot is free. */
  release(): void {
    for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
      if (next.dropped) continue;
      if (next.signal) this.waitersBySignal.get(next.signal)?.delete(next);
      next.resolve(true);
      return;
    }
    this.running -= 1;
  }
}
