import { DeliveryError, errorMessage } from '../../../shared/errors.js';

/** SMTP details kept from the underlying failure, all free of credentials. */
export interface EmailFailureDetails {
  /** `host:port` of the SMTP server. */
  readonly server: string;
  /** Nodemailer's error code, e.g. `EAUTH`, `ECONNECTION`, `ETLS`, `ETIMEDOUT`. */
  readonly code?: string;
  /** The system or TLS code beneath `code`, e.g. `ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly originalCode?: string;
  /** SMTP reply code when the server answered, e.g. 535. */
  readonly responseCode?: number;
  /** The SMTP command that failed, e.g. `AUTH PLAIN`, secrets masked. */
  readonly command?: string;
  /** The server's reply, secrets masked. */
  readonly response?: string;
}

/**
 * An email could not be delivered to the SMTP server. The message and details never contain the SMTP
 * password: nodemailer masks what it sends, but it appends the server's reply to its messages and a server
 * may echo the credentials back. For the same reason the original error is never kept as `cause` (the
 * constructor takes none and passes none to {@link DeliveryError}): nodemailer's error carries the raw
 * command and reply, possibly with the password or its base64 forms, and loggers and `util.inspect` print
 * causes in full. The masked fields in `details` are what survives. `status` stays null: SMTP is not HTTP;
 * the SMTP reply code is `details.responseCode`.
 */
export class EmailDeliveryError extends DeliveryError {
  override name = 'EmailDeliveryError';

  constructor(
    message: string,
    readonly details: EmailFailureDetails,
  ) {
    super(message);
  }
}

/** The SMTP login as {@link toEmailDeliveryError} needs it to mask the password. */
export interface SmtpCredentials {
  readonly username: string | null;
  readonly password: string | null;
}

/**
 * Wraps whatever nodemailer rejected with into an {@link EmailDeliveryError} whose message reads
 * `email via smtp.example.com:587 failed (EAUTH): Invalid login: 535 ...`, with the password masked in every
 * form it travels in on the wire (plain, base64 for AUTH LOGIN, base64 of the AUTH PLAIN token, URL-encoded).
 */
export function toEmailDeliveryError(
  error: unknown,
  server: string,
  login: SmtpCredentials,
): EmailDeliveryError {
  const secrets = secretForms(login);
  const mask = (text: string): string => redact(text, secrets);
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const original = errorMessage(error);
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const originalCode = typeof fields.originalCode === 'string' ? fields.originalCode : undefined;

  const details: EmailFailureDetails = {
    server,
    ...(code !== undefined && { code }),
    ...(originalCode !== undefined && { originalCode }),
    ...(typeof fields.responseCode === 'number' && { responseCode: fields.responseCode }),
    ...(typeof fields.command === 'string' && { command: mask(fields.command) }),
    ...(typeof fields.response === 'string' && { response: mask(fields.response) }),
  };
  const hint = originalCode !== undefined && UNTRUSTED_CERTIFICATE.has(originalCode) ? SELF_SIGNED_HINT : '';
  return new EmailDeliveryError(
    `email via ${server} failed${code ? ` (${code})` : ''}: ${mask(original)}${hint}`,
    details,
  );
}

/** Node's codes for a certificate no known authority signed: what a self-signed server gives. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

const SELF_SIGNED_HINT =
  ' (the server certificate is not signed by a known authority; if that is expected, ' +
  'set smtp_allow_self_signed,yes in settings.csv)';

function secretForms({ username, password }: SmtpCredentials): string[] {
  if (!password) return [];
  const user = username ?? '';
  const base64 = [password, `\0${user}\0${password}`, `${user}\0${user}\0${password}`].map((plain) =>
    Buffer.from(plain, 'utf8').toString('base64'),
  );
  // Unpadded too: a server quoting the token may drop the `=`.
  const forms = new Set([
    password,
    encodeURIComponent(password),
    ...base64,
    ...base64.map((b) => b.replace(/=+$/, '')),
  ]);
  // Longest first, so a form that contains another is masked whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('****');
  return out;
}
