import type { Alert } from '../monitor/alert.js';

/** Notes kept per host at most: a long outage must not grow an unbounded list. */
const MAX_PENDING_PER_HOST = 10;

/**
 * Notes waiting for the next alert of a host, shared by whoever takes actions (the power cycler adds "power
 * cycle 1/2 of Modem: ...") and the notifiers (which print them). Every notifier sees the same notes for the
 * same alert: the first to ask takes the pending notes, later ones get them from a per-alert memo.
 */
export class AlertNotes {
  private readonly pending = new Map<string, { note: string; key: string | undefined }[]>();
  private readonly attached = new WeakMap<Alert, Alert>();

  /**
   * Queues `note` for the next alert of each of `hosts`. A note with a `key` replaces a pending note with
   * the same key ("power cycle 1/2 started" becomes "power cycle 1/2: link restored" if no alert went out
   * in between).
   */
  add(hosts: readonly string[], note: string, key?: string): void {
    for (const host of hosts) {
      const list = (this.pending.get(host) ?? []).filter((p) => key === undefined || p.key !== key);
      list.push({ note, key });
      if (list.length > MAX_PENDING_PER_HOST) list.shift();
      this.pending.set(host, list);
    }
  }

  /** Notes still waiting for an alert of `host`. */
  pendingFor(host: string): readonly string[] {
    return (this.pending.get(host) ?? []).map((p) => p.note);
  }

  /** `alert` with the notes waiting for its host appended; the same result for every call with one alert. */
  attach(alert: Alert): Alert {
    const done = this.attached.get(alert);
    if (done) return done;
    const notes = this.pendingFor(alert.target.host);
    this.pending.delete(alert.target.host);
    const result = notes.length === 0 ? alert : { ...alert, notes: [...(alert.notes ?? []), ...notes] };
    this.attached.set(alert, result);
    return result;
  }
}
