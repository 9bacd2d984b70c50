import type { SmtpConfig } from '../config/types.js';
import type { Alert } from '../monitor/alert.js';
import type { EmailNotifier } from './email-notifier.js';
import type { Notifier } from './notifier.js';

/**
 * Email that follows config reloads: each alert goes out with the SMTP settings of the configuration in
 * force, and the transport is rebuilt when a reload brings new settings. With no SMTP configured it does
 * nothing (the log notifier still records every alert).
 */
export class ConfigFollowingEmail implements Notifier {
  readonly name = 'email';
  private smtp: SmtpConfig | null = null;
  private email: EmailNotifier | null = null;

  constructor(
    private readonly currentSmtp: () => SmtpConfig | null,
    private readonly build: (smtp: SmtpConfig) => EmailNotifier,
  ) {}

  async send(alert: Alert): Promise<void> {
    const smtp = this.currentSmtp();
    if (smtp !== this.smtp) {
      this.email?.close();
      this.email = smtp ? this.build(smtp) : null;
      this.smtp = smtp;
    }
    await this.email?.send(alert);
  }

  close(): void {
    this.email?.close();
    this.email = null;
    this.smtp = null;
  }
}
