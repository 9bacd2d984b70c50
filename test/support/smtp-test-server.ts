import { execFile } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const execFileAsync = promisify(execFile);

/** One message the server accepted, with how it arrived. */
export interface ReceivedMessage {
  readonly parsed: ParsedMail;
  /** SMTP envelope: MAIL FROM and every RCPT TO. */
  readonly envelope: { readonly from: string | null; readonly to: readonly string[] };
  /** The session was encrypted (implicit TLS or STARTTLS) when the message was sent. */
  readonly secure: boolean;
  /** The client upgraded with STARTTLS (as opposed to connecting with implicit TLS). */
  readonly startTls: boolean;
  /** The user the session authenticated as, if any. */
  readonly authUser: string | null;
  /** When the connection that carried it was accepted, and when the message was taken (ms since epoch). */
  readonly connectedAt: number;
  readonly receivedAt: number;
}

/** One AUTH attempt as the server saw it. */
export interface AuthAttempt {
  readonly method: string;
  readonly username: string;
  readonly password: string;
  readonly accepted: boolean;
  readonly secure: boolean;
}

/**
 * How to misbehave: `reject-connection` answers the greeting with 421 and hangs up, `reject-message` refuses
 * the DATA with 451, `drop` closes each new connection without a word.
 */
export type SmtpFailureMode = 'reject-connection' | 'reject-message' | 'drop';

/** How to set the test server up. */
export interface SmtpTestServerOptions {
  /** Login the server accepts; default `alerts@example.test` / `correct horse battery staple`. */
  readonly user?: string;
  readonly password?: string;
  /** Implicit TLS from the first byte (SMTPS, port 465 style) instead of STARTTLS. Default false. */
  readonly secure?: boolean;
  /** Offer STARTTLS (default true). Without it AUTH is allowed in clear text, as on some old relays. */
  readonly startTls?: boolean;
  /** Recipients refused at RCPT TO with 550, to test partial delivery. */
  readonly rejectRecipients?: readonly string[];
  /** Reply text for a failed AUTH; a misbehaving server can be made to quote what the client sent. */
  readonly authFailureText?: (attempt: { username: string; password: string }) => string;
  /** Listen on this port (e.g. to come back where a stopped server was); default a free one. */
  readonly port?: number;
  /** Listen on this address instead of 127.0.0.1 (a lab address, from inside the lab namespace). */
  readonly host?: string;
}

/** An error smtp-server answers with the given reply code. */
function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** A self-signed certificate for 127.0.0.1 and localhost. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

let certificate: Promise<TestCertificate> | undefined;

/**
 * A fresh self-signed certificate, made once per test run with the system `openssl`. smtp-server has a
 * built-in default certificate, but it expired in February 2025: a refusal test against it would pass
 * because of the date, not because nobody signed it.
 */
export function testCertificate(): Promise<TestCertificate> {
  certificate ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pingwarden-cert-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      await execFileAsync('openssl', [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ]).catch((error: unknown) => {
        throw new Error(`could not make a test certificate with openssl (apt-get install openssl): ${error}`);
      });
      return { key: await readFile(key, 'utf8'), cert: await readFile(cert, 'utf8') };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return certificate;
}

/**
 * A real SMTP server on 127.0.0.1 and a random port for tests: requires AUTH (PLAIN or LOGIN) with one
 * login, offers STARTTLS (or implicit TLS) with a self-signed certificate, and keeps every message it
 * accepted, parsed by mailparser.
 */
export class SmtpTestServer {
  /** The address it listens on: 127.0.0.1 unless `options.host` said otherwise. */
  readonly host: string;
  /** Every accepted message, in arrival order. */
  readonly messages: ReceivedMessage[] = [];
  readonly authAttempts: AuthAttempt[] = [];
  /** Errors the server reported (TLS handshakes the client aborted, dropped sockets...). */
  readonly errors: Error[] = [];
  /** Mode set with {@link SmtpTestServer.fail}; null when behaving. */
  failure: SmtpFailureMode | null = null;
  /** TCP connections accepted so far. */
  connectionCount = 0;

  private readonly arrivals = new EventEmitter();
  private readonly sockets = new Set<Socket>();
  private readonly startTlsSessions = new Set<string>();
  private readonly connectedAt = new Map<string, number>();

  private readonly server: SMTPServer;
  private listeningPort = 0;

  private constructor(
    options: SmtpTestServerOptions,
    /** PEM certificate the server presents. */
    readonly cert: string,
    key: string,
  ) {
    this.host = options.host ?? '127.0.0.1';
    const user = options.user ?? 'alerts@example.test';
    const password = options.password ?? 'correct horse battery staple';
    const implicitTls = options.secure ?? false;
    const startTls = options.startTls ?? true;

    this.server = new SMTPServer({
      secure: implicitTls,
      key,
      cert,
      name: 'smtp.pingwarden.test',
      authMethods: ['PLAIN', 'LOGIN'],
      hideSTARTTLS: !startTls,
      ...(!startTls && { disabledCommands: ['STARTTLS'], allowInsecureAuth: true }),
      disableReverseLookup: true,
      closeTimeout: 1000,
      logger: false,
      onConnect: (session, callback) => {
        this.connectedAt.set(session.id, Date.now());
        if (this.failure === 'reject-connection') {
          return callback(smtpError('Service not available, try later', 421));
        }
        callback();
      },
      onSecure: (_socket, session, callback) => {
        // Also called right after an implicit TLS handshake; only a clear-text start means STARTTLS.
        if (!implicitTls) this.startTlsSessions.add(session.id);
        callback();
      },
      onAuth: (auth, session, callback) => {
        const username = auth.username ?? '';
        const given = auth.password ?? '';
        const accepted = username === user && given === password;
        this.authAttempts.push({
          method: auth.method,
          username,
          password: given,
          accepted,
          secure: session.secure,
        });
        if (!accepted) {
          const text = options.authFailureText?.({ username, password: given }) ?? 'Authentication failed';
          return callback(smtpError(text, 535));
        }
        callback(null, { user: username });
      },
      onRcptTo: (address, _session, callback) => {
        if (options.rejectRecipients?.includes(address.address)) {
          return callback(smtpError('No such user here', 550));
        }
        callback();
      },
      onData: (stream, session, callback) => {
        if (this.failure === 'reject-message') {
          stream.resume();
          stream.once('end', () => callback(smtpError('Mailbox temporarily unavailable', 451)));
          return;
        }
        simpleParser(stream).then(
          (parsed) => {
            this.messages.push({
              parsed,
              envelope: {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              secure: session.secure,
              startTls: this.startTlsSessions.has(session.id),
              authUser: typeof session.user === 'string' ? session.user : null,
              connectedAt: this.connectedAt.get(session.id) ?? Number.NaN,
              receivedAt: Date.now(),
            });
            this.arrivals.emit('message');
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });
    this.server.on('error', (error: Error) => this.errors.push(error));
    // The raw net.Server: lets `drop` hang up before smtp-server says anything, and stop() end stragglers.
    this.server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      this.connectionCount += 1;
      socket.once('close', () => this.sockets.delete(socket));
      if (this.failure === 'drop') socket.destroy();
    });
  }

  /** Starts a server on 127.0.0.1 and a free port (or `options.port`) and resolves once it listens. */
  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    const { key, cert } = await testCertificate();
    const instance = new SmtpTestServer(options, cert, key);
    const net = instance.server.server;
    instance.server.listen(options.port ?? 0, instance.host);
    await once(net, 'listening');
    const address = net.address();
    if (address === null || typeof address === 'string') throw new Error('smtp test server has no TCP port');
    instance.listeningPort = address.port;
    return instance;
  }

  /** The TCP port it listens on. */
  get port(): number {
    return this.listeningPort;
  }

  /** Makes the server misbehave from now on, or behave again with `null`. */
  fail(mode: SmtpFailureMode | null): void {
    this.failure = mode;
  }

  /**
   * Resolves with the messages once at least `count` have arrived; rejects after `timeoutMs` naming what did
   * arrive. Wakes on each arrival instead of sleeping a fixed time.
   */
  waitForMessages(count: number, timeoutMs = 5000): Promise<ReceivedMessage[]> {
    if (this.messages.length >= count) return Promise.resolve([...this.messages]);
    return new Promise((resolve, reject) => {
      const onMessage = (): void => {
        if (this.messages.length < count) return;
        clearTimeout(timer);
        this.arrivals.off('message', onMessage);
        resolve([...this.messages]);
      };
      const timer = setTimeout(() => {
        this.arrivals.off('message', onMessage);
        const subjects = this.messages.map((m) => JSON.stringify(m.parsed.subject ?? '')).join(', ');
        const errors = this.errors.map((e) => e.message).join('; ');
        reject(
          new Error(
            `expected ${count} message(s) within ${timeoutMs} ms, got ${this.messages.length}` +
              (subjects ? `: ${subjects}` : '') +
              (errors ? ` (server errors: ${errors})` : ''),
          ),
        );
      }, timeoutMs);
      this.arrivals.on('message', onMessage);
    });
  }

  /** Stops listening and closes every connection still open; the port is free afterwards. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
