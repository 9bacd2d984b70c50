import { compareText } from '../../shared/compare-text.js';
import type { OutboxEntry } from './outbox-entry.js';

/** Where outbox entries are kept: on disk for the daemon, in memory for tests and `watch` without `--save`. */
export interface OutboxStore {
  /** Saves a new entry, or replaces the entry with the same notifier and id; durable once it resolves. */
  put(entry: OutboxEntry): Promise<void>;
  /** Forgets an entry (delivered or expired); no error when it is gone already. */
  remove(notifier: string, id: string): Promise<void>;
  /** The entries waiting for one notifier, oldest first. */
  list(notifier: string): Promise<OutboxEntry[]>;
  /** Every waiting entry, by notifier then oldest first. */
  listAll(): Promise<OutboxEntry[]>;
}

/** An outbox that lives as long as the process: messages are retried but do not survive a restart. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();

  put(entry: OutboxEntry): Promise<void> {
    this.entries.set(keyOf(entry.notifier, entry.notification.id), entry);
    return Promise.resolve();
  }

  remove(notifier: string, id: string): Promise<void> {
    this.entries.delete(keyOf(notifier, id));
    return Promise.resolve();
  }

  list(notifier: string): Promise<OutboxEntry[]> {
    return Promise.resolve(sortEntries([...this.entries.values()].filter((e) => e.notifier === notifier)));
  }

  listAll(): Promise<OutboxEntry[]> {
    return Promise.resolve(sortEntries([...this.entries.values()]));
  }
}

/** By notifier, then by id (ids start with their compose time, so this is oldest first). */
export function sortEntries(entries: OutboxEntry[]): OutboxEntry[] {
  return entries.sort(
    (a, b) => compareText(a.notifier, b.notifier) || compareText(a.notification.id, b.notification.id),
  );
}

function keyOf(notifier: string, id: string): string {
  return `${notifier}/${id}`;
}
