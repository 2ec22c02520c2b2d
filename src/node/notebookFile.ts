import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ENGINE_VERSION } from '../engine/experiment/trial';
import type { NotebookDocument } from '../shared/hostApi';
import { createdBy, upgradeNotebook } from '../shared/notebook/upgrade';
import { NOTEBOOK_FORMAT_VERSION } from '../shared/notebook/format';
import { parseNotebookDocument } from '../shared/schemas/notebook';
import { version as packageVersion } from '../../package.json';
import { writeWholeFile } from './wholeFile';
import { messageOf } from '../shared/messageOf';

/**
 * Larger notebook files are refused before they are read: 100 MiB holds thousands of experiments
 * with their series (the paper's reproduction notebook is under 1 MiB), while reading and parsing
 * a file of that size already takes a second or two and several times its size in memory.
 */
export const MAX_NOTEBOOK_FILE_BYTES = 100 * 1024 * 1024;

/** Added to a notebook file's name for its backup (the previous version). */
export const BACKUP_SUFFIX = '.bak';

/**
 * The text of a notebook file: the document validated (which also puts every key in the schema's
 * fixed order), two-space indent, one trailing newline. Saving what was opened gives identical
 * bytes.
 */
export function serializeNotebook(notebook: NotebookDocument): string {
  return `${JSON.stringify(parseNotebookDocument(notebook), null, 2)}\n`;
}

/**
 * The notebook with the relative trace paths of its trace workloads made absolute against the
 * notebook's folder, as the app runs its trials (a notebook names its traces relative to itself;
 * docs/traces.md). Saving it keeps the absolute paths, which stay right wherever it is saved.
 */
export function withTracePathsFrom(notebook: NotebookDocument, directory: string): NotebookDocument {
  const entries = notebook.entries.map((entry) => {
    if (entry.kind !== 'experiment') return entry;
    const customWorkloads = entry.design.customWorkloads.map((workload) =>
      workload.trace && !isAbsolute(workload.trace.path)
        ? { ...workload, trace: { ...workload.trace, path: resolve(directory, workload.trace.path) } }
        : workload,
    );
    return { ...entry, design: { ...entry.design, customWorkloads } };
  });
  return { ...notebook, entries };
}

/** The provenance a file written by this version carries. */
export function currentProvenance(appVersion: string = packageVersion): NotebookDocument['provenance'] {
  return { engineVersion: ENGINE_VERSION, createdBy: createdBy(appVersion) };
}

/**
 * Parse a notebook file's text, check it against its format version's schema and upgrade it step
 * by step to the current format; `where` names the file in error messages. A file from a newer
 * version is refused.
 */
export function deserializeNotebook(
  text: string,
  where: string,
  appVersion: string = packageVersion,
): NotebookDocument {
  let raw: unknown;
  try {
    // Some editors put a byte-order mark before the JSON.
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new Error(`${where} is not a notebook file: ${unparsableReason(text, error)}`, { cause: error });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(`${where} is not a notebook file: it does not hold a JSON object`);
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version === 'number' && Number.isInteger(version) && version > NOTEBOOK_FORMAT_VERSION) {
    throw new Error(
      `${where} was saved by a newer version of Accent Migration Lab (notebook format ${version}); ` +
        `this version reads format ${NOTEBOOK_FORMAT_VERSION} and older. Please update the app to open it.`,
    );
  }
  try {
    return upgradeNotebook(raw, appVersion);
  } catch (error) {
    const reason = error instanceof RangeError ? TOO_DEEP : messageOf(error);
    throw new Error(`${where} is not a valid notebook file: ${reason}`, { cause: error });
  }
}

const TOO_DEEP = 'it is nested too deeply or is too large to read';

/** Why JSON.parse refused a file's text, in one printable line. */
function unparsableReason(text: string, error: unknown): string {
  if (text.trim().length === 0) return 'it is empty';
  if (error instanceof RangeError) return TOO_DEEP;
  // V8 quotes the text around the error: keep the line printable whatever bytes the file holds.
  const message = messageOf(error).replace(/[^\x20-\x7e]/g, '?');
  return `it is not valid JSON (truncated or corrupt?): ${message}`;
}

/** The backup of a notebook file: its previous version, kept by every save. */
export function backupPath(path: string): string {
  return `${path}${BACKUP_SUFFIX}`;
}

/** Why a save failed, in words, from a file-system error. */
export function saveFailureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: the folder or file is not writable';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EREADONLY':
      return 'the file is read-only (make it writable, or save under another name)';
    case 'ENOENT':
      return 'the folder does not exist (was it moved or removed?)';
    case 'ENOTDIR':
      return 'part of the path is not a folder';
    case 'EISDIR':
      return 'a folder has that name';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'EIO':
      return 'the disk reported an input/output error';
    default: {
      const message = messageOf(error);
      return code && !message.includes(code) ? `${message} (${code})` : message;
    }
  }
}

/**
 * Write `data` to `path` atomically and whole: a temporary file beside it, written in full and
 * flushed, then renamed over the old one, so a crash or a full disk at any moment leaves either the
 * old file or the new one, whole (see wholeFile.ts).
 */
export function writeAtomically(path: string, data: string | Buffer): Promise<void> {
  return writeWholeFile(path, data);
}

const sizeText = (bytes: number): string =>
  `${Math.round(bytes / 1024 / 102.4) / 10} MiB (${bytes.toLocaleString('en-US')} bytes)`;

/**
 * The text of a notebook file, refused by its size (over MAX_NOTEBOOK_FILE_BYTES) before any of it
 * is read, so a huge file cannot exhaust the memory.
 */
export async function readNotebookFile(path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('it is not a file'), { code: 'EISDIR' });
    if (info.size > MAX_NOTEBOOK_FILE_BYTES) {
      throw Object.assign(
        new Error(
          `the file is too large: ${sizeText(info.size)}; notebook files may be at most ${sizeText(MAX_NOTEBOOK_FILE_BYTES)}`,
        ),
        { code: 'EFBIG' },
      );
    }
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : messageOf(error);
    throw new Error(`cannot open ${path}: ${why}`, { cause: error });
  }
}
