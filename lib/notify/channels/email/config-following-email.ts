import type { SmtpConfig } from '../../../config/types.js';
import { EmailDeliveryError } from './email-delivery-error.js';
import type { EmailNotifier } from './email-notifier.js';
import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';

/**
 * Email that follows config reloads: each message goes out with the SMTP settings of the configuration in
 * force, and the transport is rebuilt when a reload brings new settings. With no SMTP configured it is
 * disabled: the outbox queues nothing for it (the log notifier still records every alert).
 */
export class ConfigFollowingEmail implements Notifier {
  private smtp: SmtpConfig | null = null;
  private email: EmailNotifier | null = null;

  constructor(
    private readonly currentSmtp: () => SmtpConfig | null,
    private readonly build: (smtp: SmtpConfig) => EmailNotifier,
    /** `sms` for the short form to email-to-SMS gateways (built with `form: 'sms'`). */
    readonly name: 'email' | 'sms' = 'email',
  ) {}

  /** Email is on while server_info.csv exists (and the config is valid). */
  enabled(): boolean {
    return this.currentSmtp() !== null;
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const smtp = this.currentSmtp();
    if (smtp !== this.smtp) {
      this.email?.close();
      this.email = smtp ? this.build(smtp) : null;
      this.smtp = smtp;
    }
    // A message queued while email was configured stays queued (and may expire) until it is again.
    if (!this.email) throw new EmailDeliveryError('email is not configured any more', { server: 'none' });
    await this.email.sendNotification(notification, context);
  }

  close(): void {
    this.email?.close();
    this.email = null;
    this.smtp = null;
  }
}
