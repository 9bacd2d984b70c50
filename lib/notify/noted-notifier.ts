import type { Alert } from '../monitor/alert.js';
import type { AlertNotes } from './alert-notes.js';
import type { Notifier } from './notifier.js';

/** A notifier that adds the pending {@link AlertNotes} of the alert's host before handing it on. */
export class NotedNotifier implements Notifier {
  readonly name: string;

  constructor(
    private readonly inner: Notifier,
    private readonly notes: AlertNotes,
  ) {
    this.name = inner.name;
  }

  send(alert: Alert): Promise<void> {
    return this.inner.send(this.notes.attach(alert));
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }
}
