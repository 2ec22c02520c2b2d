import { z } from 'zod';
import { MAX_PREFETCH_PAGES } from '../../engine/model/migration';
import { FIGURE_KINDS, REFERENCE_METRICS } from '../figures/spec';
import type { FigureSpec } from '../figures/spec';
import type { NotebookEntry, NotebookDocument, NotebookDocumentV1 } from '../hostApi';
import { NOTEBOOK_FORMAT_VERSION } from '../notebook/format';
import { describeIssues, finite, label, nonEmptyLabel, sameShape, wholeNonNegative } from './fields';
import type { Same } from './fields';
import { experimentDesignSchema } from './design';
import { trialResultSchema } from './results';
import { experimentSummarySchema } from './summary';

/**
 * Notebook files: format 1's experiments, and formats 2 and 3's entries (notes,
 * experiments, figures) with provenance. The notebook store validates files on open and before
 * save; older formats are upgraded (../notebook/upgrade.ts).
 */

export const notebookExperimentSchema = z.strictObject({
  design: experimentDesignSchema,
  results: z.array(trialResultSchema),
});

/** Format 1: experiments and their results. Read only, to be upgraded (../notebook/upgrade.ts). */
export const notebookDocumentV1Schema = z.strictObject({
  formatVersion: z.literal(1, { error: 'must be 1' }),
  name: label(200),
  experiments: z.array(notebookExperimentSchema),
});

const entryId = () =>
  z
    .string({ error: 'must be text' })
    .min(1, { error: 'must not be empty' })
    .max(200, { error: 'must be at most 200 characters' });

export const figureSpecSchema = z.strictObject({
  kind: z.enum(FIGURE_KINDS, { error: `must be one of ${FIGURE_KINDS.join(', ')}` }),
  title: label(300).optional(),
  workload: label(100).optional(),
  prefetch: wholeNonNegative()
    .max(MAX_PREFETCH_PAGES, { error: `must be from 0 to ${MAX_PREFETCH_PAGES}` })
    .optional(),
  reference: z
    .strictObject({
      label: nonEmptyLabel(200),
      metric: z.enum(REFERENCE_METRICS, { error: `must be one of ${REFERENCE_METRICS.join(', ')}` }),
      values: z
        .array(z.strictObject({ workload: nonEmptyLabel(100), value: finite() }))
        .max(1000, { error: 'must have at most 1,000 entries' }),
    })
    .optional(),
});

export const noteEntrySchema = z.strictObject({
  kind: z.literal('note'),
  id: entryId(),
  markdown: label(1_000_000),
});

export const experimentEntrySchema = z.strictObject({
  kind: z.literal('experiment'),
  id: entryId(),
  design: experimentDesignSchema,
  results: z.array(trialResultSchema),
  engineVersion: nonEmptyLabel(100),
  trialCount: wholeNonNegative().optional(),
  summary: experimentSummarySchema.optional(),
});

export const figureEntrySchema = z.strictObject({
  kind: z.literal('figure'),
  id: entryId(),
  experimentId: entryId(),
  figure: figureSpecSchema,
  caption: label(10_000),
});

export const notebookEntrySchema = z.discriminatedUnion(
  'kind',
  [noteEntrySchema, experimentEntrySchema, figureEntrySchema],
  { error: 'must be a note, an experiment or a figure entry' },
);

/**
 * Formats 2 and 3: a notebook of notes, experiments and figures with provenance. Format 3 (the
 * current one) adds the strategies and metrics beyond 1987, trace workloads and sensitivity
 * sweeps, all as new values or optional fields: every format-2 file is a format-3 file but for
 * its number. The number changed so that an older app refuses a newer file as newer, rather than
 * naming a field it does not know.
 */
const documentSchemaOfFormat = <Version extends 2 | 3>(version: Version) =>
  z
    .strictObject({
      formatVersion: z.literal(version, { error: `must be ${version}` }),
      name: label(200),
      provenance: z.strictObject({
        engineVersion: nonEmptyLabel(100),
        createdBy: label(200),
      }),
      entries: z.array(notebookEntrySchema).max(10_000, { error: 'must have at most 10,000 entries' }),
    })
    .superRefine((doc, context) => {
      const seen = new Set<string>();
      const experiments = new Set<string>();
      doc.entries.forEach((entry, index) => {
        if (seen.has(entry.id)) {
          context.addIssue({
            code: 'custom',
            path: ['entries', index, 'id'],
            message: `"${entry.id}" is the id of an earlier entry`,
          });
        }
        seen.add(entry.id);
        if (entry.kind === 'experiment') experiments.add(entry.id);
      });
      doc.entries.forEach((entry, index) => {
        if (entry.kind === 'figure' && !experiments.has(entry.experimentId)) {
          context.addIssue({
            code: 'custom',
            path: ['entries', index, 'experimentId'],
            message: `no experiment entry has the id "${entry.experimentId}"`,
          });
        }
      });
    });

export const notebookDocumentV2Schema = documentSchemaOfFormat(2);

/** The schema of the format this version writes. */
export const notebookDocumentSchema = documentSchemaOfFormat(NOTEBOOK_FORMAT_VERSION);

/** Validate a current-format notebook document; throws naming the field (`entries[0].design.seed`). */
export function parseNotebookDocument(value: unknown): NotebookDocument {
  const result = notebookDocumentSchema.safeParse(value);
  if (!result.success) throw new Error(describeIssues(result.error));
  return result.data;
}

sameShape<Same<z.output<typeof notebookDocumentV1Schema>, NotebookDocumentV1>>();
sameShape<Same<z.output<typeof notebookDocumentSchema>, NotebookDocument>>();
sameShape<Same<z.output<typeof notebookEntrySchema>, NotebookEntry>>();
sameShape<Same<z.output<typeof figureSpecSchema>, FigureSpec>>();
