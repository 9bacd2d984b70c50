import { rm } from 'node:fs/promises';

import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import type { LinkQuality } from '../../probe/pinger.js';
import type { QualityMemorySource, RecentCyclesRequest } from '../../monitor/quality-resume.js';
import { HourRollup } from './hour-rollup.js';
import { QualityAggregate, type QualitySample } from './quality-aggregate.js';
import { encodeCycle, encodeRollup } from './quality-codec.js';
import { lastRecordAt, readQualityFile } from './quality-file-reader.js';
import { QualityFileWriter } from './quality-file-writer.js';
import { readRecentCycles, type RecentCycleColumns } from './quality-recent.js';
import {
  DAY_MS,
  dayOf,
  HOUR_MS,
  hourOf,
  listQualityFiles,
  qualityFileFor,
  type QualityFile,
} from './quality-files.js';

/** Hourly rollups are kept this long (SmokePing keeps a similar span at this step). */
export const HOURLY_KEEP_DAYS = 400;
/** Daily rollups are kept this long: five years. */
export const DAILY_KEEP_DAYS = 5 * 365 + 1;

/** Where the series lives and who hears about trouble. */
export interface QualityRecorderOptions {
  /** The quality folder, `<logs>/quality`. */
  readonly dir: string;
  readonly log: Log;
}

/**
 * Keeps the per-host link quality series (issue 14): every cycle's sent/received/min/avg/max as it came
 * (`raw-YYYY-MM-DD.pwq`, kept `quality_raw_days`), rolled up per UTC hour (`hourly-YYYY-MM-DD.pwq`, 400
 * days) and per UTC day (`daily-YYYY-MM.pwq`, 5 years). Each cycle is one appended, fdatasync'd write.
 *
 * Nothing is kept only in memory: the first cycle of a new hour reads that hour's raw cycles back and writes
 * their rollup, and the first cycle of a new day reads the day's hourly rollups back and writes the daily
 * one. Whatever a crash, a stop or a cron schedule left unrolled is found the same way (the last rollup on
 * disk says where to carry on), so the daemon and `once` runs behave alike, and a cron run mid-hour reads
 * only frame headers. Results without `quality` (route checks, heartbeats) are not recorded. At start the
 * loop reads the newest cycles back ({@link recentCycles}) to rebuild quality windows and flap histories.
 */
export class QualityRecorder implements MonitorObserver, QualityMemorySource {
  readonly name = 'quality';
  private readonly writer: QualityFileWriter;
  /** The hour of the last cycle this process recorded; null before its first. */
  private hour: number | null = null;
  private prunedOn: number | null = null;

  constructor(private readonly options: QualityRecorderOptions) {
    this.writer = new QualityFileWriter(options);
  }

  async cycleFinished(report: CycleReport): Promise<void> {
    const hosts: string[] = [];
    const samples: QualitySample[] = [];
    for (const result of report.results) {
      if (!result.quality || result.quality.sent <= 0) continue;
      hosts.push(result.host);
      samples.push(sampleOf(result.quality));
    }
    if (hosts.length === 0) return;
    const at = report.at.getTime();
    await this.rollUpBefore(at);
    await this.writer.append(qualityFileFor(this.options.dir, 'raw', at), hosts, (id) =>
      encodeCycle(at, id, samples),
    );
    await this.prune(at, report.config.settings.qualityRawDays);
  }

  /** Each host's newest raw cycles, for the loop's resume (see {@link readRecentCycles}). */
  recentCycles(request: RecentCyclesRequest): Promise<RecentCycleColumns> {
    return readRecentCycles(this.options.dir, this.options.log, request);
  }

  /** Closes the open files. The hour in progress is rolled up by the next cycle after it, in any process. */
  async stop(): Promise<void> {
    await this.writer.close();
  }

  /**
   * Writes the rollups of every hour before `at`'s hour, and of every day before its day, that has data
   * and no rollup yet. Within the hour of this process's previous cycle nothing can have ended, so that
   * case costs nothing; a clock going back changes nothing either.
   */
  private async rollUpBefore(at: number): Promise<void> {
    const hour = hourOf(at);
    if (this.hour !== null && hour <= this.hour) return;
    const files = await listQualityFiles(this.options.dir);
    const of = (tier: QualityFile['tier']) => files.filter((file) => file.tier === tier);
    const lastHourly = await lastRollupAt(of('hourly'), this.options.log);
    const days = new Set<number>();
    if (Number.isFinite(lastHourly)) days.add(dayOf(lastHourly));
    const from = lastHourly + HOUR_MS;
    for (const file of of('raw')) {
      if (from >= hour || file.end <= from || file.start >= hour) continue;
      const hours = new Map<number, HourRollup>();
      await readQualityFile(
        file,
        this.options.log,
        (record) => {
          if (record.kind !== 'cycle' || record.at < from || record.at >= hour) return;
          const key = hourOf(record.at);
          let rollup = hours.get(key);
          if (!rollup) hours.set(key, (rollup = new HourRollup()));
          rollup.add(record.hosts, record.samples);
        },
        from,
        // The hour in progress is not rolled up yet: its cycles are not even decoded (a cron run each
        // minute of an hour with no rollup before it would decode the whole hour every time).
        hour,
      );
      for (const key of [...hours.keys()].sort((a, b) => a - b)) {
        const { hosts, aggregates } = hours.get(key)!.result();
        await this.writer.append(qualityFileFor(this.options.dir, 'hourly', key), hosts, (id) =>
          encodeRollup(key, id, aggregates),
        );
        days.add(dayOf(key));
      }
    }
    const ended = [...days].filter((day) => day < dayOf(at)).sort((a, b) => a - b);
    if (ended.length > 0) {
      const lastDaily = await lastRollupAt(of('daily'), this.options.log);
      for (const day of ended) {
        if (day <= lastDaily) continue;
        const daily = await this.dayFromHours(day);
        if (daily.size > 0) await this.writeRollup('daily', day, daily);
      }
    }
    // Only once written: after a failure (disk full) the next cycle tries again.
    this.hour = hour;
  }

  private async writeRollup(
    tier: 'daily',
    at: number,
    aggregates: ReadonlyMap<string, QualityAggregate>,
  ): Promise<void> {
    const hosts = [...aggregates.keys()];
    const values = hosts.map((host) => aggregates.get(host)!);
    await this.writer.append(qualityFileFor(this.options.dir, tier, at), hosts, (id) =>
      encodeRollup(at, id, values),
    );
  }

  /** The day starting at `day` from its hourly rollups, by host. */
  private async dayFromHours(day: number): Promise<Map<string, QualityAggregate>> {
    const daily = new Map<string, QualityAggregate>();
    const seen = new Set<number>();
    await readQualityFile(qualityFileFor(this.options.dir, 'hourly', day), this.options.log, (record) => {
      if (record.kind !== 'rollup' || seen.has(record.at)) return;
      // A rollup written twice (a crash between its write and the end of its fsync) counts once.
      seen.add(record.at);
      record.hosts.forEach((host, i) => aggregateOf(daily, host).merge(record.aggregates[i]!));
    });
    return daily;
  }

  /** Once per UTC day: deletes files past their tier's keep time, and closes files no longer written. */
  private async prune(now: number, rawDays: number): Promise<void> {
    const today = dayOf(now);
    if (this.prunedOn === today) return;
    this.prunedOn = today;
    const keep = new Set(
      (['raw', 'hourly', 'daily'] as const).map((tier) => qualityFileFor(this.options.dir, tier, now).path),
    );
    await this.writer.closeExcept(keep);
    const keepDays = { raw: rawDays, hourly: HOURLY_KEEP_DAYS, daily: DAILY_KEEP_DAYS } as const;
    for (const file of await listQualityFiles(this.options.dir)) {
      if (file.end > now - keepDays[file.tier] * DAY_MS || keep.has(file.path)) continue;
      try {
        await rm(file.path, { force: true });
        this.options.log.info('quality file expired; deleted', { file: file.path });
      } catch (error) {
        this.options.log.warn('could not delete an expired quality file', {
          file: file.path,
          error: errorMessage(error),
        });
      }
    }
  }
}

/** The time of the last rollup in a tier's files (newest file first); -Infinity when there is none. */
async function lastRollupAt(files: readonly QualityFile[], log: Log): Promise<number> {
  for (let i = files.length - 1; i >= 0; i--) {
    const last = await lastRecordAt(files[i]!, log);
    if (Number.isFinite(last)) return last;
  }
  return -Infinity;
}

function aggregateOf(map: Map<string, QualityAggregate>, host: string): QualityAggregate {
  let agg = map.get(host);
  if (!agg) map.set(host, (agg = new QualityAggregate()));
  return agg;
}

/** What the series keeps of a prober's measurement (mdev is not kept: min/max and the spread say more). */
export function sampleOf(quality: LinkQuality): QualitySample {
  return {
    sent: quality.sent,
    received: quality.received,
    minMs: quality.minMs,
    avgMs: quality.avgMs,
    maxMs: quality.maxMs,
  };
}
