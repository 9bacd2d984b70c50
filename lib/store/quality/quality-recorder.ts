import { rm } from 'node:fs/promises';

import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import type { LinkQuality } from '../../probe/pinger.js';
import { QualityAggregate, type QualitySample } from './quality-aggregate.js';
import { encodeCycle, encodeRollup } from './quality-codec.js';
import { lastRecordAt, readQualityFile } from './quality-file-reader.js';
import { QualityFileWriter } from './quality-file-writer.js';
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
 * (`raw-YYYY-MM-DD.pwq`, kept `quality_raw_days`), rolled up per UTC hour (`hourly-YYYY-MM.pwq`, 400 days)
 * and per UTC day (`daily-YYYY.pwq`, 5 years). Each cycle is one appended, fdatasync'd write; an hour's
 * rollup is written by the first cycle of the next hour, a day's by the first cycle of the next day.
 *
 * Crash safety: the rollups are derived from the raw cycles, so nothing is kept only in memory. At start
 * the raw cycles after the last written hour are read again, and any hour or day that a crash (or a stop)
 * left unrolled is written then. Results without `quality` (route checks, heartbeats) are not recorded.
 */
export class QualityRecorder implements MonitorObserver {
  readonly name = 'quality';
  private readonly writer: QualityFileWriter;
  private loading: Promise<void> | null = null;
  private hour: number | null = null;
  private day: number | null = null;
  private readonly hourly = new Map<string, QualityAggregate>();
  private lastHourly = -Infinity;
  private lastDaily = -Infinity;
  private prunedOn: number | null = null;

  constructor(private readonly options: QualityRecorderOptions) {
    this.writer = new QualityFileWriter(options);
  }

  /** Reads back what a previous run left unrolled; called by the first cycle, or earlier by the caller. */
  load(): Promise<void> {
    this.loading ??= this.replay();
    return this.loading;
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
    await this.load();
    const at = report.at.getTime();
    await this.record(at, hosts, samples, true);
    await this.prune(at, report.config.settings.qualityRawDays);
  }

  /** Closes the open files. The hour in progress is rolled up by the next start, from its raw cycles. */
  async stop(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.writer.close();
  }

  private async record(
    at: number,
    hosts: readonly string[],
    samples: readonly (QualitySample | null)[],
    writeRaw: boolean,
  ): Promise<void> {
    await this.advance(at);
    if (writeRaw) {
      await this.writer.append(qualityFileFor(this.options.dir, 'raw', at), hosts, (id) =>
        encodeCycle(at, id, samples),
      );
    }
    hosts.forEach((host, i) => {
      const sample = samples[i];
      if (sample) aggregateOf(this.hourly, host).addSample(sample);
    });
  }

  /** Writes the rollups of the hour and day that `at` has left behind. A clock going back changes nothing. */
  private async advance(at: number): Promise<void> {
    const hour = hourOf(at);
    if (this.hour === null || this.day === null) {
      this.hour = hour;
      this.day = dayOf(at);
      return;
    }
    if (hour <= this.hour) return;
    if (this.hourly.size > 0 && this.hour > this.lastHourly) {
      await this.writeRollup('hourly', this.hour, this.hourly);
      this.lastHourly = this.hour;
    }
    this.hourly.clear();
    this.hour = hour;
    const day = dayOf(at);
    if (day <= this.day) return;
    if (this.day > this.lastDaily) {
      // Read from the day's hourly rollups once, at its end, rather than kept in memory all day: a cron
      // run then has nothing to rebuild but the hour in progress.
      const daily = await this.dayFromHours(this.day);
      if (daily.size > 0) await this.writeRollup('daily', this.day, daily);
      this.lastDaily = this.day;
    }
    this.day = day;
  }

  private async writeRollup(
    tier: 'hourly' | 'daily',
    at: number,
    aggregates: ReadonlyMap<string, QualityAggregate>,
  ): Promise<void> {
    const hosts = [...aggregates.keys()];
    const values = hosts.map((host) => aggregates.get(host)!);
    await this.writer.append(qualityFileFor(this.options.dir, tier, at), hosts, (id) =>
      encodeRollup(at, id, values),
    );
  }

  private async replay(): Promise<void> {
    const files = await listQualityFiles(this.options.dir);
    const of = (tier: QualityFile['tier']) => files.filter((file) => file.tier === tier);
    this.lastDaily = await lastRollupAt(of('daily'), this.options.log);
    this.lastHourly = await lastRollupAt(of('hourly'), this.options.log);
    if (Number.isFinite(this.lastHourly)) {
      this.hour = this.lastHourly;
      this.day = dayOf(this.lastHourly);
    }
    const from = this.lastHourly + HOUR_MS;
    const cycles: { at: number; hosts: readonly string[]; samples: readonly (QualitySample | null)[] }[] = [];
    for (const file of of('raw')) {
      if (file.end <= from) continue;
      await readQualityFile(
        file,
        this.options.log,
        (record) => {
          if (record.kind === 'cycle' && record.at >= from) cycles.push(record);
        },
        from,
      );
      // Replayed day by day so a long gap does not hold every day's cycles in memory at once.
      for (const cycle of cycles) await this.record(cycle.at, cycle.hosts, cycle.samples, false);
      cycles.length = 0;
    }
  }

  /** The day starting at `day` from its hourly rollups, by host. */
  private async dayFromHours(day: number): Promise<Map<string, QualityAggregate>> {
    const daily = new Map<string, QualityAggregate>();
    const seen = new Set<number>();
    await readQualityFile(
      qualityFileFor(this.options.dir, 'hourly', day),
      this.options.log,
      (record) => {
        if (record.kind !== 'rollup' || record.at >= day + DAY_MS || seen.has(record.at)) return;
        // A rollup written twice (a crash between its write and the record of it) counts once.
        seen.add(record.at);
        record.hosts.forEach((host, i) => aggregateOf(daily, host).merge(record.aggregates[i]!));
      },
      day,
    );
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
