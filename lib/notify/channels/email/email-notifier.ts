import type { SendMailOptions, SMTPTransportOptions } from 'nodemailer';
import type { Clock } from '../../../shared/clock.js';
import type { SmtpConfig } from '../../../config/types.js';
import type { Log } from '../../../shared/log.js';
import { testMessageText } from '../../alert-text.js';
import type { MessageText } from '../../alert-text.js';
import { EmailDeliveryError, toEmailDeliveryError } from './email-delivery-error.js';
import type { Notification } from '../../notification.js';
import { kindCounts, notificationText } from '../../notification-text.js';
import { smsText } from '../../sms-text.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';

/** What the notifier needs from a nodemailer transport; tests may pass their own through the factory. */
export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<{ messageId: string; rejected?: readonly unknown[] }>;
  close(): void;
}

/** Builds the transport from the options {@link transportOptions} computed. */
export type TransportFactory = (options: SMTPTransportOptions) => MailTransport;

/**
 * nodemailer's SMTP transport, the package loaded at the first message: a run that sends no email (most
 * cron runs) never loads it, which saves a twentieth of a second of CPU and a few MB per run.
 */
function nodemailerTransport(options: SMTPTransportOptions): MailTransport {
  let transport: Promise<MailTransport> | null = null;
  return {
    async sendMail(message) {
      transport ??= import('nodemailer').then(({ createTransport }) => createTransport(options));
      return (await transport).sendMail(message);
    },
    close() {
      // A transport that never loaded has nothing to close (its failure reached the sender already).
      transport?.then((loaded) => loaded.close()).catch(() => undefined);
    },
  };
}

/** Everything {@link EmailNotifier} is built from. */
export interface EmailNotifierOptions {
  readonly smtp: SmtpConfig;
  readonly log: Log;
  /** IANA zone for local times in messages; default the system zone. */
  readonly timeZone?: string;
  /** Default: nodemailer's SMTP transport. */
  readonly transportFactory?: TransportFactory;
  /** Only `now` is used, for the time in the test message; default the system clock. */
  readonly clock?: Pick<Clock, 'now'>;
  /**
   * `sms`: the short form for email-to-SMS gateways (subject only, at most 160 characters), sent to the
   * `sms:` recipients, under the notifier name `sms`. Default `full`: the email, under the name `email`.
   */
  readonly form?: 'full' | 'sms';
}

/**
 * Nodemailer options for an {@link SmtpConfig}. Port 465 means implicit TLS (SMTPS); any other port starts
 * in clear text and upgrades with STARTTLS whenever the server offers it (nodemailer's default, kept on
 * purpose: `ignoreTLS` is never set). The certificate is checked unless `allowSelfSigned`. Credentials are
 * sent only when a username is configured. One timeout covers connecting, the greeting and each later
 * read, so a dead server fails a send within `timeoutSeconds` rather than nodemailer's minutes.
 */
export function transportOptions(smtp: SmtpConfig): SMTPTransportOptions {
  const timeoutMs = smtp.timeoutSeconds * 1000;
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.port === 465,
    tls: { rejectUnauthorized: !smtp.allowSelfSigned },
    ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  };
}

/**
 * Sends one email per alert to all recipients at once (one message, every address in To:, so replies reach
 * everyone). Sends run one after another: a burst of alerts must not open dozens of SMTP connections, which
 * servers answer by refusing some of them.
 */
export class EmailNotifier implements Notifier {
  readonly name: 'email' | 'sms';

  private readonly smtp: SmtpConfig;
  private readonly log: Log;
  private readonly timeZone: string | undefined;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly transport: MailTransport;
  private readonly server: string;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  /** @throws RangeError when `timeZone` is not a zone this system knows, so a typo shows at start-up. */
  constructor(options: EmailNotifierOptions) {
    this.smtp = options.smtp;
    this.name = options.form === 'sms' ? 'sms' : 'email';
    this.log = options.log;
    this.timeZone = options.timeZone;
    if (this.timeZone !== undefined) new Intl.DateTimeFormat('en-US', { timeZone: this.timeZone });
    this.clock = options.clock ?? { now: () => new Date() };
    this.server = `${options.smtp.host}:${options.smtp.port}`;
    const factory = options.transportFactory ?? nodemailerTransport;
    this.transport = factory(transportOptions(options.smtp));
  }

  /**
   * Emails one outbox message (a single alert or a digest); rejects with an {@link EmailDeliveryError}
   * (password masked) when it was not accepted. Its Message-ID is derived from the notification
   * id, so a copy sent again after a crash between sending and marking it sent is recognisably the same
   * message.
   */
  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const zone = this.timeZone === undefined ? {} : { timeZone: this.timeZone };
    // Routed messages carry their addresses; the others go to email_recipients.csv as it is now.
    const to =
      notification.recipients ??
      (this.name === 'sms' ? (this.smtp.smsRecipients ?? []) : this.smtp.recipients);
    const text: MessageText =
      this.name === 'sms'
        ? { subject: smsText(notification, zone), text: '' }
        : notificationText(notification, context, zone);
    const kinds = kindCounts(notification.alerts);
    const [only] = notification.alerts;
    const messageId = await this.deliver(
      text,
      { 'X-Pingwarden-Kind': notification.alerts.length === 1 && only ? only.kind : 'DIGEST' },
      emailMessageId(notification.id),
      [],
      to,
    );
    this.log.debug(`${this.name} sent`, {
      kinds,
      recipients: to.length,
      message_id: messageId,
    });
  }

  /** Sends the `pingwarden test-email` message and returns the Message-ID the server accepted. */
  async sendTest(): Promise<{ messageId: string }> {
    const text = testMessageText(
      {
        server: this.server,
        from: this.smtp.from,
        recipients: this.smtp.recipients,
        sentAt: this.clock.now(),
      },
      this.timeZone === undefined ? {} : { timeZone: this.timeZone },
    );
    const messageId = await this.deliver(text, { 'X-Pingwarden-Kind': 'TEST' });
    this.log.info('test email sent', { recipients: this.smtp.recipients.length, message_id: messageId });
    return { messageId };
  }

  /**
   * Sends a report (`report --email`, `report_schedule`): `text` in the body, `attachments` attached (the
   * HTML report). Returns the Message-ID the server accepted.
   */
  async sendReport(
    text: MessageText,
    attachments: readonly {
      readonly filename: string;
      readonly content: string;
      readonly contentType: string;
    }[],
  ): Promise<{ messageId: string }> {
    const messageId = await this.deliver(text, { 'X-Pingwarden-Kind': 'REPORT' }, undefined, attachments);
    this.log.info('report email sent', { recipients: this.smtp.recipients.length, message_id: messageId });
    return { messageId };
  }

  /** Releases the transport; later sends reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
  }

  private deliver(
    text: MessageText,
    headers: Record<string, string>,
    messageId?: string,
    attachments: readonly { filename: string; content: string; contentType: string }[] = [],
    to: readonly string[] = this.smtp.recipients,
  ): Promise<string> {
    if (this.closed) return Promise.reject(this.failure('the email notifier is closed'));
    if (to.length === 0) return Promise.reject(this.failure('no email recipients configured'));

    const attempt = async (): Promise<string> => {
      let info: Awaited<ReturnType<MailTransport['sendMail']>>;
      try {
        info = await this.transport.sendMail({
          from: { name: 'pingwarden', address: this.smtp.from },
          to: [...to],
          subject: text.subject,
          text: text.text,
          // RFC 3834: keeps vacation responders from answering an alert.
          headers: { 'Auto-Submitted': 'auto-generated', ...headers },
          ...(messageId !== undefined && { messageId }),
          ...(attachments.length > 0 && { attachments: attachments.map((one) => ({ ...one })) }),
        });
      } catch (error) {
        throw toEmailDeliveryError(error, this.server, this.smtp);
      }
      // The server took the message if it accepted at least one recipient; the others need a human.
      if (info.rejected && info.rejected.length > 0) {
        this.log.warn('email recipients rejected', { rejected: info.rejected.map(String).join(',') });
      }
      return info.messageId;
    };
    const result = this.queue.then(attempt);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private failure(problem: string): EmailDeliveryError {
    return new EmailDeliveryError(`email via ${this.server} failed: ${problem}`, { server: this.server });
  }
}

/** The Message-ID of the email for outbox message `id`: the same on every attempt. */
export function emailMessageId(id: string): string {
  return `<${id}@pingwarden>`;
}
