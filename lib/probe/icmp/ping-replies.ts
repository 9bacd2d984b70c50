// IPv6 sources contain colons ("64 bytes from ::1: icmp_seq=1 ..."), so the source ends at ": icmp_seq=".
const REPLY = /^\d+ bytes from .+?: icmp_seq=\d+ .*?time[=<]([0-9.]+) ms/gm;

/** The round-trip times, in milliseconds and in order, of every echo reply iputils `ping` printed. */
export function parsePingReplies(output: string): number[] {
  return [...output.matchAll(REPLY)].map((match) => Number(match[1]));
}
