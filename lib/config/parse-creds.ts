import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';

/** Environment variables that override creds.csv, so secrets can stay out of the config directory. */
export const SMTP_USER_ENV = 'PINGWARDEN_SMTP_USER';
export const SMTP_PASSWORD_ENV = 'PINGWARDEN_SMTP_PASSWORD';

/** SMTP login; both null means "no AUTH". */
export interface Creds {
  readonly username: string | null;
  readonly password: string | null;
}

/** The merged credentials and every problem found. */
export interface ParsedCreds {
  readonly creds: Creds;
  readonly errors: readonly ConfigError[];
  /** The line of the login row; 0 when the file has none. */
  readonly line: number;
}

/**
 * Parses creds.csv (one row `username,password`, optionally after a header row of those two words) and
 * applies the environment overrides {@link SMTP_USER_ENV} and {@link SMTP_PASSWORD_ENV}, each of which
 * replaces its half of the file when set and non-empty. A username without a password (or the reverse)
 * is an error. Quote a password that contains a comma or a quote, or starts or ends with a space.
 *
 * @param text the file's content, or null when creds.csv does not exist
 * @param file the path shown in messages, e.g. `config/creds.csv`
 * @param env the environment to read the overrides from (the caller passes process.env)
 */
export function parseCreds(text: string | null, file: string, env: NodeJS.ProcessEnv): ParsedCreds {
  const errors: ConfigError[] = [];
  let username: string | null = null;
  let password: string | null = null;
  let line = 0;

  if (text !== null) {
    const { rows: allRows, errors: csvErrors } = readCsvRows(text, file);
    errors.push(...csvErrors);
    const header = allRows[0]?.cells.join(',').toLowerCase() === 'username,password';
    const [row, ...extra] = header ? allRows.slice(1) : allRows;
    if (row) {
      line = row.line;
      for (const other of extra) {
        errors.push(
          new ConfigError(file, other.line, `only one row is allowed (the login is on line ${line})`),
        );
      }
      // Echoing a broken password in a message would leak it into logs; say where, not what.
      if (row.cells.length > 2) {
        errors.push(
          new ConfigError(
            file,
            line,
            'too many values: expected "username,password" (quote a password with commas)',
          ),
        );
      } else if (row.cells.some(hasLineBreak)) {
        errors.push(new ConfigError(file, line, 'line breaks are not allowed in the username or password'));
      } else {
        username = row.cells[0] || null;
        password = row.cells[1] || null;
      }
    }
  }

  const envUser = env[SMTP_USER_ENV];
  const envPassword = env[SMTP_PASSWORD_ENV];
  if (envUser !== undefined && envUser !== '') username = envUser;
  if (envPassword !== undefined && envPassword !== '') password = envPassword;

  if (errors.length === 0 && (username === null) !== (password === null)) {
    const [given, missing, variable] =
      username === null
        ? ['password', 'username', SMTP_USER_ENV]
        : ['username', 'password', SMTP_PASSWORD_ENV];
    const message = `SMTP ${given} is set but the ${missing} is missing (give "username,password" or set ${variable})`;
    errors.push(new ConfigError(file, line, message));
  }
  return { creds: { username, password }, errors, line };
}
