/** Base class of every error pingwarden raises on purpose; anything else is a bug. */
export class PingwardenError extends Error {
  override name = 'PingwardenError';
}

/**
 * One problem in one configuration file, printed as `config/hosts.csv:12: message`.
 * `line` is 0 when the problem concerns the file as a whole (missing, unreadable).
 */
export class ConfigError extends PingwardenError {
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
export class ConfigErrors extends PingwardenError {
  override name = 'ConfigErrors';

  constructor(readonly problems: readonly ConfigError[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

/** A system tool pingwarden needs (such as `ping`) is not installed. */
export class MissingToolError extends PingwardenError {
  override name = 'MissingToolError';

  constructor(
    readonly tool: string,
    readonly debianPackage: string,
  ) {
    super(`${tool} not found in PATH: install it with "apt-get install ${debianPackage}"`);
  }
}
