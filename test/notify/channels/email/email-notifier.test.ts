import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer';
import type { SmtpConfig } from '../../../../lib/config/types.js';
import type { Log } from '../../../../lib/shared/log.js';
import type { Alert, AlertKind } from '../../../../lib/monitor/alert.js';
import { EmailDeliveryError } from '../../../../lib/notify/channels/email/email-delivery-error.js';
import { DeliveryError } from '../../../../lib/shared/errors.js';
import { EmailNotifier, transportOptions } from '../../../../lib/notify/channels/email/email-notifier.js';
import type {
  MailTransport,
  TransportFactory,
} from '../../../../lib/notify/channels/email/email-notifier.js';
import { composeNotification } from '../../../../lib/notify/notification.js';
import { FakeLog } from '../../../fakes/fake-log.js';
import { SmtpTestServer } from '../../../support/smtp-test-server.js';

const USER = 'alerts@example.test';
const PASSWORD = 'Tr0ub4dor&3-not-in-any-log';
const RECIPIENTS = ['noc@example.test', 'oncall@example.test', 'boss@example.test'];

const silentLog: Log = { debug() {}, info() {}, warn() {}, error() {} };

function smtpConfig(port: number, overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    host: '127.0.0.1',
    port,
    username: USER,
    password: PASSWORD,
    from: 'pingwarden@example.test',
    recipients: RECIPIENTS,
    allowSelfSigned: true,
    timeoutSeconds: 5,
    ...overrides,
  };
}

function alert(kind: AlertKind, durationMs: number): Alert {
  const downSince = new Date('2026-11-22T13:05:09Z');
  return {
    kind,
    target: { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' },
    downSince,
    at: new Date(downSince.getTime() + durationMs),
    durationMs,
    attempts: 3,
    lastRttMs: 0.42,
  };
}

let sentCount = 0;

/** Emails one alert the way the outbox hands it over: a one-alert notification, first attempt. */
function sendAlert(notifier: EmailNotifier, event: Alert): Promise<void> {
  const batch = {
    at: event.at,
    alerts: [event],
    hosts: 1,
    down: event.kind === 'RESTORED' ? [] : [event.target],
    unreachable: 0,
  };
  return notifier.sendNotification(composeNotification(batch, `test-${++sentCount}`), {
    now: event.at,
    attempt: 1,
  });
}

/**
 * Expects `promise` to reject with an EmailDeliveryError (a DeliveryError, so the outbox retries it) that
 * keeps no `cause`: nodemailer's error may hold the credentials, and loggers print causes in full.
 */
async function rejection(promise: Promise<unknown>): Promise<EmailDeliveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(EmailDeliveryError);
    expect(error).to.be.instanceOf(DeliveryError);
    expect((error as Error).cause).to.equal(undefined);
    return error as EmailDeliveryError;
  }
  expect.fail('expected the send to reject');
}

/** Every way the error could reach a log or a user: none may show the password. */
function expectNoPassword(error: EmailDeliveryError): void {
  for (const text of [
    error.message,
    String(error),
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error),
  ]) {
    expect(text).not.to.include(PASSWORD);
    expect(text).not.to.include(Buffer.from(PASSWORD).toString('base64'));
  }
}

describe('EmailNotifier', function () {
  this.timeout(20_000);

  describe('transportOptions', () => {
    it('uses implicit TLS on 465 only', () => {
      expect(transportOptions(smtpConfig(465)).secure).to.equal(true);
      for (const port of [25, 587, 2525]) expect(transportOptions(smtpConfig(port)).secure).to.equal(false);
    });

    it('never turns STARTTLS off, checks certificates unless self-signed is allowed, times out', () => {
      expect(transportOptions(smtpConfig(587, { allowSelfSigned: false, timeoutSeconds: 7 }))).to.deep.equal({
        host: '127.0.0.1',
        port: 587,
        secure: false,
        tls: { rejectUnauthorized: true },
        auth: { user: USER, pass: PASSWORD },
        connectionTimeout: 7000,
        greetingTimeout: 7000,
        socketTimeout: 7000,
        dnsTimeout: 7000,
      });
      expect(transportOptions(smtpConfig(587)).tls).to.deep.equal({ rejectUnauthorized: false });
    });

    it('logs in only when a username is configured', () => {
      expect(transportOptions(smtpConfig(25, { username: null, password: null }))).not.to.have.property(
        'auth',
      );
    });
  });

  describe('against a real SMTP server with STARTTLS and AUTH', () => {
    let server: SmtpTestServer;
    let notifier: EmailNotifier | undefined;

    beforeEach(async () => {
      server = await SmtpTestServer.start({ user: USER, password: PASSWORD });
    });
    afterEach(async () => {
      notifier?.close();
      notifier = undefined;
      await server.stop();
    });

    let log: FakeLog;
    function make(overrides: Partial<SmtpConfig> = {}, factory?: TransportFactory): EmailNotifier {
      log = new FakeLog();
      notifier = new EmailNotifier({
        smtp: smtpConfig(server.port, overrides),
        log,
        timeZone: 'Europe/Berlin',
        ...(factory && { transportFactory: factory }),
      });
      return notifier;
    }

    it('delivers DOWN, REMINDER and RESTORED with their subjects, over STARTTLS, as the configured user', async () => {
      const email = make();
      expect(email.name).to.equal('email');
      await sendAlert(email, alert('DOWN', 180_000));
      await sendAlert(email, alert('REMINDER', 3_600_000));
      await sendAlert(email, alert('RESTORED', 754_000));

      const messages = await server.waitForMessages(3, 5000);
      expect(messages.map((m) => m.parsed.subject)).to.deep.equal([
        '[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6 MDF 101',
        '[pingwarden] REMINDER Cisco Router (10.1.1.254) — Bldg 6 MDF 101 down for 1h 0m',
        '[pingwarden] RESTORED Cisco Router (10.1.1.254) — Bldg 6 MDF 101 after 12m 34s',
      ]);
      for (const message of messages) {
        expect(message.secure, 'TLS').to.equal(true);
        expect(message.startTls, 'upgraded with STARTTLS').to.equal(true);
        expect(message.authUser).to.equal(USER);
      }
      expect(server.authAttempts.every((a) => a.accepted && a.secure)).to.equal(true);

      const down = messages[0]!.parsed;
      expect(down.text).to.include('Down since:        2026-11-22 14:05:09 CET\n');
      expect(down.text).to.include('Down since (UTC):  2026-11-22T13:05:09Z\n');
      expect(down.text).to.include('Last RTT:          0.42 ms\n');
      expect(down.headers.get('x-pingwarden-kind')).to.equal('DOWN');
      expect(down.headers.get('auto-submitted')).to.equal('auto-generated');
      expect(log.lines[0]).to.equal(
        `DEBUG email sent kinds="1 DOWN" recipients=3 message_id=${down.messageId}`,
      );
    });

    it('sends a routed message to its own recipients, and the sms form subject-only to sms: addresses', async () => {
      const email = make({ smsRecipients: ['5551234@txt.example.test'] });
      const down = alert('DOWN', 0);
      const batch = { at: down.at, alerts: [down], hosts: 1, down: [down.target], unreachable: 0 };
      await email.sendNotification(
        { ...composeNotification(batch, 'routed-1'), recipients: ['b7-admin@example.test'] },
        { now: down.at, attempt: 1 },
      );
      notifier = new EmailNotifier({
        smtp: smtpConfig(server.port, { smsRecipients: ['5551234@txt.example.test'] }),
        log,
        timeZone: 'Europe/Berlin',
        form: 'sms',
      });
      expect(notifier.name).to.equal('sms');
      // Without recipients of its own it goes to the sms: addresses of email_recipients.csv.
      await notifier.sendNotification(composeNotification(batch, 'sms-1'), { now: down.at, attempt: 1 });
      const [routed, texted] = await server.waitForMessages(2, 5000);
      expect(routed!.envelope.to).to.deep.equal(['b7-admin@example.test']);
      expect(routed!.parsed.subject).to.equal('[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6 MDF 101');
      expect(texted!.envelope.to).to.deep.equal(['5551234@txt.example.test']);
      expect(texted!.parsed.subject).to.equal('DOWN Cisco Router (10.1.1.254) since 14:05');
      expect((texted!.parsed.text ?? '').trim()).to.equal('');
      email.close();
    });

    it('delivers to the recipients the server accepts and warns about the others', async () => {
      await server.stop();
      server = await SmtpTestServer.start({
        user: USER,
        password: PASSWORD,
        rejectRecipients: [RECIPIENTS[1]!],
      });
      await sendAlert(make(), alert('DOWN', 0));
      const [message] = await server.waitForMessages(1, 5000);
      expect(message!.envelope.to).to.deep.equal([RECIPIENTS[0], RECIPIENTS[2]]);
      expect(log.matching('WARN')).to.deep.equal([
        `WARN email recipients rejected rejected=${RECIPIENTS[1]}`,
      ]);
    });

    it('sends one message with all three recipients in one To: list, from the configured address', async () => {
      await sendAlert(make(), alert('DOWN', 0));
      const [message] = await server.waitForMessages(1, 5000);
      const parsed = message!.parsed;

      const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
      expect(to).to.have.length(1, 'one To: header');
      expect(to[0]!.value.map((a) => a.address)).to.deep.equal(RECIPIENTS);
      expect(message!.envelope.to).to.deep.equal(RECIPIENTS);
      expect(parsed.from?.value).to.deep.equal([{ address: 'pingwarden@example.test', name: 'pingwarden' }]);
      expect(message!.envelope.from).to.equal('pingwarden@example.test');
      expect(server.messages).to.have.length(1);
    });

    it('sends the test email and returns its Message-ID', async () => {
      const { messageId } = await make().sendTest();
      const [message] = await server.waitForMessages(1, 5000);
      expect(message!.parsed.subject).to.equal('[pingwarden] Test email');
      expect(message!.parsed.messageId).to.equal(messageId);
      expect(message!.parsed.text).to.include(`SMTP server:    127.0.0.1:${server.port}\n`);
      expect(message!.parsed.text).to.include(`To:             ${RECIPIENTS.join(', ')}\n`);
      expect(message!.parsed.text).not.to.include(PASSWORD);
    });

    it('refuses the self-signed certificate when allowSelfSigned is false', async () => {
      const error = await rejection(sendAlert(make({ allowSelfSigned: false }), alert('DOWN', 0)));
      // nodemailer files a refused certificate under ESOCKET, keeping Node's code as originalCode.
      expect(error.details).to.include({ code: 'ESOCKET', originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      expect(error.message).to.equal(
        `email via 127.0.0.1:${server.port} failed (ESOCKET): self-signed certificate ` +
          '(the server certificate is not signed by a known authority; if that is expected, ' +
          'set smtp_allow_self_signed,yes in settings.csv)',
      );
      expect(server.messages).to.have.length(0);
      expect(server.authAttempts, 'credentials never sent').to.have.length(0);
    });

    it('rejects a wrong password without ever showing the password', async () => {
      const wrong = `${PASSWORD}-wrong`;
      const error = await rejection(sendAlert(make({ password: wrong }), alert('DOWN', 0)));
      expect(error.details).to.include({ code: 'EAUTH', responseCode: 535 });
      expect(error.message).to.match(/failed \(EAUTH\): Invalid login: 535/);
      expect(server.authAttempts.map((a) => a.password)).to.deep.equal([wrong]);
      for (const text of [error.message, inspect(error), JSON.stringify(error)]) {
        expect(text).not.to.include(wrong);
        expect(text).not.to.include(PASSWORD);
      }
      expect(server.messages).to.have.length(0);
    });

    it('masks the password even when the server quotes it back', async () => {
      await server.stop();
      server = await SmtpTestServer.start({
        user: USER,
        password: 'something else',
        authFailureText: ({ password }) =>
          `bad credentials ${password} / ${Buffer.from(`\0${USER}\0${password}`).toString('base64')}`,
      });
      // Keep nodemailer's own error to show the masking is not vacuous.
      const raw: unknown[] = [];
      const spying: TransportFactory = (options: SMTPTransportOptions): MailTransport => {
        const real = createTransport(options);
        return {
          sendMail: (message) =>
            real.sendMail(message).catch((error: unknown) => {
              raw.push(error);
              throw error;
            }),
          close: () => real.close(),
        };
      };

      const error = await rejection(sendAlert(make({}, spying), alert('DOWN', 0)));
      expect(String(raw[0])).to.include(PASSWORD);
      expectNoPassword(error);
      expect(error.message).to.include('bad credentials ****');
      expect(error.details.response).to.match(/^535 bad credentials \*\*\*\* \/ \*\*\*\*/);
    });

    it('rejects when the server refuses the message, and works again afterwards', async () => {
      const email = make();
      server.fail('reject-message');
      const error = await rejection(sendAlert(email, alert('DOWN', 0)));
      expect(error.details).to.include({ responseCode: 451 });
      expectNoPassword(error);

      server.fail(null);
      await sendAlert(email, alert('RESTORED', 60_000));
      const [message] = await server.waitForMessages(1, 5000);
      expect(message!.parsed.subject).to.match(/RESTORED .* after 1m 0s$/);
    });

    it('rejects when the server turns the connection away or hangs up', async () => {
      const email = make();
      server.fail('reject-connection');
      const refused = await rejection(sendAlert(email, alert('DOWN', 0)));
      expect(refused.message).to.include('421');

      server.fail('drop');
      const dropped = await rejection(sendAlert(email, alert('DOWN', 0)));
      expect(dropped.details.code).to.be.oneOf(['ECONNECTION', 'ESOCKET']);
      expect(server.messages).to.have.length(0);
    });

    it('sends a burst of alerts one connection at a time', async () => {
      const email = make();
      await Promise.all(
        [1, 2, 3, 4, 5].map((minutes) => sendAlert(email, alert('REMINDER', minutes * 3_600_000))),
      );
      const messages = await server.waitForMessages(5, 10_000);
      expect(messages.map((m) => m.parsed.subject?.replace(/.* down for /, ''))).to.deep.equal([
        '1h 0m',
        '2h 0m',
        '3h 0m',
        '4h 0m',
        '5h 0m',
      ]);
      // Each connection opened only after the server had taken the previous message.
      for (let i = 1; i < messages.length; i++) {
        expect(messages[i]!.connectedAt).to.be.at.least(messages[i - 1]!.receivedAt);
      }
    });

    it('rejects after close', async () => {
      const email = make();
      email.close();
      const error = await rejection(sendAlert(email, alert('DOWN', 0)));
      expect(error.message).to.match(/closed/);
      expect(server.connectionCount).to.equal(0);
    });

    it('speaks implicit TLS when the config says port 465', async () => {
      await server.stop();
      server = await SmtpTestServer.start({ user: USER, password: PASSWORD, secure: true });
      // The options are built for port 465; only the port to dial is redirected to the test server's.
      const redirect: TransportFactory = (options) => createTransport({ ...options, port: server.port });
      await sendAlert(make({ port: 465 }, redirect), alert('DOWN', 0));
      const [message] = await server.waitForMessages(1, 5000);
      expect(message!.secure).to.equal(true);
      expect(message!.startTls).to.equal(false);
      expect(message!.authUser).to.equal(USER);
    });
  });

  describe('when the server is unreachable', () => {
    let notifier: EmailNotifier | undefined;
    let silent: Server | undefined;
    const held = new Set<Socket>();

    afterEach(async () => {
      notifier?.close();
      notifier = undefined;
      for (const socket of held) socket.destroy();
      held.clear();
      if (silent) await new Promise<void>((resolve) => silent!.close(() => resolve()));
      silent = undefined;
    });

    it('rejects on a closed port without throwing synchronously', async () => {
      const stopped = await SmtpTestServer.start();
      const port = stopped.port;
      await stopped.stop();

      notifier = new EmailNotifier({ smtp: smtpConfig(port, { timeoutSeconds: 2 }), log: silentLog });
      const started = Date.now();
      let pending: Promise<void> | undefined;
      expect(() => {
        pending = sendAlert(notifier!, alert('DOWN', 0));
      }).not.to.throw();
      const error = await rejection(pending!);
      expect(Date.now() - started).to.be.below(2000);
      expect(error.details).to.include({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' });
      expect(error.message).to.equal(
        `email via 127.0.0.1:${port} failed (ESOCKET): connect ECONNREFUSED 127.0.0.1:${port}`,
      );
      expectNoPassword(error);
    });

    it('gives up within timeoutSeconds when the server accepts but never greets', async () => {
      silent = createServer((socket) => held.add(socket));
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      const { port } = silent.address() as AddressInfo;

      notifier = new EmailNotifier({ smtp: smtpConfig(port, { timeoutSeconds: 1 }), log: silentLog });
      const started = Date.now();
      const error = await rejection(sendAlert(notifier, alert('DOWN', 0)));
      const elapsed = Date.now() - started;
      expect(elapsed).to.be.at.least(900);
      expect(elapsed).to.be.below(5000);
      expect(error.details.code).to.equal('ETIMEDOUT');
    });
  });

  it('refuses an unknown time zone at construction', () => {
    expect(
      () => new EmailNotifier({ smtp: smtpConfig(2525), log: silentLog, timeZone: 'Nowhere/Special' }),
    ).to.throw(RangeError);
  });
});
