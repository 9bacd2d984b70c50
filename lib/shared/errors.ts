/** Base class of every error pingwarden raises on purpose; anything else is a bug. */
export class PingwardenError extends Error {
  override name = 'PingwardenError';
}

/**
 * Something the user can fix: a config mistake, a bad argument, a missing tool, an unwritable folder.
 * Commands print its message as one line and exit 2; never a stack trace.
 */
export class UserError extends PingwardenError {
  override name = 'UserError';
}

/**
 * The environment failed at run time in a way the user did not cause by a typo: a port could not be bound,
 * a tool crashed. Commands print its message as one line and exit 1.
 */
export class FaultError extends PingwardenError {
  override name = 'FaultError';
}

/** A message could not be delivered to a receiver (SMTP server, webhook); the outbox retries it. */
export class DeliveryError extends PingwardenError {
  override name = 'DeliveryError';

  constructor(
    message: string,
    options: {
      /** The HTTP status the receiver answered with, when it answered. */
      readonly status?: number;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? null;
  }

  /** The HTTP status the receiver answered with; null when there was no HTTP answer. */
  readonly status: number | null;
}

/** The receiver refused a message for now and said when to try again (HTTP 429 with Retry-After). */
export class RateLimitedError extends DeliveryError {
  override name = 'RateLimitedError';

  constructor(
    message: string,
    /** How long the receiver asked us to wait, in milliseconds. */
    readonly retryAfterMs: number,
    options: { readonly status?: number; readonly cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** The message of anything thrown, for a log line or a one-line error: `error.message`, or its text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One problem in one configuration file, printed as `config/hosts.csv:12: message`.
 * `line` is 0 when the problem concerns the file as a whole (missing, unreadable).
 */
export class ConfigError extends UserError {
  override name = 'ConfigError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${problem}` : `${file}: ${problem}`);
  }
}

/** Several configuration problems at once: validation collects them all before giving up. */
export class ConfigErrors extends UserError {
  override name = 'ConfigErrors';

  constructor(readonly problems: readonly ConfigError[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

/** A system tool pingwarden needs (such as `ping`) is not installed. */
export class MissingToolError extends UserError {
  override name = 'MissingToolError';

  constructor(
    readonly tool: string,
    readonly debianPackage: string,
  ) {
    super(`${tool} not found in PATH: install it with "apt-get install ${debianPackage}"`);
  }
}
