import { isIP } from 'node:net';

import { DNS_TYPES, HTTP_METHODS } from './target.js';

/**
 * The hosts.csv option keys of service checks (rows whose host is a `tcp://`, `http(s)://`, `dns://` or
 * `tls://` URL), each with the schemes it applies to. A key given on a row of another kind is an error
 * naming the kinds it belongs to, so a typo in the first cell does not silently drop a condition.
 *
 * - `method:HEAD`            http(s): HEAD instead of GET
 * - `status:200,204`         http(s): the accepted statuses (default any 2xx or 3xx)
 * - `keyword:TEXT`           http(s): the body's first MB contains TEXT (`%20` for a space)
 * - `not-keyword:TEXT`       http(s): the body's first MB does not contain TEXT
 * - `max-redirects:N`        http(s): redirects followed, 0-20 (default 5)
 * - `ca:FILE`                https, tls: trust the CA certificates of this PEM file (relative to config/)
 * - `insecure:yes`           https, tls: do not verify the certificate (expiry is still read)
 * - `cert-days:N`            https, tls: a certificate expiring in less than N days fails the check
 * - `type:AAAA`              dns: the record type (default A, or `?type=` in the URL)
 * - `expect:ADDRESS`         dns: one of the answers equals this
 */
export const SERVICE_CHECK_OPTIONS = {
  method: ['http', 'https'],
  status: ['http', 'https'],
  keyword: ['http', 'https'],
  'not-keyword': ['http', 'https'],
  'max-redirects': ['http', 'https'],
  ca: ['https', 'tls'],
  insecure: ['https', 'tls'],
  'cert-days': ['https', 'tls'],
  type: ['dns'],
  expect: ['dns'],
} as const satisfies Record<string, readonly ServiceScheme[]>;

/** The URL schemes that make a hosts.csv row a service check. */
export const SERVICE_SCHEMES = ['tcp', 'http', 'https', 'dns', 'tls'] as const;

/** One of {@link SERVICE_SCHEMES}. */
export type ServiceScheme = (typeof SERVICE_SCHEMES)[number];

/** One of {@link SERVICE_CHECK_OPTIONS}' keys. */
export type ServiceCheckOption = keyof typeof SERVICE_CHECK_OPTIONS;

const MAX_KEYWORD_LENGTH = 1024;

/** `keyword:` text with `%XX` escapes decoded (a space cannot be written inside one option token). */
export function decodeKeyword(value: string): string | { readonly problem: string } {
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    return { problem: `has a broken %-escape in ${JSON.stringify(value)} (write a space as %20, % as %25)` };
  }
  if (text.length > MAX_KEYWORD_LENGTH)
    return { problem: `must be at most ${MAX_KEYWORD_LENGTH} characters` };
  return text;
}

function integerIn(min: number, max: number, what: string): (value: string) => string | null {
  return (value) =>
    /^[0-9]{1,6}$/.test(value) && Number(value) >= min && Number(value) <= max
      ? null
      : `must be ${what} from ${min} to ${max}, got ${JSON.stringify(value)}`;
}

/** `status:200,204`: HTTP statuses 100-599. */
export function parseStatusList(value: string): readonly number[] | string {
  const parts = value.split(',');
  const statuses: number[] = [];
  for (const part of parts) {
    if (!/^[1-5][0-9]{2}$/.test(part)) {
      return `must be HTTP statuses (100-599) separated by commas, got ${JSON.stringify(part)}`;
    }
    statuses.push(Number(part));
  }
  return statuses;
}

/**
 * The value check of each service-check key, for the hosts.csv option registry (host-options.ts). Whether a
 * key fits the row's scheme is judged with the whole row (service-check.ts).
 */
export const SERVICE_CHECK_VALIDATORS: ReadonlyMap<ServiceCheckOption, (value: string) => string | null> =
  new Map<ServiceCheckOption, (value: string) => string | null>([
    [
      'method',
      (value) =>
        (HTTP_METHODS as readonly string[]).includes(value.toUpperCase())
          ? null
          : `must be ${HTTP_METHODS.join(' or ')}, got ${JSON.stringify(value)}`,
    ],
    [
      'status',
      (value) => (typeof parseStatusList(value) === 'string' ? (parseStatusList(value) as string) : null),
    ],
    ['keyword', (value) => keywordProblem(value)],
    ['not-keyword', (value) => keywordProblem(value)],
    ['max-redirects', integerIn(0, 20, 'a whole number')],
    [
      'ca',
      (value) =>
        value.length > 0 && value.length <= 255 && !value.includes('\0')
          ? null
          : 'must name a PEM file (relative to the config folder)',
    ],
    [
      'insecure',
      (value) => (/^(yes|no)$/i.test(value) ? null : `must be yes or no, got ${JSON.stringify(value)}`),
    ],
    ['cert-days', integerIn(1, 3650, 'a number of days')],
    [
      'type',
      (value) =>
        (DNS_TYPES as readonly string[]).includes(value.toUpperCase())
          ? null
          : `must be one of ${DNS_TYPES.join(', ')}, got ${JSON.stringify(value)}`,
    ],
    [
      'expect',
      (value) =>
        isIP(value) !== 0 || /^[A-Za-z0-9._-]{1,253}$/.test(value)
          ? null
          : `must be an address or a name, got ${JSON.stringify(value)}`,
    ],
  ]);

function keywordProblem(value: string): string | null {
  const decoded = decodeKeyword(value);
  return typeof decoded === 'string' ? null : decoded.problem;
}
