/**
 * Batched events apply in an animation frame at most once in this many milliseconds: the counts,
 * the trial map and the live chart need no more (they redraw ten and five times a second), and
 * the frames between keep their time for a chart's redraw. A batch applied in every frame made
 * the frame that also redrew a chart miss its vsync.
 */
export const FLUSH_INTERVAL_MS = 100;
/** Where animation frames do not come (a hidden page), the batch applies after this long. */
export const FLUSH_FALLBACK_MS = 250;

/** The page's animation frames; absent where nothing is drawn (unit tests under Node). */
const frames = globalThis as unknown as {
  requestAnimationFrame?: (callback: () => void) => number;
  cancelAnimationFrame?: (handle: number) => void;
};

/** Events held for the next frame, applied together by `apply` (see createEventBatch). */
export interface EventBatch<E> {
  /** Hold an event for the next batch. */
  push(event: E): void;
  /** Whether a held event matches. */
  some(test: (event: E) => boolean): boolean;
  /** Apply what is held now. */
  flush(): void;
}

/**
 * A batch of events applied in an animation frame, at most every FLUSH_INTERVAL_MS (or after
 * FLUSH_FALLBACK_MS where frames do not come; at once where there are none), so a burst costs one
 * re-render and one chart update. `apply` gets the held events in arrival order.
 */
export function createEventBatch<E>(apply: (batch: E[]) => void): EventBatch<E> {
  let pending: E[] = [];
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushedAt = -Infinity;

  function flush(): void {
    if (frame) frames.cancelAnimationFrame?.(frame);
    if (timer !== null) clearTimeout(timer);
    frame = 0;
    timer = null;
    flushedAt = performance.now();
    const batch = pending;
    pending = [];
    apply(batch);
  }

  /** An animation frame with a batch waiting: apply it, or wait for a later frame if one was just applied. */
  function flushInFrame(): void {
    if (performance.now() - flushedAt < FLUSH_INTERVAL_MS) {
      frame = frames.requestAnimationFrame!(flushInFrame);
      return;
    }
    flush();
  }

  return {
    push(event) {
      pending.push(event);
      if (timer !== null) return;
      const animated = typeof frames.requestAnimationFrame === 'function';
      timer = setTimeout(flush, animated ? FLUSH_FALLBACK_MS : 0);
      if (animated) frame = frames.requestAnimationFrame!(flushInFrame);
    },
    some: (test) => pending.some(test),
    flush,
  };
}
