import { boundsProblem } from '../bounds';
import type { Bounds } from '../bounds';

/**
 * Every hardware parameter as a person reads it: its label and unit, what it is, what in Zayas's
 * paper fixed the 1987 value (the comments of PERQ_1987 in ./presets, gathered here for the
 * app's tooltips and glossary), and the range a value must lie in. Paths are the preset's keys
 * ("network.bitsPerSecond").
 */
export interface HardwareParameter {
  path: string;
  label: string;
  /** "ms", "bytes", "bit/s", "pages/s", "frames", "ms per byte", ... */
  unit: string;
  what: string;
  /** What in the paper fixed the perq-1987 value ("not published" where nothing did). */
  paper: string;
  /** Values must be at least this (0 or above 0, see positive) and at most max. */
  max: number;
  /** Zero would stop or hang the engine: the value must be above 0. */
  positive?: boolean;
  /** Counts: whole numbers only. */
  whole?: boolean;
}

const MINUTE_MS = 60_000;

export const HARDWARE_PARAMETERS: readonly HardwareParameter[] = [
  {
    path: 'pageSizeBytes',
    label: 'Page size',
    unit: 'bytes',
    what: 'The unit of memory the pager maps, faults and ships.',
    paper: 'Section 2.1: "only for the 512-byte page(s) affected".',
    max: 1_048_576,
    positive: true,
    whole: true,
  },
  {
    path: 'memory.framesPerHost',
    label: 'Frames per host',
    unit: 'frames',
    what: 'Page frames a host can give to migrated processes and caches.',
    paper: 'Not published: a Perq 2 had up to 2 MB; 2,048 frames (1 MB) are left for processes and caches.',
    max: 1_000_000_000,
    positive: true,
    whole: true,
  },
  {
    path: 'memory.backgroundPagesPerSecond',
    label: 'Background',
    unit: 'pages/s',
    what: "Frames per second taken by the host's other activity (file cache, servers), aging pages out.",
    paper:
      'Not published: chosen so an untouched page ages out in about two minutes, the working-set change section 4.3.3 infers.',
    max: 1_000_000_000,
  },
  {
    path: 'cpu.faultOverheadMs',
    label: 'Fault overhead',
    unit: 'ms',
    what: 'Pager/Scheduler trap and dispatch per fault, before any disk or network work.',
    paper: 'Section 4.3.3: with the random read it makes the 40.8 ms disk fault.',
    max: MINUTE_MS,
  },
  {
    path: 'cpu.imaginaryFaultOverheadMs',
    label: 'Imaginary fault overhead',
    unit: 'ms',
    what: 'Pager work of an imaginary fault besides its messages: build the request, block, reschedule.',
    paper:
      'Not published: what the 115 ms imaginary fault of section 4.3.3 leaves once the NetMessageServer costs, the process switch and the disk are counted.',
    max: MINUTE_MS,
  },
  {
    path: 'cpu.fillZeroMs',
    label: 'Fill zero',
    unit: 'ms',
    what: 'Reserve a frame and fill it with zeros (a FillZero fault on RealZeroMem).',
    paper: 'Not published; "inexpensive" (section 2.3), no disk.',
    max: MINUTE_MS,
  },
  {
    path: 'cpu.mapPageMs',
    label: 'Map page',
    unit: 'ms',
    what: 'Enter a page arriving in an imaginary read reply into the process map.',
    paper: 'Not published.',
    max: MINUTE_MS,
  },
  {
    path: 'disk.randomReadMs',
    label: 'Random read',
    unit: 'ms',
    what: 'One random page read from disk (a disk fault is the fault overhead plus this).',
    paper: 'Section 4.3.3: a fault served from the local disk takes 40.8 ms.',
    max: MINUTE_MS,
  },
  {
    path: 'disk.clusteredReadMsPerPage',
    label: 'Clustered read',
    unit: 'ms per page',
    what: 'Per page when pages are read one after another, one request each.',
    paper: 'Tables 4-5 and 4-1: pure-copy pays about 16 ms more per page not resident at the source.',
    max: MINUTE_MS,
  },
  {
    path: 'disk.transferMsPerPage',
    label: 'Transfer',
    unit: 'ms per page',
    what: 'Per extra page of a multi-page request (prefetch): its transfer off the platter, no seek.',
    paper: "Not published: 512 bytes at the Perq disk's ~5 Mb/s.",
    max: MINUTE_MS,
  },
  {
    path: 'ipc.copyThresholdBytes',
    label: 'Copy threshold',
    unit: 'bytes',
    what: 'Message data below this size is copied; above it, mapped copy-on-write.',
    paper: 'Not published.',
    max: 1_000_000_000,
  },
  {
    path: 'ipc.localMessageMs',
    label: 'Local message',
    unit: 'ms',
    what: 'Kernel cost of a local send and receive.',
    paper: 'Not published.',
    max: MINUTE_MS,
  },
  {
    path: 'ipc.processSwitchMs',
    label: 'Process switch',
    unit: 'ms',
    what: 'Scheduling the receiving process: the latency of a local delivery.',
    paper:
      'Not published: a resident-set fault passes through the MigrationManager, a user-level server, two switches more than pure-IOU.',
    max: MINUTE_MS,
  },
  {
    path: 'ipc.copyMsPerByte',
    label: 'Copy',
    unit: 'ms per byte',
    what: 'Copying small message data, per byte.',
    paper: 'Not published.',
    max: 1_000,
  },
  {
    path: 'ipc.mapMsPerPage',
    label: 'Map',
    unit: 'ms per page',
    what: 'Mapping one page of large message data copy-on-write.',
    paper: 'Not published: mapping, not copying, cheap even for a 4 GB space.',
    max: MINUTE_MS,
  },
  {
    path: 'ipc.messageHeaderBytes',
    label: 'Message header',
    unit: 'bytes',
    what: 'Bytes of an IPC message header, on the wire too.',
    paper: 'Not published: with the packet header it fixes the 58% byte saving of section 4.4.1.',
    max: 1_000_000,
    whole: true,
  },
  {
    path: 'ipc.imaginaryRequestBytes',
    label: 'Imaginary request',
    unit: 'bytes',
    what: 'Bytes of an imaginary read request or reply body (segment, offset, count).',
    paper: 'Not published.',
    max: 1_000_000,
    whole: true,
  },
  {
    path: 'network.bitsPerSecond',
    label: 'Bandwidth',
    unit: 'bit/s',
    what: 'The link speed all hosts share.',
    paper: 'The 10 Mb/s Ethernet of the testbed (section 4).',
    max: 1e13,
    positive: true,
  },
  {
    path: 'network.latencyMs',
    label: 'Latency',
    unit: 'ms',
    what: 'One-way delay of a packet on the link.',
    paper: 'Not published: half a millisecond on one Ethernet.',
    max: MINUTE_MS,
  },
  {
    path: 'network.maxFragmentPayloadBytes',
    label: 'Max fragment payload',
    unit: 'bytes',
    what: 'Largest fragment payload the NetMessageServer puts in one packet.',
    paper: 'Not published.',
    max: 1_000_000_000,
    positive: true,
    whole: true,
  },
  {
    path: 'network.packetHeaderBytes',
    label: 'Packet header',
    unit: 'bytes',
    what: 'Link plus NetMessageServer protocol header per packet.',
    paper: 'Not published.',
    max: 1_000_000,
    whole: true,
  },
  {
    path: 'netMessageServer.messageMs',
    label: 'Message',
    unit: 'ms',
    what: 'Per message, on each host: lookup, reassembly bookkeeping, delivery.',
    paper:
      'Figure 4-4 and section 4.4.2: pure-IOU cuts message-handling time by 47.8% on average, bounding a fault against a bulk page.',
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.fragmentMs',
    label: 'Fragment',
    unit: 'ms',
    what: 'Per fragment, on each host.',
    paper: 'Figure 4-4 and section 4.4.2, with the per-message cost.',
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.pageSendMs',
    label: 'Page send',
    unit: 'ms',
    what: 'Per RealMem page shipped physically, on the sending host.',
    paper: 'Table 4-5 over Table 4-1: bulk copy costs about 23.5 ms per page resident at the source.',
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.pageReceiveMs',
    label: 'Page receive',
    unit: 'ms',
    what: 'Per RealMem page received, on the receiving host.',
    paper: "Not published: below the sender's cost, which paces the bulk pipeline.",
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.portRightMs',
    label: 'Port right',
    unit: 'ms',
    what: 'Per port right carried: a stand-in port on the receiver, its registration on the sender.',
    paper: 'Section 4.3.2: the Core message takes about one second.',
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.imaginaryObjectMs',
    label: 'Imaginary object',
    unit: 'ms',
    what: 'Per imaginary object: caching data behind an IOU, or creating a local stand-in.',
    paper: 'Table 4-5, pure-IOU column: 0.15-0.21 s with 4-5 memory objects.',
    max: MINUTE_MS,
  },
  {
    path: 'netMessageServer.pieceMs',
    label: 'Piece',
    unit: 'ms',
    what: "Per separate piece (alternation of shipped and owed data) in a message's memory: the sender's VM work as the piece's data moves, not message handling.",
    paper: "Table 4-5, resident-set column: Lisp's scattered resident pages cost about 69 ms each.",
    max: MINUTE_MS,
  },
  {
    path: 'excise.amapPerEntryMs',
    label: 'AMap per entry',
    unit: 'ms',
    what: 'Building the AMap (the address-space map shipped in the Core message), per AMap entry.',
    paper: "Table 4-4, AMap column, with each representative's AMap entries.",
    max: MINUTE_MS,
  },
  {
    path: 'excise.amapPerRealPageMs',
    label: 'AMap per RealMem page',
    unit: 'ms',
    what: 'Building the AMap, per RealMem page (the search of system VM tables).',
    paper: 'Table 4-4, AMap column.',
    max: MINUTE_MS,
  },
  {
    path: 'excise.collapseFixedMs',
    label: 'Collapse fixed',
    unit: 'ms',
    what: 'Collapsing RealMem and ImagMem into the contiguous RIMAS area: the fixed part.',
    paper: 'Table 4-4, RIMAS column: a least-squares fit over the seven representatives (max error 5%).',
    max: MINUTE_MS,
  },
  {
    path: 'excise.collapsePerEntryMs',
    label: 'Collapse per entry',
    unit: 'ms',
    what: 'Collapsing into the RIMAS area, per AMap entry.',
    paper: 'Table 4-4, RIMAS column (the same fit).',
    max: MINUTE_MS,
  },
  {
    path: 'excise.collapsePerResidentPageMs',
    label: 'Collapse per resident page',
    unit: 'ms',
    what: 'Remapping a page that is in memory (pages on disk only change their map entry).',
    paper: 'Table 4-4, RIMAS column (the same fit).',
    max: MINUTE_MS,
  },
  {
    path: 'excise.contextMs',
    label: 'Context',
    unit: 'ms',
    what: 'Excising the microstate, kernel stack, PCB and port rights.',
    paper: 'Table 4-4: Overall minus AMap minus RIMAS is 0.05-0.2 s.',
    max: MINUTE_MS,
  },
  {
    path: 'insert.fixedMs',
    label: 'Fixed',
    unit: 'ms',
    what: 'InsertProcess at the destination: the fixed part.',
    paper:
      'Section 4.3.1: 263 ms (Minprog) to 853 ms (Lisp-Del), "very similar to the RIMAS creation times".',
    max: MINUTE_MS,
  },
  {
    path: 'insert.perEntryMs',
    label: 'Per entry',
    unit: 'ms',
    what: 'InsertProcess, per AMap entry.',
    paper: 'Section 4.3.1 (the same range).',
    max: MINUTE_MS,
  },
  {
    path: 'insert.perPageMs',
    label: 'Per page',
    unit: 'ms',
    what: 'InsertProcess, per page of the address space.',
    paper: 'Section 4.3.1 (the same range).',
    max: MINUTE_MS,
  },
];

const BY_PATH = new Map(HARDWARE_PARAMETERS.map((parameter) => [parameter.path, parameter]));

export function hardwareParameter(path: string): HardwareParameter | undefined {
  return BY_PATH.get(path);
}

/** "Bandwidth (bit/s)", or the path itself for a key the table does not know. */
export function hardwareLabel(path: string): string {
  const parameter = BY_PATH.get(path);
  return parameter ? `${parameter.label} (${parameter.unit})` : path;
}

/** A problem with one parameter, for the editor to mark its field. */
export interface HardwareFieldProblem {
  path: string;
  message: string;
}

/** A parameter's bounds: from 0 (above 0 if `positive`) to its max, whole if a count. */
export function hardwareBounds(parameter: HardwareParameter): Bounds {
  return {
    min: 0,
    max: parameter.max,
    ...(parameter.positive ? { aboveMin: true } : {}),
    ...(parameter.whole ? { whole: true } : {}),
  };
}

/**
 * The bounds of the parameter at `path` for the designer's number field: `min` and `max` as the
 * input's attributes, `step` 1 for counts ("any" otherwise). Unknown paths get at least 0.
 */
export function hardwareInputBounds(path: string): { min: number; max: number; step: number | 'any' } {
  const parameter = BY_PATH.get(path);
  if (!parameter) return { min: 0, max: Number.MAX_VALUE, step: 'any' };
  return {
    min: parameter.positive && parameter.whole ? 1 : 0,
    max: parameter.max,
    step: parameter.whole ? 1 : 'any',
  };
}

/**
 * What is wrong with one value of `path`, in the editor's words with the parameter's bounds
 * ("Latency (ms) must be a number from 0 to 60,000 (got 100,000)"); null when it is fine.
 */
export function hardwareValueProblem(path: string, value: unknown): string | null {
  const parameter = BY_PATH.get(path);
  if (!parameter) return boundsProblem(path, { min: 0, max: Infinity }, value);
  return boundsProblem(`${parameter.label} (${parameter.unit})`, hardwareBounds(parameter), value);
}
