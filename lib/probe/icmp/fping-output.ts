/** What fping 5 said about one target of a run in its default mode with `-e`. */
export type FpingRecord =
  /** `host is alive (0.05 ms)` on stdout. */
  | { readonly kind: 'alive'; readonly host: string; readonly rttMs: number }
  /** `host is unreachable` on stdout: no reply to any request. */
  | { readonly kind: 'unreachable'; readonly host: string }
  /** `host: error while sending ping: Network is unreachable` on stderr: the request never left. */
  | { readonly kind: 'send-error'; readonly host: string; readonly reason: string }
  /** `host: Name or service not known` on stderr: the target was dropped before anything was sent. */
  | { readonly kind: 'address-error'; readonly host: string; readonly reason: string };

const ALIVE = /^(\S+) is alive \(([0-9]+(?:\.[0-9]+)?) ms\)/;
const UNREACHABLE = /^(\S+) is unreachable$/;
const SEND_ERROR = 'error while sending ping: ';

/**
 * Reads fping's per-target lines (LC_ALL=C). Only lines naming one of `hosts` count: fping also prints ICMP
 * errors ("ICMP Host Unreachable from ... for ICMP Echo sent to ..."), duplicates ("host : duplicate for
 * [0] ...") and its own fatal messages ("fping: ..."), none of which decide a target's result. A target
 * listed twice gets one line per listing.
 */
export function parseFpingOutput(stdout: string, stderr: string, hosts: ReadonlySet<string>): FpingRecord[] {
  const records: FpingRecord[] = [];
  for (const line of stdout.split('\n')) {
    const alive = ALIVE.exec(line);
    if (alive !== null) {
      const [, host = '', rtt = ''] = alive;
      if (hosts.has(host)) records.push({ kind: 'alive', host, rttMs: Number(rtt) });
      continue;
    }
    const host = UNREACHABLE.exec(line)?.[1];
    if (host !== undefined && hosts.has(host)) records.push({ kind: 'unreachable', host });
  }
  for (const line of stderr.split('\n')) {
    // Hosts never contain ": " (validated), so the first one ends the target; IPv6 colons are not followed
    // by a space.
    const split = line.indexOf(': ');
    if (split <= 0) continue;
    const host = line.slice(0, split);
    if (!hosts.has(host)) continue;
    const message = line.slice(split + 2).trim();
    if (message.startsWith(SEND_ERROR)) {
      records.push({ kind: 'send-error', host, reason: message.slice(SEND_ERROR.length).trim() });
    } else if (message !== '') {
      records.push({ kind: 'address-error', host, reason: message });
    }
  }
  return records;
}

/** One target's summary line of `fping -C N`: the RTT of each of its N requests, null for no reply. */
export interface FpingCountRecord {
  readonly host: string;
  readonly rtts: readonly (number | null)[];
}

// `127.0.0.1   : 0.046 - 0.042` on stderr: fping pads the name to the longest target's width.
const COUNT_SUMMARY = /^(\S+) +: ((?:[0-9]+(?:\.[0-9]+)?|-)(?: (?:[0-9]+(?:\.[0-9]+)?|-))*) *$/;

/**
 * Reads the per-target summary lines fping prints on stderr at the end of a `-C` (count) run, in output
 * order (a target listed twice gets two lines). Only targets in `hosts` count; a name that did not
 * resolve has no summary line (its error line is read by {@link parseFpingOutput}).
 */
export function parseFpingCounts(stderr: string, hosts: ReadonlySet<string>): FpingCountRecord[] {
  const records: FpingCountRecord[] = [];
  for (const line of stderr.split('\n')) {
    const match = COUNT_SUMMARY.exec(line);
    if (match === null) continue;
    const [, host = '', values = ''] = match;
    if (!hosts.has(host)) continue;
    records.push({ host, rtts: values.split(' ').map((value) => (value === '-' ? null : Number(value))) });
  }
  return records;
}
