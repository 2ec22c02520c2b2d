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

export function createHistory<State>(
  capture: () => State,
  restore: (state: State) => void,
  mergeMs = 600,
  /** Whether two states are the same (a change that changed nothing is no step). */
  same: (a: State, b: State) => boolean = Object.is,
): History {
  let current: State = capture();
  const undoStack: { state: State; label: string }[] = [];
  const redoStack: { state: State; label: string }[] = [];
  const canUndo = ref(false);
  const canRedo = ref(false);
  const undoLabel = ref('');
  const redoLabel = ref('');
  /** The open merged step: its label and the state after its latest edit. */
  let pending: { label: string; after: State; timer: ReturnType<typeof setTimeout> } | null = null;

  const refresh = (): void => {
    canUndo.value = undoStack.length > 0 || pending !== null;
    canRedo.value = redoStack.length > 0;
    undoLabel.value = pending?.label ?? undoStack[undoStack.length - 1]?.label ?? '';
    redoLabel.value = redoStack[redoStack.length - 1]?.label ?? '';
  };

  /** Close a step: the state before it goes on the undo stack, `next` (default: now) is current. */
  function checkpoint(label: string, next: State = capture()): void {
    undoStack.push({ state: current, label });
    if (undoStack.length > MAX_UNDO_STEPS) undoStack.shift();
    redoStack.length = 0;
    current = next;
  }

  function flush(): void {
    if (!pending) return;
    clearTimeout(pending.timer);
    const { label, after } = pending;
    pending = null;
    checkpoint(label, after);
  }

  return {
    canUndo,
    canRedo,
    undoLabel,
    redoLabel,
    changed(label, merge = false) {
      const now = capture();
      // A component that rewrites a value to itself (a select settling on its option) is no edit.
      if (!pending && same(now, current)) return;
      if (merge) {
        if (pending && pending.label !== label) flush();
        if (pending) clearTimeout(pending.timer);
        pending = {
          label,
          after: now,
          timer: setTimeout(() => {
            flush();
            refresh();
          }, mergeMs),
        };
      } else {
        // An open merged step ends where its last edit left the state; this edit is a step of its own.
        flush();
        checkpoint(label, now);
      }
      redoStack.length = 0;
      refresh();
    },
    undo() {
      flush();
      const step = undoStack.pop();
      if (!step) {
        refresh();
        return false;
      }
      redoStack.push({ state: current, label: step.label });
      restore(step.state);
      // As the state now is (a restore may copy what it puts back).
      current = capture();
      refresh();
      return true;
    },
    redo() {
      flush();
      const step = redoStack.pop();
      if (!step) {
        refresh();
        return false;
      }
      undoStack.push({ state: current, label: step.label });
      restore(step.state);
      // As the state now is (a restore may copy what it puts back).
      current = capture();
      refresh();
      return true;
    },
    reset() {
      if (pending) clearTimeout(pending.timer);
      pending = null;
      undoStack.length = 0;
      redoStack.length = 0;
      current = capture();
      refresh();
    },
  };
}
