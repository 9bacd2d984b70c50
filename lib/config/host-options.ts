import { validateHostAddress } from './host-address.js';
import { ROUTE_CHECK_VALIDATORS } from './route-check-options.js';
import { SERVICE_CHECK_VALIDATORS } from './service-check-options.js';

/**
 * Checks the value of one hosts.csv option (the part after `key:`).
 * @returns a problem that reads on from `option "cycle" `, e.g. `must name a plug in kasa.csv`, or null
 * when the value is fine
 */
export type HostOptionValidator = (value: string) => string | null;

/**
 * The option keys hosts.csv accepts in its 4th column, each with its value check. Every feature that adds
 * a key (`cycle`, `parent`, ...) adds one entry here, and the parser, error messages and docs pick it up.
 */
export const KNOWN_HOST_OPTIONS: ReadonlyMap<string, HostOptionValidator> = new Map<
  string,
  HostOptionValidator
>([
  // Power-cycle the named Kasa plug when this host is DOWN; every host naming the same plug must be DOWN.
  ['cycle', (value) => (value.length <= 64 ? null : 'must be a plug name of at most 64 characters')],
  // Whether this host's outages light the indicator lamp (by default every host does).
  ['lamp', (value) => (/^(yes|no)$/i.test(value) ? null : `must be yes or no, got ${JSON.stringify(value)}`)],
  // parent:<host>: the host this one sits behind; that it is listed too is checked across rows (host-parents.ts).
  ['parent', (value) => (validateHostAddress(value) === null ? null : `must name a host of hosts.csv`)],
  // degraded-loss:PCT / degraded-rtt:MS: this host's DEGRADED thresholds (0 = off for this host).
  ['degraded-loss', (value) => wholeNumber(value, 0, 100, 'a loss percentage')],
  ['degraded-rtt', (value) => wholeNumber(value, 0, 600000, 'milliseconds')],
  ...ROUTE_CHECK_VALIDATORS,
  ...SERVICE_CHECK_VALIDATORS,
]);

/** Null when `value` is a whole number from `min` to `max`, else the problem. */
function wholeNumber(value: string, min: number, max: number, what: string): string | null {
  const number = /^[0-9]{1,7}$/.test(value) ? Number(value) : NaN;
  if (number >= min && number <= max) return null;
  return `must be ${what} from ${min} to ${max}, got ${JSON.stringify(value)}`;
}

/** The options of one row, and what is wrong with them. */
export interface ParsedHostOptions {
  readonly options: ReadonlyMap<string, string>;
  readonly problems: readonly string[];
}

/**
 * Parses the options column of hosts.csv: space-separated `key:value` tokens. The value is everything after
 * the first `:`, so it may itself contain colons (an IPv6 parent). Keys are case-sensitive.
 *
 * @param known the accepted keys; tests pass their own
 */
export function parseHostOptions(
  text: string,
  known: ReadonlyMap<string, HostOptionValidator> = KNOWN_HOST_OPTIONS,
): ParsedHostOptions {
  const options = new Map<string, string>();
  const problems: string[] = [];
  // The usual row has no options: no need to split and filter an empty text.
  if (text === '') return { options, problems };
  for (const token of text.split(/\s+/).filter((t) => t !== '')) {
    const colon = token.indexOf(':');
    if (colon < 0) {
      problems.push(`option "${token}" is not key:value`);
      continue;
    }
    const key = token.slice(0, colon);
    const value = token.slice(colon + 1);
    if (key === '') {
      problems.push(`option "${token}" has no key before ":"`);
      continue;
    }
    const validate = known.get(key);
    if (!validate) {
      problems.push(`unknown option "${key}" (${describeKnown(known)})`);
      continue;
    }
    if (options.has(key)) {
      problems.push(`option "${key}" is given twice`);
      continue;
    }
    if (value === '') {
      problems.push(`option "${key}" has no value after ":"`);
      continue;
    }
    const problem = validate(value);
    if (problem !== null) {
      problems.push(`option "${key}" ${problem}`);
      continue;
    }
    options.set(key, value);
  }
  return { options, problems };
}

function describeKnown(known: ReadonlyMap<string, HostOptionValidator>): string {
  if (known.size === 0) return 'no options are known yet';
  return `known options: ${[...known.keys()].sort().join(', ')}`;
}
