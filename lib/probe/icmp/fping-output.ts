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

const ALIVE = ' is alive (';
const ALIVE_END = ' ms)';
const DECIMAL = /^[0-9]+(?:\.[0-9]+)?$/;
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
  eachFpingRecord(stdout, stderr, hosts, (record) => records.push(record));
  return records;
}

/**
 * {@link parseFpingOutput} record by record, in the same order, without the list: a round of 10,000 hosts
 * is read line by line with no array of lines or of records held while it is read (those outlived the
 * young generation and made the collector copy them).
 */
export function eachFpingRecord(
  stdout: string,
  stderr: string,
  hosts: ReadonlySet<string>,
  visit: (record: FpingRecord) => void,
): void {
  eachLine(stdout, (line) => {
    // `host is alive (0.05 ms)`, read with indexOf: the most frequent line, one per answering host.
    const alive = line.indexOf(ALIVE);
    if (alive > 0) {
      const from = alive + ALIVE.length;
      const to = line.indexOf(ALIVE_END, from);
      const rtt = to === -1 ? '' : line.slice(from, to);
      const host = line.slice(0, alive);
      // Hosts never contain whitespace (validated), so one of `hosts` is fping's whole first field.
      if (DECIMAL.test(rtt)) {
        if (hosts.has(host)) visit({ kind: 'alive', host, rttMs: Number(rtt) });
        return;
      }
    }
    const host = UNREACHABLE.exec(line)?.[1];
    if (host !== undefined && hosts.has(host)) visit({ kind: 'unreachable', host });
  });
  eachLine(stderr, (line) => {
    // Hosts never contain ": " (validated), so the first one ends the target; IPv6 colons are not followed
    // by a space.
    const split = line.indexOf(': ');
    if (split <= 0) return;
    const host = line.slice(0, split);
    if (!hosts.has(host)) return;
    const message = line.slice(split + 2).trim();
    if (message.startsWith(SEND_ERROR)) {
      visit({ kind: 'send-error', host, reason: message.slice(SEND_ERROR.length).trim() });
    } else if (message !== '') {
      visit({ kind: 'address-error', host, reason: message });
    }
  });
}

/** Each line of `text` (split at LF), as `text.split('\n')` would give them, without the array. */
function eachLine(text: string, visit: (line: string) => void): void {
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    visit(text.slice(start, end));
    start = end + 1;
  }
  visit(text.slice(start));
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
