import { ENGINE_VERSION } from '../../engine/experiment/trial';
import type { NotebookDocument, NotebookDocumentV1 } from '../hostApi';
import { describeIssues } from '../schemas/fields';
import {
  notebookDocumentSchema,
  notebookDocumentV1Schema,
  notebookDocumentV2Schema,
} from '../schemas/notebook';
import { NOTEBOOK_FORMAT_VERSION } from './format';

/** Format 2: format 3 but for its number (see notebookDocumentV2Schema). */
export type NotebookDocumentV2 = Omit<NotebookDocument, 'formatVersion'> & { formatVersion: 2 };

/**
 * Notebook-file versions, as nbformat does it: one schema per format version (../schemas/notebook.ts),
 * and an upgrade from each version to the next. A file is validated against its own version's
 * schema, then upgraded one step at a time, then validated against the current schema.
 */

/** "Accent Migration Lab 0.1.0": who wrote a file, in its provenance. */
export const createdBy = (appVersion: string): string => `Accent Migration Lab ${appVersion}`;

/** v1 -> v2: each experiment becomes an experiment entry, in order; provenance is what is known. */
export function upgradeV1ToV2(v1: NotebookDocumentV1, appVersion: string): NotebookDocumentV2 {
  return {
    formatVersion: 2,
    name: v1.name,
    provenance: { engineVersion: ENGINE_VERSION, createdBy: createdBy(appVersion) },
    entries: v1.experiments.map((experiment, index) => ({
      kind: 'experiment' as const,
      id: `experiment-${index + 1}`,
      design: experiment.design,
      results: experiment.results,
      // Format 1 did not record it; the results were made by an engine no newer than this one.
      engineVersion: ENGINE_VERSION,
    })),
  };
}

/** v2 -> v3: only the number changes; format 3's additions are all new values or optional fields. */
export function upgradeV2ToV3(v2: NotebookDocumentV2): NotebookDocument {
  return { ...v2, formatVersion: 3 };
}

/** Thrown for files from a newer version of the app: they are refused, never guessed at. */
export class NewerFormatError extends Error {
  constructor(readonly formatVersion: number) {
    super(
      `it was saved by a newer version of Accent Migration Lab (notebook format ${formatVersion}); ` +
        `this version reads format ${NOTEBOOK_FORMAT_VERSION} and older. Please update the app to open it.`,
    );
    this.name = 'NewerFormatError';
  }
}

/**
 * Any supported version's document (already parsed JSON) as the current format: checked against
 * its version's schema, upgraded step by step, checked again. Throws a message naming the field.
 */
export function upgradeNotebook(raw: unknown, appVersion: string): NotebookDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('it does not hold a JSON object');
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`formatVersion: must be a notebook format version from 1 to ${NOTEBOOK_FORMAT_VERSION}`);
  }
  if (version > NOTEBOOK_FORMAT_VERSION) throw new NewerFormatError(version);
  let document: unknown = raw;
  if (version === 1) {
    const v1 = notebookDocumentV1Schema.safeParse(document);
    if (!v1.success) throw new Error(`format 1: ${describeIssues(v1.error)}`);
    document = upgradeV1ToV2(v1.data, appVersion);
  }
  if (version <= 2) {
    const v2 = notebookDocumentV2Schema.safeParse(document);
    if (!v2.success) throw new Error(`format 2: ${describeIssues(v2.error)}`);
    document = upgradeV2ToV3(v2.data);
  }
  const current = notebookDocumentSchema.safeParse(document);
  if (!current.success) throw new Error(describeIssues(current.error));
  return current.data;
}
