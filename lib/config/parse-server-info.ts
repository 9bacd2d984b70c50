import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { validateHostAddress } from './host-address.js';

/** The SMTP server named by server_info.csv. */
export interface ServerInfo {
  readonly host: string;
  readonly port: number;
}

/** The server of server_info.csv (null when the file has no usable row) and every problem found in it. */
export interface ParsedServerInfo {
  readonly server: ServerInfo | null;
  readonly errors: readonly ConfigError[];
}

const FORMAT = 'expected one row "server_address,port", e.g. "smtp.example.com,587"';

/**
 * Parses server_info.csv: exactly one row `server_address,port`, optionally after a header row of those two
 * words. The address follows the host rules of hosts.csv; the port is an integer from 1 to 65535.
 *
 * @param file the path shown in messages, e.g. `config/server_info.csv`
 */
export function parseServerInfo(text: string, file: string): ParsedServerInfo {
  const { rows: allRows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const header = allRows[0]?.cells.join(',').toLowerCase() === 'server_address,port';
  const rows = header ? allRows.slice(1) : allRows;
  const [row, ...extra] = rows;
  if (!row) {
    if (errors.length === 0) {
      errors.push(
        new ConfigError(file, 0, `no server listed (${FORMAT}); delete the file to log alerts only`),
      );
    }
    return { server: null, errors };
  }
  for (const other of extra) {
    errors.push(
      new ConfigError(file, other.line, `only one row is allowed (the server is on line ${row.line})`),
    );
  }

  const problem = (message: string): void => void errors.push(new ConfigError(file, row.line, message));
  const { cells } = row;
  if (cells.some(hasLineBreak)) {
    problem('line breaks are not allowed in the server address or port');
    return { server: null, errors };
  }
  if (cells.length !== 2) {
    problem(cells.length < 2 ? `missing port (${FORMAT})` : `too many values (${FORMAT})`);
    return { server: null, errors };
  }
  const [host = '', portText = ''] = cells;
  const hostProblem = host === '' ? 'is empty' : validateHostAddress(host);
  if (hostProblem !== null) problem(`invalid server address ${JSON.stringify(host)}: ${hostProblem}`);
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  const portOk = port >= 1 && port <= 65535;
  if (!portOk) problem(`port must be an integer from 1 to 65535, got ${JSON.stringify(portText)}`);
  return { server: hostProblem === null && portOk ? { host, port } : null, errors };
}
