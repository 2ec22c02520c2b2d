import type { TrialMetrics } from '../experiment/trial';
import type { StrategyName } from '../model/migration';
import { LISP, messageSeconds, PASMAC, spread, VARIANTS } from './evaluation';
import type { Evaluation } from './evaluation';
import { average, round } from './format';

/**
 * The checks of sections 4.2 to 4.3.3 on sizes and costs: address spaces and resident sets,
 * excision and insertion, transfer, bytes and message time saved, fault costs, remote execution.
 */

/** Sections 4.2.1 and 4.2.2: the ratios the paper draws from Tables 4-1 and 4-2 (inputs). */
export function sizeChecks(e: Evaluation): void {
  const pages = (r: number, metric: (m: TrialMetrics) => number): number[] =>
    e.names.map((name) => metric(e.get(name, 'pure-copy', 0, r)));
  e.check({
    claim: 'size-factors',
    name: 'Address spaces: largest / smallest Total, and Real (section 4.2.1: 12,803 and 15)',
    paper: '12803 / 15',
    tolerance: 'exact at the paper\u2019s rounding',
    measure: (r) => [
      spread(pages(r, (m) => m.realPages + m.realZeroPages)),
      spread(pages(r, (m) => m.realPages)),
    ],
    pass: ([total, real]) => Math.round(total!) === 12803 && Math.round(real!) === 15,
    ours: ([total, real]) => `${round(total!, 1)} / ${round(real!, 2)}`,
  });
  e.check({
    claim: 'rs-range',
    name: 'Resident sets: largest / smallest, and without Minprog (section 4.2.2: 4 and 2.7)',
    paper: '4 / 2.7',
    tolerance: 'exact at the paper\u2019s rounding',
    measure: (r) => {
      const resident = pages(r, (m) => m.residentPages);
      return [spread(resident), spread(resident.filter((_, index) => e.names[index] !== 'Minprog'))];
    },
    pass: ([all, withoutMinprog]) => Math.round(all!) === 4 && round(withoutMinprog!, 1) === 2.7,
    ours: ([all, withoutMinprog]) => `${round(all!, 2)} / ${round(withoutMinprog!, 2)}`,
  });
}

/** Sections 4.3 and 4.3.1: excision is the same whatever the strategy; the factors across the samples. */
export function excisionChecks(e: Evaluation): void {
  e.check({
    claim: 'excise-insensitive',
    name: 'Excision time the same under every strategy and prefetch: largest spread over representatives, % (section 4.3)',
    paper: 'insensitive',
    tolerance: 'under 1%',
    measure: (r) => [
      100 *
        Math.max(
          ...e.names.map(
            (name) =>
              spread(
                VARIANTS.map(([strategy, prefetch]) => e.get(name, strategy, prefetch, r).exciseSeconds),
              ) - 1,
          ),
        ),
    ],
    pass: ([value]) => value! < 1,
    ours: ([value]) => round(value!, 3),
  });
  const across = (metric: (m: TrialMetrics) => number) => (r: number) =>
    spread(e.names.map((name) => metric(e.get(name, 'pure-copy', 0, r))));
  e.within(
    'excise-factor',
    'Excision, largest / smallest (section 4.3.1: a factor of 4)',
    across((m) => m.exciseSeconds),
    round(3.38 / 0.82, 2),
    0.15,
    2,
  );
  e.within(
    'insert-factor',
    'Insertion, largest / smallest (section 4.3.1: a factor of 3.3)',
    across((m) => m.insertSeconds),
    3.3,
    0.15,
    2,
  );
}

/** Section 4.3.2 and the conclusions: how transfer costs grow with the address space. */
export function transferChecks(e: Evaluation): void {
  const rimas = (strategy: StrategyName) => (r: number) =>
    e.names.map((name) => e.get(name, strategy, 0, r).rimasTransferSeconds);
  e.within(
    'copy-factor-20',
    'Pure-copy RIMAS transfer, largest / smallest (section 4.3.2: a factor of 20)',
    (r) => spread(rimas('pure-copy')(r)),
    round(168.5 / 8.5, 1),
    0.15,
    1,
  );
  e.within(
    'copy-1000x',
    'Lisp-Del RIMAS transfer, pure-copy / pure-IOU (section 4.3.2: almost 1,000 times)',
    (r) =>
      e.get('Lisp-Del', 'pure-copy', 0, r).rimasTransferSeconds /
      e.get('Lisp-Del', 'pure-iou', 0, r).rimasTransferSeconds,
    Math.round(168.5 / 0.17),
    0.2,
    0,
  );
  e.check({
    claim: 'cor-flat',
    name: 'Pure-IOU RIMAS transfer, largest / smallest, while RealMem varies 15-fold (section 6)',
    paper: 'no linear growth',
    tolerance: 'under 1.5',
    measure: (r) => [spread(rimas('pure-iou')(r))],
    pass: ([value]) => value! < 1.5,
    ours: ([value]) => round(value!, 2),
  });
}

/** Sections 4.4.1 and 4.4.2 (bytes, message time) and 4.3.3 (fault costs). */
export function costChecks(e: Evaluation): void {
  const savings = (metric: (m: TrialMetrics) => number) => (r: number) =>
    100 *
    average(
      e.names.map(
        (name) => 1 - metric(e.get(name, 'pure-iou', 0, r)) / metric(e.get(name, 'pure-copy', 0, r)),
      ),
    );
  e.points(
    'bytes-58',
    'Bytes exchanged, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.1)',
    savings((m) => m.bytesTotal),
    58.2,
    5,
  );
  e.points(
    'msg-47.8',
    'Message-handling time, pure-IOU PF0 vs pure-copy: mean saving % (section 4.4.2)',
    savings(messageSeconds),
    47.8,
    5,
  );
  e.within(
    'fault-115',
    'Imaginary fault, mean over pure-IOU PF0 trials, ms (section 4.3.3)',
    (r) => {
      const trials = e.names.map((name) => e.get(name, 'pure-iou', 0, r));
      const faults = trials.reduce((sum, m) => sum + m.imaginaryFaults, 0);
      return trials.reduce((sum, m) => sum + m.meanImaginaryFaultMs * m.imaginaryFaults, 0) / faults;
    },
    e.paper.faultCosts.imaginaryFaultMs,
    0.1,
    1,
  );
  e.within(
    'disk-40.8',
    'Local disk fault, mean over all trials, ms (section 4.3.3)',
    (r) => {
      const trials = e.names
        .flatMap((name) => VARIANTS.map(([strategy, prefetch]) => e.get(name, strategy, prefetch, r)))
        .filter((m) => m.diskFaults > 0);
      const faults = trials.reduce((sum, m) => sum + m.diskFaults, 0);
      return trials.reduce((sum, m) => sum + m.meanDiskFaultMs * m.diskFaults, 0) / Math.max(1, faults);
    },
    e.paper.faultCosts.localDiskFaultMs,
    0.05,
    1,
  );
}

/** Section 4.3.3: Minprog (44x) and Chess (about 3%). */
export function remoteExecutionChecks(e: Evaluation): void {
  const remote = (name: string, strategy: StrategyName, r: number, prefetch = 0): number =>
    e.get(name, strategy, prefetch, r).remoteExecSeconds;
  e.within(
    'minprog-44x',
    'Minprog remote execution, pure-IOU / pure-copy (section 4.3.3: 44x)',
    (r) => remote('Minprog', 'pure-iou', r) / remote('Minprog', 'pure-copy', r),
    44,
    0.2,
    1,
  );
  e.check({
    claim: 'chess-3pct',
    name: 'Chess remote execution, pure-IOU longer than pure-copy by % (section 4.3.3: about 3%)',
    paper: 3,
    tolerance: '0 to 5',
    measure: (r) => [100 * (remote('Chess', 'pure-iou', r) / remote('Chess', 'pure-copy', r) - 1)],
    pass: ([longer]) => longer! > 0 && longer! < 5,
    ours: ([longer]) => round(longer!, 2),
  });
  for (const name of LISP) {
    e.check({
      claim: 'lisp-suffers-prefetch',
      representative: name,
      name: `Lisp suffers from more prefetch: remote execution, pure-IOU PF15 vs PF1, ${name} (section 4.3.3)`,
      paper: 'PF15 > PF1',
      tolerance: 'PF15 > PF1',
      measure: (r) => [remote(name, 'pure-iou', r, 15), remote(name, 'pure-iou', r, 1)],
      pass: ([pf15, pf1]) => pf15! > pf1!,
      ours: ([pf15, pf1]) => `${round(pf15!, 2)} vs ${round(pf1!, 2)}`,
    });
  }
  e.within(
    'pasmac-factor-2',
    'Pasmac remote execution, pure-IOU PF0 / PF15, largest over PM-Start, PM-Mid, PM-End (section 4.3.3: up to 2x)',
    (r) =>
      Math.max(...PASMAC.map((name) => remote(name, 'pure-iou', r, 0) / remote(name, 'pure-iou', r, 15))),
    2,
    0.25,
    2,
  );
}
