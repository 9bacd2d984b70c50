import { isIP } from 'node:net';

import { ConfigError } from '../shared/errors.js';
import { foreignSeparatorError, hasLineBreak, readCsvRows } from './csv-rows.js';
import { hostIdentity, validateHostAddress } from './host-address.js';
import { KNOWN_HOST_OPTIONS, parseHostOptions, type HostOptionValidator } from './host-options.js';
import { checkParents, resolveParents } from './host-parents.js';
import { ROUTE_CHECK_OPTIONS, routeCheckOf } from './route-check-options.js';
import { maskCredentials, serviceCheckOf, serviceSchemeOf } from './service-check.js';
import { SERVICE_CHECK_OPTIONS, type ServiceCheckOption } from './service-check-options.js';
import { DEFAULT_SETTINGS } from './settings-table.js';
import type { Check, DegradedOverrides, Target } from './target.js';
import type { HostRow } from './types.js';

/** The targets of hosts.csv and every problem found in it. */
export interface ParsedHosts {
  readonly targets: readonly Target[];
  readonly errors: readonly ConfigError[];
  /** Things that are allowed but probably a mistake (an unknown header row), as `file:line: ...`. */
  readonly warnings: readonly string[];
}

/** What parsing hosts.csv needs besides the text. */
export interface ParseHostsOptions {
  /** The accepted option keys; defaults to {@link KNOWN_HOST_OPTIONS}. */
  readonly knownOptions?: ReadonlyMap<string, HostOptionValidator>;
  /** The `attempts` setting: a route-checked row sends that many echo requests (or probes per hop). */
  readonly attempts?: number;
}

const COLUMNS = ['host', 'description', 'location', 'options'] as const;

/**
 * The URL of the module that holds the parser (in the bundle: the file it was bundled into). The hosts.csv
 * cache keys its entries by this file's size and time, so a parse cached by other code is never reused.
 */
export const PARSE_HOSTS_MODULE: string = import.meta.url;

/**
 * Parses hosts.csv: rows of `host,description,location[,options]` become typed {@link Target}s, every option
 * parsed once, here. A host that is a `tcp://`, `http(s)://`, `dns://` or `tls://` URL makes a service check
 * (service-check.ts) whose id is the URL with its password masked. description and location may be empty or missing. A first row whose first cell is
 * `host` or `hostIP` (any case) is a header and skipped. Duplicate hosts (names compared
 * case-insensitively) are errors pointing at the first occurrence. A file with no hosts at all is an error
 * too: there would be nothing to monitor.
 *
 * @param file the path shown in messages, e.g. `config/hosts.csv`
 */
export function parseHosts(text: string, file: string, options: ParseHostsOptions = {}): ParsedHosts {
  const knownOptions = options.knownOptions ?? KNOWN_HOST_OPTIONS;
  const attempts = options.attempts ?? DEFAULT_SETTINGS.attempts;
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  // Excel in many locales saves "CSV" with semicolons; one line saying so beats one error per row.
  const separator = foreignSeparatorError(rows, file);
  if (separator !== null) return { targets: [], errors: [...errors, separator], warnings: [] };
  const warnings: string[] = [];
  const headerWarning = unknownHeader(rows, file);
  if (headerWarning !== null) warnings.push(headerWarning);
  const hosts: HostRow[] = [];
  const checks = new Map<HostRow, Check>();
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

    const scheme = serviceSchemeOf(host);
    // A URL row is named by its URL with the password masked: that is what logs, alerts and history show.
    const id = scheme === null ? host : maskCredentials(host);
    const hostProblem =
      host === ''
        ? 'missing host (the first value)'
        : scheme !== null
          ? null
          : /^[a-z][a-z0-9+.-]*:\/\//i.test(host)
            ? 'unknown scheme (a URL row starts with tcp://, http://, https://, dns:// or tls://)'
            : validateHostAddress(host);
    if (hostProblem !== null) {
      problem(host === '' ? hostProblem : `invalid host ${JSON.stringify(id)}: ${hostProblem}`);
      usable = false;
    } else {
      const identity = scheme === null ? hostIdentity(host) : id;
      const firstLine = firstLineOf.get(identity);
      if (firstLine === undefined) firstLineOf.set(identity, line);
      else {
        problem(`duplicate host ${JSON.stringify(id)} (first listed on line ${firstLine})`);
        usable = false;
      }
    }
    const { options: rowOptions, problems } = parseHostOptions(optionText, knownOptions);
    problems.forEach((message) => problem(message));
    if (!usable || problems.length > 0) return;
    let check: Check;
    if (scheme !== null) {
      const routeKey = [...rowOptions.keys()].find((key) => key in ROUTE_CHECK_OPTIONS);
      if (routeKey !== undefined) {
        problem(`option "${routeKey}" applies only to hosts that are pinged, not to ${scheme}:// rows`);
        return;
      }
      const service = serviceCheckOf(host, scheme, rowOptions);
      if ('problems' in service) {
        service.problems.forEach((message) => problem(message));
        return;
      }
      check = service.check;
    } else {
      const serviceKey = [...rowOptions.keys()].find((key) => key in SERVICE_CHECK_OPTIONS);
      if (serviceKey !== undefined) {
        problem(
          `option "${serviceKey}" applies only to ` +
            `${SERVICE_CHECK_OPTIONS[serviceKey as ServiceCheckOption].map((s) => `${s}://`).join(' and ')} rows`,
        );
        return;
      }
      // Options that only make sense together (min-rtt below max-rtt) are judged here, once, at load.
      const route = routeCheckOf(host, rowOptions, attempts);
      if (route !== null && 'problems' in route) {
        route.problems.forEach((message) => problem(message));
        return;
      }
      check = route === null ? { kind: 'icmp' } : { kind: 'route', spec: route.spec };
    }
    const row: HostRow = { host: id, description, location, options: rowOptions, line };
    hosts.push(row);
    checks.set(row, check);
  });

  if (hosts.length === 0 && errors.length === 0) {
    errors.push(new ConfigError(file, 0, 'no hosts listed (add one per line: host,description,location)'));
  }
  const parents = resolveParents(hosts);
  errors.push(...checkParents(hosts, file, parents));
  // CSV syntax problems were found first; give everything in file order.
  errors.sort((a, b) => a.line - b.line);
  const targets = hosts.map((row): Target => {
    const lamp = row.options.get('lamp')?.toLowerCase();
    const loss = row.options.get('degraded-loss');
    const rtt = row.options.get('degraded-rtt');
    const degraded: DegradedOverrides = {
      ...(loss !== undefined && { lossPercent: Number(loss) }),
      ...(rtt !== undefined && { rttMs: Number(rtt) }),
    };
    return {
      id: row.host,
      label: { host: row.host, description: row.description, location: row.location },
      check: checks.get(row) ?? { kind: 'icmp' },
      parent: parents.get(row.host) ?? null,
      cyclePlug: row.options.get('cycle') ?? null,
      lamp: lamp === undefined ? null : lamp === 'yes',
      line: row.line,
      ...((loss !== undefined || rtt !== undefined) && { degraded }),
    };
  });
  return { targets, errors, warnings };
}

/**
 * A warning when the first row looks like a header pingwarden does not know (`IP,Name,Site`): its host is
 * not an address while every other row's is, so it would be monitored as a host named "IP".
 */
function unknownHeader(
  rows: readonly { line: number; cells: readonly string[] }[],
  file: string,
): string | null {
  const [first, ...rest] = rows;
  const host = first?.cells[0] ?? '';
  if (!first || rest.length === 0 || /^(host|hostip)$/i.test(host) || isIP(host) !== 0) return null;
  // A service URL is a real row, not a header.
  if (serviceSchemeOf(host) !== null) return null;
  if (!rest.every((row) => isIP(row.cells[0] ?? '') !== 0)) return null;
  return (
    `${file}:${first.line}: the first row's host ${JSON.stringify(host)} is not an address while the others ` +
    'are; if it is a header, name its first column "host" (host,description,location) or remove it'
  );
}
