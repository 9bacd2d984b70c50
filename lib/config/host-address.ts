import { isIP } from 'node:net';

/** Longest DNS name in text form, without the optional trailing dot (RFC 1035). */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * Checks that a string is a host pingwarden may hand to `ping` and other tools: an IPv4 literal
 * (`192.0.2.1`), a bracket-free IPv6 literal (`2001:db8::1`), or a DNS name (`router.example.com`,
 * optionally with a trailing dot).
 *
 * The host is data, never an option or a shell word, so anything that could be read as one is refused:
 * a leading `-`, whitespace, and every character outside letters, digits, `.`, `-`, `_` and (IPv6) `:`.
 * Underscores are allowed in names because internal DNS (Active Directory, DHCP-registered names) uses
 * them and the system resolver accepts them, although RFC 1123 host names do not. IPv6 zone IDs
 * (`fe80::1%eth0`) and internationalised names in Unicode form are not accepted; write the `xn--` form.
 *
 * @returns a problem such as `must not start with "-"`, or null when the host is acceptable
 */
export function validateHostAddress(text: string): string | null {
  if (text === '') return 'is empty';
  if (text.startsWith('-')) return 'must not start with "-"';
  if (text.startsWith('[') && text.endsWith(']')) return 'write IPv6 addresses without brackets';
  const bad = firstForbiddenCharacter(text, /[A-Za-z0-9._:-]/);
  if (bad !== null) return bad;
  if (text.includes(':')) return isIP(text) === 6 ? null : 'is not a valid IPv6 address';
  // ping reads "10.1.1" as 10.1.0.1 (inet_aton), so a name made only of digits and dots must be real IPv4.
  // inet_aton also reads hex and short forms ("0x7f.1", "0x7f000001" are 127.0.0.1), so a name whose labels
  // are all numbers (decimal or 0x hex) looks like IPv4 and must be a complete dotted quad.
  if (looksLikeIpv4(text)) return isIP(text) === 4 ? null : 'is not a valid IPv4 address';
  return validateDnsName(text);
}

/**
 * Checks DNS name syntax: dot-separated labels of 1-63 letters, digits, `-` or `_`, not starting or ending
 * with `-`, at most 253 characters, optionally one trailing dot. A single label (`localhost`) is fine.
 *
 * @returns a problem, or null when the name is acceptable
 */
export function validateDnsName(text: string): string | null {
  if (text === '' || text === '.') return 'is empty';
  const bad = firstForbiddenCharacter(text, /[A-Za-z0-9._-]/);
  if (bad !== null) return bad;
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`;
  for (const label of name.split('.')) {
    if (label === '') return 'has an empty label (two dots in a row, or a leading dot)';
    if (label.length > MAX_LABEL_LENGTH) {
      return `has a label longer than ${MAX_LABEL_LENGTH} characters ("${label.slice(0, 20)}...")`;
    }
    if (label.startsWith('-')) return `has a label starting with "-" ("${label}")`;
    if (label.endsWith('-')) return `has a label ending with "-" ("${label}")`;
  }
  return null;
}

/**
 * A key under which two spellings of the same host compare equal: names are case-insensitive and the
 * trailing dot is optional; IPv6 literals are compared in canonical form (`0:0::1` equals `::1`).
 * Only meaningful for hosts that passed {@link validateHostAddress}.
 */
export function hostIdentity(host: string): string {
  if (isIP(host) === 6) return new URL(`http://[${host}]/`).hostname;
  const lower = host.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether this reads as an IPv4 address (inet_aton's forms included): every label decimal or `0x` hex. */
function looksLikeIpv4(text: string): boolean {
  return (text.endsWith('.') ? text.slice(0, -1) : text)
    .split('.')
    .every((label) => /^(?:[0-9]+|0x[0-9a-f]*)$/i.test(label));
}

function firstForbiddenCharacter(text: string, allowed: RegExp): string | null {
  for (const char of text) {
    if (allowed.test(char)) continue;
    if (/\s/.test(char)) return 'must not contain spaces or other whitespace';
    return `must not contain ${JSON.stringify(char)}`;
  }
  return null;
}
