import { ENGINE_VERSION } from '../../engine/experiment/trial';
import type { ProjectDocument, ProjectDocumentV1 } from '../hostApi';
import { describeIssues } from '../schemas/fields';
import { projectDocumentSchema, projectDocumentV1Schema, projectDocumentV2Schema } from '../schemas/notebook';
import { PROJECT_FORMAT_VERSION } from './format';

/** Format 2: format 3 but for its number (see projectDocumentV2Schema). */
export type ProjectDocumentV2 = Omit<ProjectDocument, 'formatVersion'> & { formatVersion: 2 };

/**
 * Project-file versions, as nbformat does it: one schema per format version (../schemas/notebook.ts),
 * and an upgrade from each version to the next. A file is validated against its own version's
 * schema, then upgraded one step at a time, then validated against the current schema.
 */

/** "Accent Migration Lab 0.1.0": who wrote a file, in its provenance. */
export const createdBy = (appVersion: string): string => `Accent Migration Lab ${appVersion}`;

/** v1 -> v2: each experiment becomes an experiment entry, in order; provenance is what is known. */
export function upgradeV1ToV2(v1: ProjectDocumentV1, appVersion: string): ProjectDocumentV2 {
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
export function upgradeV2ToV3(v2: ProjectDocumentV2): ProjectDocument {
  return { ...v2, formatVersion: 3 };
}

/** Thrown for files from a newer version of the app: they are refused, never guessed at. */
export class NewerFormatError extends Error {
  constructor(readonly formatVersion: number) {
    super(
      `it was saved by a newer version of Accent Migration Lab (project format ${formatVersion}); ` +
        `this version reads format ${PROJECT_FORMAT_VERSION} and older. Please update the app to open it.`,
    );
    this.name = 'NewerFormatError';
  }
}

/**
 * Any supported version's document (already parsed JSON) as the current format: checked against
 * its version's schema, upgraded step by step, checked again. Throws a message naming the field.
 */
export function upgradeProject(raw: unknown, appVersion: string): ProjectDocument {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('it does not hold a JSON object');
  }
  const version = (raw as { formatVersion?: unknown }).formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new Error(`formatVersion: must be a project format version from 1 to ${PROJECT_FORMAT_VERSION}`);
  }
  if (version > PROJECT_FORMAT_VERSION) throw new NewerFormatError(version);
  let document: unknown = raw;
  if (version === 1) {
    const v1 = projectDocumentV1Schema.safeParse(document);
    if (!v1.success) throw new Error(`format 1: ${describeIssues(v1.error)}`);
    document = upgradeV1ToV2(v1.data, appVersion);
  }
  if (version <= 2) {
    const v2 = projectDocumentV2Schema.safeParse(document);
    if (!v2.success) throw new Error(`format 2: ${describeIssues(v2.error)}`);
    document = upgradeV2ToV3(v2.data);
  }
  const current = projectDocumentSchema.safeParse(document);
  if (!current.success) throw new Error(describeIssues(current.error));
  return current.data;
}
