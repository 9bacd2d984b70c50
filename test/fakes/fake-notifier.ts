import type { Alert, AlertSink } from '../../lib/monitor/alert.js';

/** Records alerts; can be told to fail, to test that a failing notifier never stops the monitor. */
export class FakeNotifier implements AlertSink {
  readonly sent: Alert[] = [];
  failWith: Error | null = null;

  constructor(readonly name = 'fake') {}

  async send(alert: Alert): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push(alert);
  }

  /** `KIND host` for each alert, the compact form tests compare against. */
  get summary(): string[] {
    return this.sent.map((a) => `${a.kind} ${a.target.host}`);
  }
}
