import type { PageReferenceString } from './trace';
import { TRACE_WRITE } from './trace';

/** A picture of a page-reference string: cells column by column, base64 (0 none, 1 read, 2 written). */
export interface PageReferencePicture {
  columns: number;
  rows: number;
  cells: string;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

/**
 * A picture of the page-reference string for the designer: time (instructions) across, pages in
 * address order up, each cell read (1) or written (2) when any record in it touched those pages.
 */
export function pageReferenceMap(
  trace: PageReferenceString,
  maxColumns = 600,
  maxRows = 240,
): PageReferencePicture {
  const columns = Math.max(1, Math.min(maxColumns, trace.references.length));
  const rows = Math.max(1, Math.min(maxRows, trace.pages.length));
  const cells = new Uint8Array(columns * rows);
  const total = Math.max(1, trace.totalInstructions);
  const pages = Math.max(1, trace.pages.length);
  let executed = 0;
  for (let index = 0; index < trace.references.length; index += 1) {
    // Time by instructions, or by records for a trace without any.
    const at = trace.totalInstructions > 0 ? executed / total : index / trace.references.length;
    const column = Math.min(columns - 1, Math.floor(at * columns));
    const row = Math.min(rows - 1, Math.floor((trace.references[index]! * rows) / pages));
    const cell = column * rows + row;
    const kind = trace.flags[index]! & TRACE_WRITE ? 2 : 1;
    if (cells[cell]! < kind) cells[cell] = kind;
    executed += trace.instructions[index]!;
  }
  return { columns, rows, cells: base64(cells) };
}
