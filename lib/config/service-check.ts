import { isIP } from 'node:net';

import { validateDnsName, validateHostAddress } from './host-address.js';
import {
  decodeKeyword,
  parseStatusList,
  SERVICE_CHECK_OPTIONS,
  SERVICE_SCHEMES,
  type ServiceCheckOption,
  type ServiceScheme,
} from './service-check-options.js';
import { DNS_TYPES, type Check, type DnsType, type TlsTrust } from './target.js';

/** Redirects an http(s) row follows when it does not say `max-redirects:`. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** A password in a URL (`scheme://user:PASSWORD@`), wherever it occurs in a text. */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi;

/**
 * `text` with every URL password replaced by `***` (`https://admin:***@intranet/`), for the target id and
 * every log line and message that may quote a URL. The user name stays: it tells rows apart.
 */
export function maskCredentials(text: string): string {
  return text.replace(URL_PASSWORD, '$1:***@');
}

/** Whether a hosts.csv host cell is a service URL (`tcp://`, `http://`, `https://`, `dns://`, `tls://`). */
export function serviceSchemeOf(cell: string): ServiceScheme | null {
  const match = /^([a-z]+):\/\//i.exec(cell);
  const scheme = match?.[1]?.toLowerCase();
  return (SERVICE_SCHEMES as readonly string[]).includes(scheme ?? '') ? (scheme as ServiceScheme) : null;
}

/** A parsed service row: its id (the cell, credentials masked) and its check. */
export interface ServiceRow {
  readonly id: string;
  readonly check: Check;
}

/**
 * Parses a hosts.csv row whose host cell is a service URL, with its options, into a typed check. Every
 * problem comes back worded for `config/hosts.csv:LINE: ...`, quoting the URL with its password masked.
 * The `ca:` file is only named here; the loader reads it (ca-files.ts).
 */
export function serviceCheckOf(
  cell: string,
  scheme: ServiceScheme,
  options: ReadonlyMap<string, string>,
): ServiceRow | { readonly problems: readonly string[] } {
  const id = maskCredentials(cell);
  const problems: string[] = [];
  const invalid = (why: string) => ({ problems: [`invalid URL ${JSON.stringify(id)}: ${why}`] });
  // A URL is data handed to a socket, never a shell word: no whitespace, no control characters.
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(cell)) return invalid('must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(cell);
  } catch {
    return invalid(`not a URL (expected ${exampleOf(scheme)})`);
  }
  for (const key of options.keys()) {
    const schemes = SERVICE_CHECK_OPTIONS[key as ServiceCheckOption] as readonly ServiceScheme[] | undefined;
    if (schemes !== undefined && !schemes.includes(scheme)) {
      problems.push(`option "${key}" applies only to ${schemes.map((s) => `${s}://`).join(' and ')} rows`);
    }
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const hostProblem = host === '' ? 'has no host' : validateHostAddress(host);
  if (hostProblem !== null) problems.push(`invalid URL ${JSON.stringify(id)}: host ${hostProblem}`);
  if (scheme !== 'http' && scheme !== 'https' && (url.username !== '' || url.password !== '')) {
    problems.push(`invalid URL ${JSON.stringify(id)}: ${scheme}:// takes no user or password`);
  }
  if (options.has('ca') && options.get('insecure')?.toLowerCase() === 'yes') {
    problems.push('give option "ca" or "insecure:yes", not both');
  }
  if (
    options.get('method')?.toUpperCase() === 'HEAD' &&
    (options.has('keyword') || options.has('not-keyword'))
  ) {
    problems.push('a keyword needs a body: method:HEAD gets none');
  }
  if (url.hash !== '') problems.push(`invalid URL ${JSON.stringify(id)}: remove the #fragment`);
  if (problems.length > 0) return { problems };

  switch (scheme) {
    case 'tcp':
    case 'tls': {
      const port = portOf(url, scheme === 'tls' ? 443 : null);
      if (port === null) return invalid(`needs a port (${exampleOf(scheme)})`);
      if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '') {
        return invalid(`takes no path or query (${exampleOf(scheme)})`);
      }
      if (scheme === 'tcp') return { id, check: { kind: 'tcp', host, port } };
      return { id, check: { kind: 'tls', host, port, tls: trustOf(options), certDays: certDaysOf(options) } };
    }
    case 'http':
    case 'https': {
      const statusText = options.get('status');
      const statuses = statusText === undefined ? null : parseStatusList(statusText);
      const keyword = keywordOf(options, 'keyword');
      const notKeyword = keywordOf(options, 'not-keyword');
      const redirects = options.get('max-redirects');
      return {
        id,
        check: {
          kind: 'http',
          url: cell,
          method: options.get('method')?.toUpperCase() === 'HEAD' ? 'HEAD' : 'GET',
          // Validated by the option table, so a string cannot come back here.
          statuses: typeof statuses === 'string' ? null : statuses,
          keyword,
          notKeyword,
          maxRedirects: redirects === undefined ? DEFAULT_MAX_REDIRECTS : Number(redirects),
          tls: trustOf(options),
          certDays: scheme === 'https' ? certDaysOf(options) : null,
        },
      };
    }
    case 'dns':
      return dnsCheckOf(url, id, host, options);
  }
}

function dnsCheckOf(
  url: URL,
  id: string,
  server: string,
  options: ReadonlyMap<string, string>,
): ServiceRow | { readonly problems: readonly string[] } {
  const invalid = (why: string) => ({ problems: [`invalid URL ${JSON.stringify(id)}: ${why}`] });
  // The resolver is pointed at this one server; a name would need the system resolver to find it first.
  if (isIP(server) === 0) return invalid(`the DNS server must be an IP address (${exampleOf('dns')})`);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (name === '') return invalid(`names no record to ask for (${exampleOf('dns')})`);
  const nameProblem = validateDnsName(name);
  if (nameProblem !== null) return invalid(`name ${JSON.stringify(name)} ${nameProblem}`);
  const queryKeys = [...url.searchParams.keys()];
  const unknown = queryKeys.find((key) => key !== 'type');
  if (unknown !== undefined) return invalid(`unknown query parameter "${unknown}" (only type=)`);
  const queryType = url.searchParams.get('type');
  const optionType = options.get('type');
  if (queryType !== null && optionType !== undefined) {
    return { problems: ['give the record type once: ?type= in the URL or option "type", not both'] };
  }
  const typeText = (queryType ?? optionType ?? 'A').toUpperCase();
  if (!(DNS_TYPES as readonly string[]).includes(typeText)) {
    return invalid(`type must be one of ${DNS_TYPES.join(', ')}, got ${JSON.stringify(queryType)}`);
  }
  return {
    id,
    check: {
      kind: 'dns',
      server,
      port: portOf(url, 53) ?? 53,
      name,
      type: typeText as DnsType,
      expect: options.get('expect') ?? null,
    },
  };
}

function portOf(url: URL, fallback: number | null): number | null {
  // A non-special scheme (tcp://) keeps any port the parser accepts; 0 is no port to connect to.
  if (url.port === '') return fallback;
  const port = Number(url.port);
  return port >= 1 && port <= 65535 ? port : null;
}

function trustOf(options: ReadonlyMap<string, string>): TlsTrust {
  const file = options.get('ca');
  return {
    insecure: options.get('insecure')?.toLowerCase() === 'yes',
    ca: file === undefined ? null : { file, pem: null },
  };
}

function certDaysOf(options: ReadonlyMap<string, string>): number | null {
  const days = options.get('cert-days');
  return days === undefined ? null : Number(days);
}

function keywordOf(options: ReadonlyMap<string, string>, key: 'keyword' | 'not-keyword'): string | null {
  const value = options.get(key);
  if (value === undefined) return null;
  const decoded = decodeKeyword(value);
  return typeof decoded === 'string' ? decoded : null;
}

function exampleOf(scheme: ServiceScheme): string {
  const examples: Record<ServiceScheme, string> = {
    tcp: 'tcp://HOST:PORT',
    tls: 'tls://HOST:PORT',
    http: 'http://HOST[:PORT]/PATH',
    https: 'https://HOST[:PORT]/PATH',
    dns: 'dns://SERVER-IP[:PORT]/NAME?type=A',
  };
  return examples[scheme];
}
