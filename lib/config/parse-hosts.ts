import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { hostIdentity, validateHostAddress } from './host-address.js';
import { KNOWN_HOST_OPTIONS, parseHostOptions, type HostOptionValidator } from './host-options.js';
import { checkParents } from './host-parents.js';
import type { HostEntry } from './types.js';

/** The hosts of hosts.csv and every problem found in it. */
export interface ParsedHosts {
  readonly hosts: readonly HostEntry[];
  readonly errors: readonly ConfigError[];
}

const COLUMNS = ['host', 'description', 'location', 'options'] as const;

/**
 * Parses hosts.csv: rows of `host,description,location[,options]`. description and location may be
 * empty or missing. A first row whose first cell is `host` or `hostIP` (any case) is a header and skipped.
 * Duplicate hosts (names compared case-insensitively) are errors pointing at the first occurrence.
 * A file with no hosts at all is an error too: there would be nothing to monitor.
 *
 * @param file the path shown in messages, e.g. `config/hosts.csv`
 * @param knownOptions the accepted option keys; defaults to {@link KNOWN_HOST_OPTIONS}
 */
export function parseHosts(
  text: string,
  file: string,
  knownOptions: ReadonlyMap<string, HostOptionValidator> = KNOWN_HOST_OPTIONS,
): ParsedHosts {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const hosts: HostEntry[] = [];
  const firstLineOf = new Map<string, number>();

  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && /^(host|hostip)$/i.test(cells[0] ?? '')) return;
    if (cells.length > COLUMNS.length) {
      problem(
        `too many values (${cells.length}): expected host,description,location[,options]; ` +
          'put a value that contains commas in double quotes',
      );
      return;
    }
    const [host = '', description = '', location = '', optionText = ''] = cells;
    let usable = true;
    cells.forEach((cell, column) => {
      if (hasLineBreak(cell)) {
        problem(`line breaks are not allowed in the ${COLUMNS[column] ?? 'value'}`);
        usable = false;
      }
    });
    if (!usable) return;

    const hostProblem = host === '' ? 'missing host (the first value)' : validateHostAddress(host);
    if (hostProblem !== null) {
      problem(host === '' ? hostProblem : `invalid host ${JSON.stringify(host)}: ${hostProblem}`);
      usable = false;
    } else {
      const identity = hostIdentity(host);
      const firstLine = firstLineOf.get(identity);
      if (firstLine === undefined) firstLineOf.set(identity, line);
      else {
        problem(`duplicate host ${JSON.stringify(host)} (first listed on line ${firstLine})`);
        usable = false;
      }
    }
    const { options, problems } = parseHostOptions(optionText, knownOptions);
    problems.forEach((message) => problem(message));
    if (usable && problems.length === 0) hosts.push({ host, description, location, options, line });
  });

  if (hosts.length === 0 && errors.length === 0) {
    errors.push(new ConfigError(file, 0, 'no hosts listed (add one per line: host,description,location)'));
  }
  errors.push(...checkParents(hosts, file));
  // CSV syntax problems were found first; give everything in file order.
  errors.sort((a, b) => a.line - b.line);
  return { hosts, errors };
}
