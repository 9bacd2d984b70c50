/** What pingwarden needs from the text iputils `ping` prints (stdout and stderr together, LANG=C). */
export interface PingOutputSummary {
  /** Echo requests sent, from "N packets transmitted"; null when ping stopped before sending any. */
  readonly transmitted: number | null;
  /** Echo replies received, from "N received"; 0 when there is no statistics line. */
  readonly received: number;
  /** The reason ping gave for giving up, e.g. "Name or service not known"; null when it gave none. */
  readonly failure: string | null;
}

const STATISTICS = /^(\d+) packets transmitted, (\d+) received/m;
// iputils reports fatal problems as "ping: <context>: <reason>", e.g. "ping: connect: Network is unreachable".
const FATAL = /^ping6?: (.*)$/gm;

/** Reads the statistics line and the last fatal message out of iputils `ping` output. */
export function parsePingOutput(output: string): PingOutputSummary {
  const statistics = STATISTICS.exec(output);
  let failure: string | null = null;
  for (const match of output.matchAll(FATAL)) {
    const message = (match[1] ?? '').trim();
    // The reason is the last ": "-separated part; what comes before names the host or the failed call.
    failure = message.slice(message.lastIndexOf(': ') + 1).trim() || null;
  }
  return {
    transmitted: statistics ? Number(statistics[1]) : null,
    received: statistics ? Number(statistics[2]) : 0,
    failure,
  };
}
