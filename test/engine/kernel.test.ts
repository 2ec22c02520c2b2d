import { describe, expect, it } from 'vitest';
import { Resource } from '../../src/engine/kernel/resource';
import { RandomStream } from '../../src/engine/kernel/random';
import { NORMAL, URGENT, Simulation } from '../../src/engine/kernel/simulation';
import type { ProcessBody } from '../../src/engine/kernel/simulation';

describe('simulation kernel', () => {
  it('orders events by time, then priority, then insertion', () => {
    const sim = new Simulation();
    const order: string[] = [];
    const at = (delay: number, label: string, priority = NORMAL): void => {
      const event = sim.event<null>();
      event.addCallback(() => order.push(label));
      sim.schedule(event, delay, priority);
    };
    at(2, 'late');
    at(1, 'first-normal');
    at(1, 'second-normal');
    at(1, 'urgent', URGENT);
    at(0, 'now');
    sim.run();
    expect(order).toEqual(['now', 'urgent', 'first-normal', 'second-normal', 'late']);
    expect(sim.now).toBe(2);
  });

  it('runs generator processes that wait on timeouts and on each other', () => {
    const sim = new Simulation();
    const log: string[] = [];
    function* child(): ProcessBody<number> {
      yield sim.timeout(3);
      log.push(`child done at ${sim.now}`);
      return 42;
    }
    function* parent(): ProcessBody<void> {
      const value = (yield sim.process(child(), 'child')) as number;
      log.push(`parent got ${value} at ${sim.now}`);
    }
    sim.process(parent(), 'parent');
    sim.run();
    expect(log).toEqual(['child done at 3', 'parent got 42 at 3']);
  });

  it('delivers a failed event into the waiting process, and stops loudly when nobody handles it', () => {
    const sim = new Simulation();
    let caught = '';
    sim.process(
      (function* () {
        try {
          yield sim.event().fail(new Error('boom'));
        } catch (error) {
          caught = (error as Error).message;
        }
      })(),
    );
    sim.run();
    expect(caught).toBe('boom');

    const loud = new Simulation();
    loud.event().fail(new Error('unhandled'));
    expect(() => loud.run()).toThrow('unhandled');
  });

  it('serves a resource first come, first served and measures its busy time', () => {
    const sim = new Simulation();
    const server = new Resource(sim, 'server');
    const finished: [string, number][] = [];
    const job = function* (name: string, work: number): ProcessBody<void> {
      yield server.request();
      yield sim.timeout(work);
      server.release();
      finished.push([name, sim.now]);
    };
    sim.process(job('a', 2));
    sim.process(job('b', 1));
    sim.process(job('c', 3));
    sim.run();
    expect(finished).toEqual([
      ['a', 2],
      ['b', 3],
      ['c', 6],
    ]);
    expect(server.busySeconds).toBe(6);
  });

  it('stops at a simulated time limit or when asked', () => {
    const sim = new Simulation();
    let ticks = 0;
    sim.process(
      (function* () {
        for (;;) {
          yield sim.timeout(1);
          ticks += 1;
          if (ticks === 10) sim.stop();
        }
      })(),
    );
    sim.run(4.5);
    expect(ticks).toBe(4);
    expect(sim.now).toBe(4.5);
    sim.run();
    expect(ticks).toBe(10);
  });

  it('refuses negative or non-finite delays', () => {
    const sim = new Simulation();
    expect(() => sim.timeout(-1)).toThrow(/delay/);
    expect(() => sim.timeout(Number.NaN)).toThrow(/delay/);
  });
});

describe('interrupting a process', () => {
  it('resumes it now with null; the event it waited on is ignored when it comes', () => {
    const sim = new Simulation();
    const seen: [number, unknown][] = [];
    const worker = sim.process(
      (function* (): ProcessBody<void> {
        const first = yield sim.timeout(10, 'done');
        seen.push([sim.now, first]);
        const second = yield sim.timeout(1, 'after');
        seen.push([sim.now, second]);
      })(),
      'worker',
    );
    sim.process(
      (function* (): ProcessBody<void> {
        yield sim.timeout(3);
        worker.interrupt();
      })(),
      'interrupter',
    );
    sim.run();
    expect(seen).toEqual([
      [3, null],
      [4, 'after'],
    ]);
    expect(() => worker.interrupt()).toThrow(/has ended/);
  });
});

describe('the next event and absolute timeouts', () => {
  it('tells when the next event is due, and fires timeoutAt at exactly the time given', () => {
    const sim = new Simulation();
    expect(sim.nextEventTime).toBe(Infinity);
    const seen: [string, number][] = [];
    sim.process(
      (function* () {
        yield sim.timeout(0.3);
        seen.push(['b', sim.now]);
      })(),
      'b',
    );
    sim.process(
      (function* () {
        // What a chain of timeouts of 0.1 s reaches: 0.1 + 0.1 + 0.1 is not 0.3 in binary.
        let time = sim.now;
        for (let i = 0; i < 3; i += 1) time += 0.1;
        yield sim.timeoutAt(time);
        seen.push(['a', sim.now]);
      })(),
      'a',
    );
    sim.step();
    sim.step();
    expect(sim.nextEventTime).toBe(0.3);
    sim.run();
    expect(seen).toEqual([
      ['b', 0.3],
      ['a', 0.1 + 0.1 + 0.1],
    ]);
    expect(() => sim.timeoutAt(0.1)).toThrow(/before now/);
    expect(() => sim.timeoutAt(Number.NaN)).toThrow(/cannot schedule/);
  });
});

describe('seeded random streams', () => {
  it('repeats exactly from the same seed', () => {
    const a = RandomStream.fromSeed(7);
    const b = RandomStream.fromSeed(7);
    const draws = (stream: RandomStream): number[] => Array.from({ length: 20 }, () => stream.next());
    expect(draws(a)).toEqual(draws(b));
  });

  it('gives independent substreams that do not disturb the parent', () => {
    const parent = RandomStream.fromSeed(7);
    const first = parent.substream(0);
    const second = parent.substream(1);
    const again = RandomStream.fromSeed(7).substream(0);
    const one = Array.from({ length: 10 }, () => first.next());
    const two = Array.from({ length: 10 }, () => second.next());
    expect(one).not.toEqual(two);
    expect(one).toEqual(Array.from({ length: 10 }, () => again.next()));
    expect(parent.next()).toBe(RandomStream.fromSeed(7).next());
  });

  it('samples without replacement in original order and rejects bad seeds', () => {
    const stream = RandomStream.fromSeed(1);
    const picked = stream.sample([1, 2, 3, 4, 5, 6, 7, 8], 4);
    expect(picked).toHaveLength(4);
    expect(new Set(picked).size).toBe(4);
    expect([...picked].sort((x, y) => x - y)).toEqual(picked);
    expect(() => RandomStream.fromSeed(1.5)).toThrow(/seed/);
  });
});
