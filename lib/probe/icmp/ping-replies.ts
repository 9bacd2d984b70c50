// The source is `127.0.0.1`, `localhost (127.0.0.1)` or, for IPv6, `::1` (colons inside): match up to
// the last `: icmp_seq=` rather than the first colon.
const REPLY = /^\d+ bytes from .+?: icmp_seq=\d+ .*?time[=<]([0-9.]+) ms/gm;

/** The round-trip times, in milliseconds and in order, of every echo reply iputils `ping` printed. */
export function parsePingReplies(output: string): number[] {
  return [...output.matchAll(REPLY)].map((match) => Number(match[1]));
}
