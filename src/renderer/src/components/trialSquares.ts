// The trial map's squares (./TrialMap.vue): one a trial, as large as lets them all fit the strip.

const GAP_PX = 2;
const MAX_CELL_PX = 10;

/** The largest square (with its gap) that lets `count` squares fit a width x height strip. */
function cellSize(count: number, width: number, height: number): number {
  for (let size = MAX_CELL_PX + GAP_PX; size > 1 + GAP_PX; size -= 1) {
    if (Math.floor(width / size) * Math.floor(height / size) >= count) return size;
  }
  return 1 + GAP_PX;
}

/**
 * Paint one square a trial, coloured by `colourOf`, line by line across a `width` x `height`
 * strip (CSS pixels); the squares shrink so every trial fits, down to one pixel (then the rest
 * are not drawn).
 */
export function paintTrialSquares<T>(
  context: CanvasRenderingContext2D,
  width: number,
  height: number,
  trials: readonly T[],
  colourOf: (trial: T) => string,
): void {
  const size = cellSize(trials.length, width, height);
  const perLine = Math.max(1, Math.floor(width / size));
  const cell = size - GAP_PX;
  trials.forEach((trial, at) => {
    const y = Math.floor(at / perLine) * size;
    if (y + cell > height) return;
    context.fillStyle = colourOf(trial);
    context.fillRect((at % perLine) * size, y, cell, cell);
  });
}
