/**
 * Chart redraws, spread over animation frames. Several charts asked to redraw by the same change
 * (a finished trial moves every comparison chart) would otherwise all draw in one frame and make
 * it long; here each frame draws until its budget is spent, and the rest wait for the next.
 */

/**
 * Milliseconds of drawing per frame: a quarter of a 60 Hz frame. One chart's redraw takes about
 * this long on a slow machine, so a second chart waits for the next frame rather than make this
 * one miss its vsync; the rest of the frame is the page's.
 */
export const DRAW_BUDGET_MS = 4;

const waiting = new Set<() => void>();
let frame = 0;

function drawSome(): void {
  frame = 0;
  const started = performance.now();
  for (const draw of waiting) {
    waiting.delete(draw);
    draw();
    if (performance.now() - started >= DRAW_BUDGET_MS) break;
  }
  if (waiting.size > 0) frame = requestAnimationFrame(drawSome);
}

/** Ask for `draw` to run in a coming frame; asking again before it ran changes nothing. */
export function queueDraw(draw: () => void): void {
  waiting.add(draw);
  if (!frame) frame = requestAnimationFrame(drawSome);
}

/** Forget a draw that has not run yet (its chart is going away). */
export function cancelDraw(draw: () => void): void {
  waiting.delete(draw);
}
