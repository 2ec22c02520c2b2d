import { hardwareValueProblem, type HardwareFieldProblem } from './parameters';

/**
 * Hardware presets: every cost the engine charges, in one place. The 1987
 * preset is the Perq/Accent testbed of the paper; each constant says which
 * table or sentence fixed it. Times are in milliseconds, sizes in bytes.
 */
export interface HardwarePreset {
  name: string;
  description: string;
  pageSizeBytes: number;
  memory: {
    /** Page frames a host can give to migrated processes and caches. */
    framesPerHost: number;
    /** Pages per second taken by the host's other activity (file cache, servers). */
    backgroundPagesPerSecond: number;
  };
  cpu: {
    /** Pager/Scheduler trap and dispatch per fault, before any disk or network work. */
    faultOverheadMs: number;
    /** Pager/Scheduler work of an imaginary fault besides messages: build the request, block, reschedule. */
    imaginaryFaultOverheadMs: number;
    /** Reserve a frame and fill it with zeros (FillZero fault). */
    fillZeroMs: number;
    /** Enter a page arriving in an imaginary read reply into the process map. */
    mapPageMs: number;
  };
  disk: {
    /** One random page read (a disk fault is faultOverhead + this). */
    randomReadMs: number;
    /** Per page when pages are read one after another, one request each (a revolution apiece). */
    clusteredReadMsPerPage: number;
    /** Per extra page of a multi-page request: just its transfer off the platter. */
    transferMsPerPage: number;
  };
  ipc: {
    /** Message data below this size is copied; above it is mapped copy-on-write. */
    copyThresholdBytes: number;
    /** Kernel cost of a local send and receive. */
    localMessageMs: number;
    /** Scheduling the receiving process: latency of a local delivery, not message-handling work. */
    processSwitchMs: number;
    /** Copying small message data, per byte. */
    copyMsPerByte: number;
    /** Mapping one page of large message data copy-on-write. */
    mapMsPerPage: number;
    /** Bytes of an IPC message header (on the wire too). */
    messageHeaderBytes: number;
    /** Bytes of an imaginary read request or reply body (segment, offset, count). */
    imaginaryRequestBytes: number;
  };
  network: {
    bitsPerSecond: number;
    latencyMs: number;
    /** Largest fragment payload the NetMessageServer puts in one packet. */
    maxFragmentPayloadBytes: number;
    /** Link plus NetMessageServer protocol header per packet. */
    packetHeaderBytes: number;
  };
  netMessageServer: {
    /** Per message, on each host (lookup, reassembly bookkeeping, delivery). */
    messageMs: number;
    /** Per fragment, on each host. */
    fragmentMs: number;
    /** Per RealMem page shipped physically, on the sending host. */
    pageSendMs: number;
    /** Per RealMem page received, on the receiving host. */
    pageReceiveMs: number;
    /** Per port right carried: a stand-in port on the receiver, its registration on the sender. */
    portRightMs: number;
    /** Per imaginary object: caching data behind an IOU, or creating a local stand-in. */
    imaginaryObjectMs: number;
    /** Per separate piece (alternation of shipped and owed data) in a message's memory: VM work on the sender as the data moves, not message handling. */
    pieceMs: number;
  };
  excise: {
    /** AMap construction, per AMap entry. */
    amapPerEntryMs: number;
    /** AMap construction, per RealMem page (the search of system VM tables). */
    amapPerRealPageMs: number;
    /** Collapsing RealMem and ImagMem into the contiguous RIMAS area. */
    collapseFixedMs: number;
    collapsePerEntryMs: number;
    /** Remapping a page that is in memory (pages on disk only change their map entry). */
    collapsePerResidentPageMs: number;
    /** Microstate, kernel stack, PCB and port rights. */
    contextMs: number;
  };
  insert: {
    fixedMs: number;
    perEntryMs: number;
    perPageMs: number;
  };
}

/** The 1987 testbed: two Perq workstations running Accent on an Ethernet. */
export const PERQ_1987: HardwarePreset = {
  name: 'perq-1987',
  description: 'Perq workstations running Accent on 10 Mb/s Ethernet, as measured by Zayas (SOSP 1987)',
  pageSizeBytes: 512, // section 2.1: "only for the 512-byte page(s) affected"
  memory: {
    // Not published. A Perq 2 had up to 2 MB; 2,048 frames (1 MB) for user processes and
    // caches. Section 4.5: "Accent uses its physical memory as a disk cache", so other
    // activity keeps taking frames.
    framesPerHost: 2048,
    // Not published. Chosen so that a page left untouched ages out in about two minutes: the
    // quick working-set change section 4.3.3 infers from resident sets not paying their way.
    backgroundPagesPerSecond: 16,
  },
  cpu: {
    faultOverheadMs: 4, // with disk.randomReadMs makes the 40.8 ms disk fault of section 4.3.3
    // Not published: what the 115 ms imaginary fault of section 4.3.3 leaves once the
    // NetMessageServer costs (fixed by Table 4-5 and Figure 4-4), the process switch and the
    // disk are counted.
    imaginaryFaultOverheadMs: 22,
    fillZeroMs: 2.5, // not published; "inexpensive" (section 2.3), no disk
    mapPageMs: 1, // not published
  },
  disk: {
    randomReadMs: 36.8, // section 4.3.3: a fault served from the local disk takes 40.8 ms
    // Table 4-5 / Table 4-1: pure-copy pays ~16 ms more per page not resident at the source
    clusteredReadMsPerPage: 16,
    // Not published: 512 bytes at the Perq disk's ~5 Mb/s; the following pages of one
    // request (a fault reply's prefetch) come off the platter without another seek.
    transferMsPerPage: 1,
  },
  ipc: {
    copyThresholdBytes: 1024, // not published
    localMessageMs: 1.5, // not published
    // Not published. An imaginary fault on resident-set data passes through the
    // MigrationManager, a user-level server: two more switches than pure-IOU's.
    processSwitchMs: 8,
    copyMsPerByte: 0.0005, // not published
    mapMsPerPage: 0.002, // not published; mapping, not copying: cheap even for a 4 GB space
    messageHeaderBytes: 64, // not published; with packet headers fixes the 58% byte saving (4.4.1)
    imaginaryRequestBytes: 32, // not published
  },
  network: {
    bitsPerSecond: 10_000_000, // 10 Mb/s Ethernet
    latencyMs: 0.5,
    maxFragmentPayloadBytes: 1024, // not published
    packetHeaderBytes: 46, // not published
  },
  netMessageServer: {
    // Figure 4-4 / section 4.4.2: pure-IOU cuts message-handling time by 47.8% on average,
    // so a fault's handling (two messages, each handled on both hosts) must stay below
    // ~1.7 times a bulk page's.
    messageMs: 4,
    fragmentMs: 1,
    // Table 4-5 over Table 4-1: bulk copy costs ~23.5 ms per page resident at the source
    // (this and half a fragment), 16 ms more per page on its disk.
    pageSendMs: 23,
    pageReceiveMs: 8, // not published; below the sender's cost, which paces the bulk pipeline
    portRightMs: 45, // section 4.3.2: the Core message takes about one second
    imaginaryObjectMs: 17, // Table 4-5 pure-IOU column: 0.15-0.21 s with 4-5 memory objects
    pieceMs: 30, // Table 4-5 RS column: Lisp's scattered resident pages cost ~69 ms each
  },
  excise: {
    // Table 4-4, AMap column, with each representative's AMap entries (a workload property)
    amapPerEntryMs: 5,
    amapPerRealPageMs: 0.4,
    // Table 4-4, RIMAS column: a least-squares fit over the seven representatives (max error 5%)
    collapseFixedMs: 180,
    collapsePerEntryMs: 1.9,
    collapsePerResidentPageMs: 0.7,
    contextMs: 100, // Table 4-4: Overall - AMap - RIMAS is 0.05-0.2 s
  },
  insert: {
    // Section 4.3.1: 263 ms (Minprog) to 853 ms (Lisp-Del), "very similar to the RIMAS creation times"
    fixedMs: 133,
    perEntryMs: 2,
    perPageMs: 0.1,
  },
};

/** Current hardware, to show nothing is tied to one calibration. */
export const MODERN_2025: HardwarePreset = {
  name: 'modern-2025',
  description: 'Two servers on 1 Gb/s Ethernet with 4 KiB pages, SSDs and microsecond costs',
  pageSizeBytes: 4096,
  memory: { framesPerHost: 4_194_304, backgroundPagesPerSecond: 0 },
  cpu: { faultOverheadMs: 0.002, imaginaryFaultOverheadMs: 0.005, fillZeroMs: 0.001, mapPageMs: 0.0005 },
  disk: { randomReadMs: 0.08, clusteredReadMsPerPage: 0.002, transferMsPerPage: 0.002 },
  ipc: {
    copyThresholdBytes: 16_384,
    localMessageMs: 0.002,
    processSwitchMs: 0.003,
    copyMsPerByte: 0.000_000_2,
    mapMsPerPage: 0.000_2,
    messageHeaderBytes: 64,
    imaginaryRequestBytes: 32,
  },
  network: {
    bitsPerSecond: 1_000_000_000,
    latencyMs: 0.05,
    maxFragmentPayloadBytes: 8_192,
    packetHeaderBytes: 66,
  },
  netMessageServer: {
    messageMs: 0.005,
    fragmentMs: 0.001,
    pageSendMs: 0.001,
    pageReceiveMs: 0.001,
    portRightMs: 0.01,
    imaginaryObjectMs: 0.01,
    pieceMs: 0.001,
  },
  excise: {
    amapPerEntryMs: 0.001,
    amapPerRealPageMs: 0.000_05,
    collapseFixedMs: 0.1,
    collapsePerEntryMs: 0.000_5,
    collapsePerResidentPageMs: 0.000_02,
    contextMs: 0.05,
  },
  insert: { fixedMs: 0.05, perEntryMs: 0.000_5, perPageMs: 0.000_02 },
};

/**
 * A current server pair on 1 Gb/s Ethernet, 4 KiB pages, NVMe storage. Costs are orders of
 * magnitude from common measurements, not a calibration: each says where it comes from.
 */
export const ETHERNET_1G_2025: HardwarePreset = {
  name: 'ethernet-1g-2025',
  description: 'Two servers on 1 Gb/s Ethernet with 4 KiB pages and NVMe disks (orders of magnitude, 2025)',
  pageSizeBytes: 4096, // x86-64 base page
  memory: {
    framesPerHost: 4_194_304, // 16 GiB of 4 KiB frames for processes and caches
    backgroundPagesPerSecond: 0, // assumption: memory is plentiful, nothing ages out during a trial
  },
  cpu: {
    faultOverheadMs: 0.001, // a minor fault's trap and handler: ~1 us on a current x86 core
    imaginaryFaultOverheadMs: 0.005, // userfaultfd wake-up and reschedule: a few us
    fillZeroMs: 0.001, // zeroing 4 KiB at ~10 GB/s is ~0.4 us, plus the fault
    mapPageMs: 0.0005, // UFFDIO_COPY of one page: ~0.5 us
  },
  disk: {
    randomReadMs: 0.08, // NVMe 4 KiB random read latency: ~80 us
    clusteredReadMsPerPage: 0.002, // sequential NVMe reads at ~2 GB/s: 2 us per 4 KiB
    transferMsPerPage: 0.002, // as above
  },
  ipc: {
    copyThresholdBytes: 16_384, // assumption: copy below four pages, map above
    localMessageMs: 0.002, // a local IPC round: ~2 us
    processSwitchMs: 0.003, // a context switch: ~3 us
    copyMsPerByte: 0.000_000_1, // memcpy at ~10 GB/s
    mapMsPerPage: 0.000_2, // remapping a page table entry: ~0.2 us
    messageHeaderBytes: 64, // as the Perq preset: a small protocol header
    imaginaryRequestBytes: 32,
  },
  network: {
    bitsPerSecond: 1_000_000_000, // 1 Gb/s Ethernet
    latencyMs: 0.05, // one-way latency in one rack through one switch: ~50 us
    maxFragmentPayloadBytes: 8_192, // jumbo frames (9000-byte MTU) carry two pages
    packetHeaderBytes: 78, // Ethernet 18 + preamble/gap 20 + IP 20 + TCP 20
  },
  netMessageServer: {
    messageMs: 0.005, // kernel TCP send/receive per message: ~5 us
    fragmentMs: 0.002, // per packet of protocol processing: ~2 us
    pageSendMs: 0.001, // copying 4 KiB into a socket buffer: ~1 us
    pageReceiveMs: 0.001, // and out of it
    portRightMs: 0.01, // re-establishing one file descriptor or socket (CRIU restores ~100 us for many)
    imaginaryObjectMs: 0.01, // registering a userfaultfd range
    pieceMs: 0.001, // describing one run of pages
  },
  excise: {
    amapPerEntryMs: 0.001, // walking one VMA: ~1 us
    amapPerRealPageMs: 0.000_05, // scanning one page table entry
    collapseFixedMs: 0.1, // freezing the process (cgroup freezer): ~0.1 ms
    collapsePerEntryMs: 0.000_5,
    collapsePerResidentPageMs: 0.000_02,
    contextMs: 0.05, // registers, signal state, file table: ~50 us
  },
  insert: { fixedMs: 0.05, perEntryMs: 0.000_5, perPageMs: 0.000_02 }, // mirror of excision
};

/** The same servers on 10 Gb/s Ethernet: only the link and its per-packet costs differ. */
export const ETHERNET_10G_2025: HardwarePreset = {
  ...structuredClone(ETHERNET_1G_2025),
  name: 'ethernet-10g-2025',
  description: 'Two servers on 10 Gb/s Ethernet with 4 KiB pages and NVMe disks (orders of magnitude, 2025)',
  network: {
    bitsPerSecond: 10_000_000_000, // 10 Gb/s Ethernet
    latencyMs: 0.02, // one-way in one rack, cut-through switch: ~20 us
    maxFragmentPayloadBytes: 8_192, // jumbo frames
    packetHeaderBytes: 78,
  },
};

/**
 * What is wrong with each hardware parameter, named as the editor labels it (./parameters): a
 * value out of its range, a count that is not whole, a page size that is not a power of two.
 */
export function hardwareFieldProblems(hardware: HardwarePreset): HardwareFieldProblem[] {
  const problems: HardwareFieldProblem[] = [];
  const visit = (value: unknown, path: string): void => {
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(inner, path ? `${path}.${key}` : key);
    } else if (path !== 'name' && path !== 'description') {
      const message = hardwareValueProblem(path, value);
      if (message) problems.push({ path, message });
    }
  };
  visit(hardware, '');
  const page = hardware.pageSizeBytes;
  if (
    !problems.some((problem) => problem.path === 'pageSizeBytes') &&
    (page < 128 || (page & (page - 1)) !== 0)
  ) {
    problems.push({
      path: 'pageSizeBytes',
      message: 'Page size (bytes) must be a power of two from 128 bytes to 1 MiB',
    });
  }
  return problems;
}

/**
 * What is wrong with a hardware preset, in words a user can act on, each naming the field as the
 * editor labels it and its bounds ("hardware: Latency (ms) must be a number from 0 to 60,000 (got
 * 100,000)"); empty when it is usable. A notebook with a value out of bounds opens and keeps it
 * (the schema checks the shape and the signs only): the editor marks the field, and running is
 * refused with these words.
 */
export function hardwareProblems(hardware: HardwarePreset): string[] {
  return hardwareFieldProblems(hardware).map((problem) => `hardware: ${problem.message}`);
}

export const HARDWARE_PRESETS: Record<string, HardwarePreset> = {
  [PERQ_1987.name]: PERQ_1987,
  [MODERN_2025.name]: MODERN_2025,
  [ETHERNET_1G_2025.name]: ETHERNET_1G_2025,
  [ETHERNET_10G_2025.name]: ETHERNET_10G_2025,
};

export function hardwarePreset(name: string): HardwarePreset {
  const preset = HARDWARE_PRESETS[name];
  if (!preset) {
    throw new Error(`unknown hardware preset "${name}" (known: ${Object.keys(HARDWARE_PRESETS).join(', ')})`);
  }
  return structuredClone(preset);
}
