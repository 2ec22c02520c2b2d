/**
 * The paper's terms (Zayas, "Attacking the Process Migration Bottleneck", SOSP 1987), as the
 * Help ▸ Glossary view lists them. Each definition is taken from the paper's own wording, with the
 * section it comes from; where the lab models the term, `inLab` says how.
 */
export interface GlossaryTerm {
  /** The term as the paper writes it. */
  term: string;
  /** Other spellings the paper or the lab uses (searched too). */
  aliases?: readonly string[];
  definition: string;
  /** Where in the paper it is defined. */
  source: string;
  /** What the lab does with it, when that is not obvious. */
  inLab?: string;
}

export const GLOSSARY: readonly GlossaryTerm[] = [
  {
    term: 'AMap',
    aliases: ['Accessibility Map'],
    definition:
      'Accessibility Map: the addressing information Accent keeps for a virtual address range, saying how “distant” each part is — RealZeroMem, RealMem, ImagMem or BadMem — so that the system can tell which pages can be touched safely.',
    source: 'Section 2.3',
    inLab: 'The engine keeps an AMap per address space; the Core message carries one for the whole space.',
  },
  {
    term: 'BadMem',
    definition:
      'A region that has not been validated. Touching it is a true addressing error, which invokes a debugger; its accessibility is considered infinitely distant.',
    source: 'Section 2.3',
  },
  {
    term: 'Backing port',
    aliases: ['backer', 'backing IPC port'],
    definition:
      'The IPC port associated with an imaginary segment, which provides memory management services for it: the process holding Receive rights for the port answers the page requests for the segment’s data.',
    source: 'Section 2.2',
  },
  {
    term: 'Breakeven',
    aliases: ['breakeven point'],
    definition:
      'The share of its memory a process touches remotely beyond which copy-on-reference no longer beats pure-copy end to end; in the paper’s implementation around one-quarter of the process RealMem.',
    source: 'Section 4.3.4',
    inLab: 'Sensitivity sweeps over the touched share mark the breakeven on their chart.',
  },
  {
    term: 'Copy-on-reference',
    aliases: ['lazy transfer', 'copy on reference'],
    definition:
      'A logical transfer of data: instead of shipping the contents at migration time, an IOU is sent, and pages are copied from their remote location only when the relocated process references them.',
    source: 'Sections 1 and 2',
  },
  {
    term: 'Copy-on-write',
    definition:
      'The virtual memory technique Accent’s IPC uses for large messages: sender and receiver share one copy of the data, marked copy-on-write, until either modifies it; only the 512-byte pages affected are then copied.',
    source: 'Section 2.1',
  },
  {
    term: 'Core message',
    definition:
      'One of the two IPC messages ExciseProcess delivers: the microengine state, the kernel stack, the PCB and the port rights (roughly 1 Kbyte together), which must be physically copied, plus an AMap of the whole address space.',
    source: 'Section 3.1',
  },
  {
    term: 'ExciseProcess',
    definition:
      'The kernel trap that removes the complete context of an active process from its host and delivers it as two IPC messages, the Core message and the RIMAS message. Once excised, the process ceases to exist; its port rights pass to the caller.',
    source: 'Section 3.1',
  },
  {
    term: 'FillZero fault',
    definition:
      'The fault taken on the first touch of a RealZeroMem page: the Pager/Scheduler reserves a physical page, fills it with zeros and maps it, without consulting the disk.',
    source: 'Section 2.3',
  },
  {
    term: 'Imaginary fault',
    aliases: ['remote fault', 'Imaginary Read Request', 'Imaginary Read Reply'],
    definition:
      'The fault taken when a process touches a page mapped to an imaginary segment: the Pager/Scheduler sends an Imaginary Read Request to the segment’s backing port, the backer returns the page in an Imaginary Read Reply, and the page is mapped in and the process resumed.',
    source: 'Section 2.2',
    inLab:
      'The paper measured 115 ms per imaginary fault against 40.8 ms for a local disk page (Section 4.3.3); the Perq 1987 hardware preset’s fault costs are set from these (see the hardware tooltips).',
  },
  {
    term: 'Imaginary segment',
    definition:
      'A segment whose data is reached not in physical memory or on disk but through the IPC system, by messages to its backing port. Passing memory mapped to one in a message transmits an IOU for the data.',
    source: 'Section 2.2',
  },
  {
    term: 'Imaginary Segment Death',
    definition:
      'The message Accent sends the backer of an imaginary object once all references to the object have died out, so it can stop serving it.',
    source: 'Section 2.2',
  },
  {
    term: 'ImagMem',
    definition:
      'Memory mapped to imaginary segments. Touching it causes an imaginary fault; it is considered distantly accessible, since a page fetch may take arbitrarily long.',
    source: 'Section 2.3',
  },
  {
    term: 'InsertProcess',
    definition:
      'The counterpart of ExciseProcess: it recreates a process from the Core and RIMAS messages, restoring its address space mappings with the AMap for guidance and the RIMAS data, and puts it in the kernel queue of its original execution status.',
    source: 'Section 3.1',
  },
  {
    term: 'IOU',
    aliases: ['I/OU'],
    definition:
      'A promise to deliver data as needed, sent in place of the data itself: memory mapped to an imaginary segment, whose backer fields page requests for it until all references die out.',
    source: 'Sections 1 and 2.2',
  },
  {
    term: 'MigrationManager',
    definition:
      'The simple server each participating SPICE machine runs: given a process, it excises it, sends the two context messages to the MigrationManager at the new site, which inserts the process there.',
    source: 'Section 3.2',
  },
  {
    term: 'NetMessageServer',
    aliases: ['NetMsgServer'],
    definition:
      'The user-level process on each host that extends IPC across the network. It physically transmits the RealMem parts of a message and stands in local imaginary objects for remote ones; it may also cache RealMem data and pass IOUs for it, becoming its backer.',
    source: 'Section 2.4',
  },
  {
    term: 'NoIOUs',
    definition:
      'A bit in the message header that stops the NetMessageServer from caching a message’s RealMem data and passing IOUs for it, so that non-imaginary data is physically copied. Turning it off in the RIMAS message lets the NetMessageServer back the migrated memory.',
    source: 'Sections 2.4 and 3.1',
  },
  {
    term: 'Pager/Scheduler',
    definition:
      'The high-level Accent process that handles page faults: it fills zero pages, brings in disk pages and sends the Imaginary Read Requests of imaginary faults.',
    source: 'Sections 2.2 and 2.3',
  },
  {
    term: 'Prefetch',
    aliases: ['PF'],
    definition:
      'Returning extra contiguous pages with the reply to an imaginary fault. Column PF n in the paper’s tables is a trial where n pages were prefetched; the paper tried 0, 1, 3, 7 and 15 and recommends one.',
    source: 'Sections 4 and 4.4.2',
  },
  {
    term: 'Pure-copy',
    aliases: ['full copy', 'pure copy'],
    definition: 'The conventional strategy: the whole address space is physically shipped at migration time.',
    source: 'Section 4',
  },
  {
    term: 'Pure-IOU',
    aliases: ['pure-I/OU', 'full IOU'],
    definition:
      'The copy-on-reference strategy: no address space data is shipped at migration time; every page the process touches at the new site is fetched by an imaginary fault.',
    source: 'Section 4',
  },
  {
    term: 'RealMem',
    definition:
      'Data already in physical memory or reachable by fetching the corresponding local disk page; rated “moderately” accessible, since the system may have to go to disk.',
    source: 'Section 2.3',
  },
  {
    term: 'RealZeroMem',
    aliases: ['RealZ'],
    definition:
      'Memory a process has validated (allocated) but never touched; conceptually zero-filled, with the filling postponed until first touch (a FillZero fault). It is considered immediately accessible, and is never shipped.',
    source: 'Section 2.3',
  },
  {
    term: 'Remote execution',
    definition:
      'The phase from the first instruction the process executes at its new host to its termination; its elapsed time is what Figure 4-1 reports.',
    source: 'Section 4.3.3',
  },
  {
    term: 'Representative processes',
    aliases: ['representatives'],
    definition:
      'The programs chosen for the trials, each standing for a class of programs with similar attributes (Minprog, the Lisp processes, the Pasmac macro processor, Chess).',
    source: 'Section 4.1',
  },
  {
    term: 'Resident set',
    aliases: ['RS'],
    definition:
      'The pages of the process in main memory at migration time. The resident-set strategy ships them physically (as an approximation to the working set) and sends IOUs for the rest; the paper found it generally detrimental.',
    source: 'Sections 4 and 4.3.4',
  },
  {
    term: 'RIMAS',
    aliases: ['Real and Imaginary Memory Address Space'],
    definition:
      'Real and Imaginary Memory Address Space: the second message ExciseProcess delivers, holding all the RealMem and ImagMem portions of the address space collapsed into a contiguous area.',
    source: 'Section 3.1',
  },
];

/** The terms whose name, alias or definition contains `query` (case-insensitive), in order. */
export function searchGlossary(query: string): GlossaryTerm[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return [...GLOSSARY];
  return GLOSSARY.filter((entry) =>
    [entry.term, ...(entry.aliases ?? []), entry.definition].some((text) =>
      text.toLowerCase().includes(needle),
    ),
  );
}
