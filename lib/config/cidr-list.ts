import { BlockList, isIP } from 'node:net';

/** One address range from a route check, such as `198.51.100.0/24` or a single gateway `192.0.2.1`. */
export interface Cidr {
  /** As written, for messages. */
  readonly text: string;
  readonly contains: (address: string) => boolean;
}

/**
 * Reads one CIDR range (`203.0.113.0/24`, `2001:db8::/32`) or a single address (taken as /32 or /128).
 * @returns the range, or a problem such as `"10.0.0.0/33" has a prefix length over 32`
 */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return `${JSON.stringify(text)} is not an IP address or CIDR range`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const maxBits = family === 4 ? 32 : 128;
  const bitsText = slash < 0 ? String(maxBits) : text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(bitsText)) return `${JSON.stringify(text)} has no valid prefix length after "/"`;
  const bits = Number(bitsText);
  if (bits > maxBits) return `${JSON.stringify(text)} has a prefix length over ${maxBits}`;
  // BlockList does the prefix arithmetic, for both families.
  const list = new BlockList();
  list.addSubnet(address, bits, type);
  return {
    text,
    contains: (candidate) => {
      const candidateFamily = isIP(candidate);
      return candidateFamily === family && list.check(candidate, type);
    },
  };
}

/**
 * Reads a comma-separated list of ranges, as in the `RouteIncludeCsv` header. Blank entries are ignored.
 * @returns the ranges, or the first problem
 */
export function parseCidrList(text: string): Cidr[] | string {
  const ranges: Cidr[] = [];
  for (const part of text.split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const parsed = parseCidr(entry);
    if (typeof parsed === 'string') return parsed;
    ranges.push(parsed);
  }
  if (ranges.length === 0) return 'lists no address or range';
  return ranges;
}
