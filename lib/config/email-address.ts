import { validateDnsName } from './host-address.js';

/** RFC 5322 "atext" plus dots: the unquoted local parts people actually use. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;

/**
 * Checks an email address with deliberately simple rules: no whitespace, exactly one `@`, a non-empty local
 * part of ordinary characters, and a domain that is a valid DNS name (a dot-less domain such as
 * `localhost` is allowed, for local mail setups). Display names (`Ann <ann@example.com>`) and quoted local
 * parts are not supported.
 *
 * @returns a problem such as `must contain exactly one "@"`, or null when the address is acceptable
 */
export function validateEmailAddress(text: string): string | null {
  if (text === '') return 'is empty';
  if (/\s/.test(text)) return 'must not contain spaces or other whitespace';
  const parts = text.split('@');
  if (parts.length !== 2) return 'must contain exactly one "@"';
  const [local = '', domain = ''] = parts;
  if (local === '') return 'has nothing before the "@"';
  if (!LOCAL_PART.test(local)) return `has an unusual character before the "@" in "${local}"`;
  if (domain === '') return 'has nothing after the "@"';
  const domainProblem = validateDnsName(domain);
  return domainProblem === null ? null : `has an invalid domain "${domain}": it ${domainProblem}`;
}

/** True when `text` is a usable email address (see {@link validateEmailAddress}). */
export function isEmailAddress(text: string): boolean {
  return validateEmailAddress(text) === null;
}
