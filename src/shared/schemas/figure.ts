import { z } from 'zod';
import type { FigureData } from '../figures/charts';
import { FIGURE_FORMATS } from '../figures/export';
import { finite, label, nonEmptyLabel, sameShape } from './fields';
import type { Same } from './fields';
import { figureSpecSchema } from './notebook';

const FIGURE_UNITS = ['seconds', 'bytes', 'percent', 'bytes-per-second', 'count'] as const;
const colourText = () => nonEmptyLabel(100);
const flag = () => z.boolean({ error: 'must be true or false' });
const errorWidths = (max: number) =>
  z
    .array(finite().nullable())
    .max(max, { error: `must have at most ${max} entries` })
    .optional();

/** A figure as the app draws it (FigureData), sent to the host's renderer for a vector export. */
export const figureDataSchema = z.strictObject({
  spec: figureSpecSchema,
  title: label(300),
  subtitle: label(1000),
  type: z.enum(['bar', 'line'], { error: 'must be bar or line' }),
  xLabel: label(300),
  yLabel: label(300),
  unit: z.enum(FIGURE_UNITS, { error: `must be one of ${FIGURE_UNITS.join(', ')}` }),
  logarithmic: flag(),
  categories: z.array(label(300)).max(10_000, { error: 'must have at most 10,000 categories' }),
  bars: z
    .array(
      z.strictObject({
        label: label(300),
        values: z.array(finite().nullable()).max(10_000, { error: 'must have at most 10,000 values' }),
        colour: colourText(),
        stack: label(100).optional(),
        hideInLegend: flag().optional(),
        errors: errorWidths(10_000),
      }),
    )
    .max(500, { error: 'must have at most 500 series' }),
  lines: z
    .array(
      z.strictObject({
        label: label(300),
        points: z
          .array(z.strictObject({ x: finite(), y: finite() }))
          .max(100_000, { error: 'must have at most 100,000 points' }),
        colour: colourText(),
        dashed: flag().optional(),
        showPoints: flag().optional(),
        errors: errorWidths(100_000),
      }),
    )
    .max(500, { error: 'must have at most 500 series' }),
  table: z
    .array(z.array(z.union([label(1000), finite()])).max(10_000, { error: 'must have at most 10,000 cells' }))
    .max(200_000, { error: 'must have at most 200,000 rows' }),
  empty: flag(),
  xUnit: z.enum(['seconds', 'number'], { error: 'must be seconds or number' }).optional(),
  logarithmicX: flag().optional(),
  markers: z
    .array(z.strictObject({ x: finite(), label: label(300) }))
    .max(100, { error: 'must have at most 100 markers' })
    .optional(),
});

/** renderFigure's request: a figure, a format and a size (the renderer checks the size's range). */
export const renderFigureRequestSchema = z.strictObject({
  figure: figureDataSchema,
  format: z.enum(FIGURE_FORMATS, { error: `must be one of ${FIGURE_FORMATS.join(', ')}` }),
  width: z.int({ error: 'must be a whole number of pixels' }),
  height: z.int({ error: 'must be a whole number of pixels' }),
  scale: finite(),
});

sameShape<Same<z.output<typeof figureDataSchema>, FigureData>>();
