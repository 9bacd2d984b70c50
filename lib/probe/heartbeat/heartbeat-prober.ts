import type { TargetOf } from '../../config/target.js';
import type { Clock } from '../../shared/clock.js';
import { formatDuration } from '../../shared/format-duration.js';
import type { BootRecord, HeartbeatBook, SensorHeartbeats } from './heartbeat-book.js';
import type { ProbeResult } from '../pinger.js';
import type { Prober } from '../prober.js';

/** What a {@link HeartbeatProber} reads. */
export interface HeartbeatProberOptions {
  readonly clock: Clock;
  readonly book: HeartbeatBook;
}

/**
 * "Probes" sensors by reading the heartbeat book, so that sensors go through the same state machine, alerts,
 * history and reports as pinged hosts. A sensor is alive when a heartbeat arrived within its
 * `down_seconds`. When it is not, the outage is dated from its last heartbeat: the link really failed
 * somewhere between that heartbeat and the next one that never came, which the DOWN alert says.
 * A sensor not heard from since the listener started gets no verdict (it is left out of the results, so
 * its state is kept) until `down_seconds` have passed.
 */
export class HeartbeatProber implements Prober<'heartbeat'> {
  /** When each sensor last got a verdict: a boot is reported once, with the first result after it. */
  private readonly judgedAt = new Map<string, Date>();

  constructor(private readonly options: HeartbeatProberOptions) {}

  probe(targets: readonly TargetOf<'heartbeat'>[]): Promise<ProbeResult[]> {
    const { clock, book } = this.options;
    const now = clock.now();
    const listed = new Set(targets.map((target) => target.check.sensor));
    for (const name of this.judgedAt.keys()) if (!listed.has(name)) this.judgedAt.delete(name);

    const results: ProbeResult[] = [];
    for (const target of targets) {
      const { sensor } = target.check;
      const heard = book.lookup(sensor);
      const result = judge(target, heard, book.since, now, this.judgedAt.get(sensor) ?? null);
      if (result === null) continue;
      this.judgedAt.set(sensor, now);
      results.push(result);
    }
    return Promise.resolve(results);
  }
}

function judge(
  target: TargetOf<'heartbeat'>,
  heard: SensorHeartbeats | undefined,
  listeningSince: Date,
  now: Date,
  lastJudged: Date | null,
): ProbeResult | null {
  const downMs = target.check.downSeconds * 1000;
  const base = { host: target.id, attempts: 1, rttMs: null };
  if (heard && now.getTime() - heard.lastAt.getTime() <= downMs) {
    const boot = heard.lastBoot;
    const newBoot = boot !== null && (lastJudged === null || boot.receivedAt > lastJudged);
    return { ...base, alive: true, startedAt: now, ...(newBoot && { notes: [bootNote(boot)] }) };
  }
  if (!heard) {
    if (now.getTime() - listeningSince.getTime() < downMs) return null;
    return {
      ...base,
      alive: false,
      startedAt: listeningSince,
      notes: [
        `no heartbeat since the monitor started listening at ${iso(listeningSince)}; ` +
          'the outage may have begun earlier',
      ],
    };
  }
  const interval = heard.previousAt === null ? null : heard.lastAt.getTime() - heard.previousAt.getTime();
  const precision =
    interval === null || interval <= 0
      ? ''
      : `; the outage began between then and one heartbeat interval (${formatDuration(interval)}) later`;
  return {
    ...base,
    alive: false,
    startedAt: heard.lastAt,
    notes: [`last heartbeat at ${iso(heard.lastAt)}${precision}`],
  };
}

/** `sensor rebooted, up 3m 5s`, or a program restart on a machine that stayed up. */
export function bootNote(boot: BootRecord): string {
  const up = formatDuration(boot.uptimeSeconds * 1000, { units: 2 });
  return boot.rebooted
    ? `sensor rebooted, up ${up}`
    : `sensor program restarted; the machine stayed up (up ${up})`;
}

function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
