import type { Alert } from './alert.js';

/** Notes kept per target at most: a long outage must not grow an unbounded list. */
const MAX_PENDING_PER_TARGET = 10;

/** One sentence waiting for the next alert of a target; a keyed note replaces a pending one with its key. */
export interface PendingNote {
  readonly text: string;
  readonly key: string | null;
}

/** Notes waiting for the next alert of each target id (power cycles, lamp failures). Immutable. */
export type PendingNotes = ReadonlyMap<string, readonly PendingNote[]>;

/** No notes at all. */
export const NO_NOTES: PendingNotes = new Map();

/**
 * `notes` with `text` queued for the next alert of each of `ids`. A note with a `key` replaces a pending
 * note with the same key ("power cycle 1/2 started" becomes "power cycle 1/2: link restored" when no alert
 * went out in between).
 */
export function addNote(
  notes: PendingNotes,
  ids: readonly string[],
  text: string,
  key: string | null = null,
): PendingNotes {
  const next = new Map(notes);
  for (const id of ids) {
    const list = (next.get(id) ?? []).filter((note) => key === null || note.key !== key);
    list.push({ text, key });
    next.set(id, list.slice(-MAX_PENDING_PER_TARGET));
  }
  return next;
}

/** Each alert with the notes waiting for its target appended; those notes are then no longer pending. */
export function attachNotes(
  alerts: readonly Alert[],
  notes: PendingNotes,
): { readonly alerts: Alert[]; readonly notes: PendingNotes } {
  if (notes.size === 0) return { alerts: [...alerts], notes };
  const left = new Map(notes);
  const noted = alerts.map((alert) => {
    const pending = left.get(alert.target.host);
    if (!pending || pending.length === 0) return alert;
    left.delete(alert.target.host);
    return { ...alert, notes: [...(alert.notes ?? []), ...pending.map((note) => note.text)] };
  });
  return { alerts: noted, notes: left };
}
