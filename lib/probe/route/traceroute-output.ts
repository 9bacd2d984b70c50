import { isIP } from 'node:net';

/** One probe answer at one hop. */
export interface HopReply {
  readonly address: string;
  /** The reverse DNS name traceroute printed; null with `-n` or when it had none. */
  readonly name: string | null;
  readonly rttMs: number;
  /** traceroute's `!H`, `!N`, `!X`... marker (host/network unreachable, prohibited), or null. */
  readonly annotation: string | null;
}

/** One line of traceroute output: what answered at one TTL. */
export interface Hop {
  readonly ttl: number;
  readonly replies: readonly HopReply[];
  /** Probes at this TTL that got no answer (`*`). */
  readonly lost: number;
}

/** A whole traceroute run. */
export interface TracerouteOutput {
  /** The address traceroute resolved the target to, from its first line; null if it printed none. */
  readonly destination: string | null;
  readonly hops: readonly Hop[];
}

const HEADER = /^traceroute6? to \S+ \(([^)]+)\)/m;
const HOP_LINE = /^\s*(\d+)\s+(.*)$/;

/**
 * Reads the text Debian's `traceroute` (LANG=C) prints: a header line, then one line per TTL such as
 * ` 3  198.51.100.1  1.204 ms  1.187 ms *` or ` 4  r1.example.net (203.0.113.9)  9.1 ms !H`. A line may name
 * several addresses when probes took different paths; each time belongs to the address before it.
 */
export function parseTracerouteOutput(text: string): TracerouteOutput {
  const destination = HEADER.exec(text)?.[1] ?? null;
  const hops: Hop[] = [];
  for (const line of text.split('\n')) {
    const match = HOP_LINE.exec(line);
    if (!match) continue;
    const tokens = (match[2] ?? '').trim().split(/\s+/);
    const replies: HopReply[] = [];
    let lost = 0;
    let address: string | null = null;
    let name: string | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] ?? '';
      if (token === '*') {
        lost++;
      } else if (/^[0-9.]+$/.test(token) && tokens[i + 1] === 'ms') {
        if (address !== null) replies.push({ address, name, rttMs: Number(token), annotation: null });
        i++;
      } else if (token.startsWith('!')) {
        const last = replies.at(-1);
        if (last) replies[replies.length - 1] = { ...last, annotation: token };
      } else if (token.startsWith('(') && token.endsWith(')') && isIP(token.slice(1, -1)) !== 0) {
        // "name (address)": the name came first, as the previous token.
        address = token.slice(1, -1);
      } else if (isIP(token) !== 0) {
        address = token;
        name = null;
      } else {
        name = token;
        address = null;
      }
    }
    hops.push({ ttl: Number(match[1]), replies, lost });
  }
  return { destination, hops };
}

/** The distinct addresses that answered at a hop, in order of appearance. */
export function hopAddresses(hop: Hop): string[] {
  return [...new Set(hop.replies.map((reply) => reply.address))];
}
