import type { PageReferenceMap } from '../../../../shared/hostApi';

/** Written cells orange, read cells blue (RGB); untouched ones take the background. */
const WRITTEN: readonly [number, number, number] = [224, 123, 40];
const READ: readonly [number, number, number] = [59, 111, 182];
/** The migration point's line. */
const MIGRATION_LINE = '#c0392b';

/** The RGB of a CSS colour, as `context` paints it (one pixel, overwritten by the map). */
function rgbOf(context: CanvasRenderingContext2D, colour: string): [number, number, number] {
  context.fillStyle = colour;
  context.fillRect(0, 0, 1, 1);
  const [r = 255, g = 255, b = 255] = context.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/**
 * Paint a trace's page-reference map on `element`, a pixel a cell: time across, pages (address
 * order) up; reads blue, writes orange, on `background` (the charts' background: white, or the
 * dark surface in dark mode), and a red line at the migration point (`migrationShare` of the run).
 */
export function paintPageMap(
  element: HTMLCanvasElement,
  map: PageReferenceMap,
  migrationShare: number,
  background: string,
): void {
  const { columns, rows } = map;
  element.width = columns;
  element.height = rows;
  const context = element.getContext('2d');
  if (!context) return;
  const cells = Uint8Array.from(atob(map.cells), (c) => c.charCodeAt(0));
  const untouched = rgbOf(context, background);
  const image = context.createImageData(columns, rows);
  for (let column = 0; column < columns; column += 1) {
    for (let row = 0; row < rows; row += 1) {
      const cell = cells[column * rows + row]!;
      const pixel = 4 * ((rows - 1 - row) * columns + column);
      const [r, g, b] = cell === 2 ? WRITTEN : cell === 1 ? READ : untouched;
      image.data[pixel] = r;
      image.data[pixel + 1] = g;
      image.data[pixel + 2] = b;
      image.data[pixel + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  const x = Math.round(migrationShare * columns);
  context.fillStyle = MIGRATION_LINE;
  context.fillRect(Math.min(columns - 1, x), 0, 1, rows);
}
