import type { Simulation } from './simulation';
import { SimEvent } from './simulation';

/**
 * A server that does one job at a time, first come first served: a CPU, a
 * disk arm, a NetMessageServer's single thread, a shared Ethernet segment.
 * It records how long it was busy, which is how message-handling time per
 * host is measured.
 */
export class Resource {
  private busy = false;
  /** Waiting requests from `head` on: a queue without Array.shift, which is linear in its length. */
  private waiting: SimEvent<null>[] = [];
  private head = 0;
  private busySince = 0;
  busySeconds = 0;

  constructor(
    private readonly sim: Simulation,
    readonly name: string,
  ) {}

  request(): SimEvent<null> {
    const grant = new SimEvent<null>(this.sim);
    if (!this.busy) {
      this.busy = true;
      this.busySince = this.sim.now;
      grant.succeed(null);
    } else {
      this.waiting.push(grant);
    }
    return grant;
  }

  release(): void {
    if (!this.busy) throw new Error(`${this.name} released while idle`);
    this.busySeconds += this.sim.now - this.busySince;
    const next = this.head < this.waiting.length ? this.waiting[this.head++] : undefined;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    if (next) {
      this.busySince = this.sim.now;
      next.succeed(null);
    } else {
      this.busy = false;
    }
  }

  get queueLength(): number {
    return this.waiting.length - this.head;
  }
}
