import { ref } from 'vue';

/**
 * Undo and redo by snapshots: after every edit the state is captured (cheaply: the notebook's
 * entries are replaced, never changed in place, so a snapshot shares them), and undo puts the
 * state before the edit back. Edits that come in a quick run (typing in a design field) merge
 * into one step.
 */
export interface History {
  /** Whether there is something to undo or redo (for menus and buttons). */
  canUndo: { readonly value: boolean };
  canRedo: { readonly value: boolean };
  /** What the next undo and redo would do, for their tooltips ("Undo delete note"). */
  undoLabel: { readonly value: string };
  redoLabel: { readonly value: string };
  /** The state changed; `label` names the edit. `merge` edits within mergeMs join one step. */
  changed(label: string, merge?: boolean): void;
  /** Put back the state before the last step; false when there is none. */
  undo(): boolean;
  redo(): boolean;
  /** Forget every step and start from the state as it is (a notebook was opened, a sweep ended). */
  reset(): void;
}

export const MAX_UNDO_STEPS = 200;

/** A step: the state on the other side of it, and what it did. */
interface Step<State> {
  state: State;
  label: string;
}

/** The undo and redo stacks, and what menus and buttons show of them. */
function createStacks<State>() {
  const undo: Step<State>[] = [];
  const redo: Step<State>[] = [];
  const view = { canUndo: ref(false), canRedo: ref(false), undoLabel: ref(''), redoLabel: ref('') };
  /** Show the stacks as they are; an open merged step (`pendingLabel`) is the next undo. */
  function refresh(pendingLabel?: string): void {
    view.canUndo.value = undo.length > 0 || pendingLabel !== undefined;
    view.canRedo.value = redo.length > 0;
    view.undoLabel.value = pendingLabel ?? undo[undo.length - 1]?.label ?? '';
    view.redoLabel.value = redo[redo.length - 1]?.label ?? '';
  }
  /** A new step to undo, dropping the oldest past MAX_UNDO_STEPS; nothing is left to redo. */
  function push(step: Step<State>): void {
    undo.push(step);
    if (undo.length > MAX_UNDO_STEPS) undo.shift();
    redo.length = 0;
  }
  return { undo, redo, view, refresh, push };
}

export function createHistory<State>(
  capture: () => State,
  restore: (state: State) => void,
  mergeMs = 600,
  /** Whether two states are the same (a change that changed nothing is no step). */
  same: (a: State, b: State) => boolean = Object.is,
): History {
  let current: State = capture();
  const stacks = createStacks<State>();
  /** The open merged step: its label and the state after its latest edit. */
  let pending: { label: string; after: State; timer: ReturnType<typeof setTimeout> } | null = null;
  const refresh = (): void => stacks.refresh(pending?.label);

  /** Close a step: the state before it goes on the undo stack, `next` (default: now) is current. */
  function checkpoint(label: string, next: State = capture()): void {
    stacks.push({ state: current, label });
    current = next;
  }

  function flush(): void {
    if (!pending) return;
    clearTimeout(pending.timer);
    const { label, after } = pending;
    pending = null;
    checkpoint(label, after);
  }

  /** Undo (from the undo stack to the redo stack) or redo (the other way); false when there is none. */
  function travel(from: Step<State>[], to: Step<State>[]): boolean {
    flush();
    const step = from.pop();
    if (step) {
      to.push({ state: current, label: step.label });
      restore(step.state);
      // As the state now is (a restore may copy what it puts back).
      current = capture();
    }
    refresh();
    return step !== undefined;
  }

  function changed(label: string, merge = false): void {
    const now = capture();
    // A component that rewrites a value to itself (a select settling on its option) is no edit.
    if (!pending && same(now, current)) return;
    if (merge) {
      if (pending && pending.label !== label) flush();
      if (pending) clearTimeout(pending.timer);
      const timer = setTimeout(() => {
        flush();
        refresh();
      }, mergeMs);
      pending = { label, after: now, timer };
    } else {
      // An open merged step ends where its last edit left the state; this edit is a step of its own.
      flush();
      checkpoint(label, now);
    }
    stacks.redo.length = 0;
    refresh();
  }

  function reset(): void {
    if (pending) clearTimeout(pending.timer);
    pending = null;
    stacks.undo.length = 0;
    stacks.redo.length = 0;
    current = capture();
    refresh();
  }

  return {
    ...stacks.view,
    changed,
    undo: () => travel(stacks.undo, stacks.redo),
    redo: () => travel(stacks.redo, stacks.undo),
    reset,
  };
}
