import type { HostEvent } from '../../shared/hostApi';

/**
 * The running sweeps' progress as the taskbar (Windows, Linux Unity) or dock (macOS) shows it:
 * finished trials over all trials of the sweeps still running, as BrowserWindow.setProgressBar
 * takes it (0..1; -1 removes the bar). Pure code (no `electron` import) so it is unit-tested
 * without the Electron binary.
 */
export class TaskbarProgress {
  private readonly sweeps = new Map<string, { total: number; done: number }>();
  /** What the bar shows now (-1: no bar). */
  private shown = -1;

  /**
   * Take one host event; returns the bar's new value when it changed (in steps of 0.1 %, so a
   * million-trial sweep does not call setProgressBar a million times), else undefined.
   */
  receive(event: HostEvent): number | undefined {
    switch (event.type) {
      case 'sweep-started':
        this.sweeps.set(event.sweepId, { total: event.trialCount, done: 0 });
        break;
      case 'trial-finished': {
        const sweep = this.sweeps.get(event.sweepId);
        if (!sweep) return undefined;
        sweep.done = Math.min(sweep.total, sweep.done + 1);
        break;
      }
      case 'sweep-finished':
        if (!this.sweeps.delete(event.sweepId)) return undefined;
        break;
      default:
        return undefined;
    }
    const next = this.value();
    if (next === this.shown) return undefined;
    this.shown = next;
    return next;
  }

  /** The fraction of the running sweeps' trials that finished, floored to 0.1 %; -1 when none runs. */
  value(): number {
    if (this.sweeps.size === 0) return -1;
    let total = 0;
    let done = 0;
    for (const sweep of this.sweeps.values()) {
      total += sweep.total;
      done += sweep.done;
    }
    return total === 0 ? 0 : Math.floor((done / total) * 1000) / 1000;
  }
}
