import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { QualityAggregate, QualitySample } from './quality-aggregate.js';
import { readQualityFile } from './quality-file-reader.js';
import { DAY_MS, dayOf, listQualityFiles, type QualityTier } from './quality-files.js';

/** One piece of a host's series within a report window: a raw cycle or an hour's or a day's rollup. */
export type QualitySlice =
  | { readonly tier: 'raw'; readonly host: string; readonly at: number; readonly sample: QualitySample }
  | {
      readonly tier: Exclude<QualityTier, 'raw'>;
      readonly host: string;
      readonly at: number;
      readonly aggregate: QualityAggregate;
    };

/**
 * Visits every host's series within `[since, until)`, each stretch of time once and from the finest tier
 * that still holds it: raw cycles for the days whose raw file is kept, daily rollups for other whole days
 * inside the window, hourly rollups for the rest (the window's partial days and days without a daily
 * rollup yet). So a year costs about 365 records per host, and the last days are exact.
 */
export async function readQualityWindow(
  dir: string,
  since: number,
  until: number,
  log: Log,
  visit: (slice: QualitySlice) => void,
): Promise<void> {
  let listed;
  try {
    listed = await listQualityFiles(dir);
  } catch (error) {
    // A report is about the past: a quality folder it cannot read leaves loss and RTT out, nothing more.
    log.warn('quality folder could not be read; loss and RTT are left out', {
      dir,
      error: errorMessage(error),
    });
    return;
  }
  const files = listed.filter((file) => file.end > since && file.start < until);
  const rawDays = new Set(files.filter((file) => file.tier === 'raw').map((file) => file.start));
  const inWindow = (at: number) => at >= since && at < until;

  const dailyDays = new Set<number>();
  for (const file of files.filter((f) => f.tier === 'daily')) {
    await readQualityFile(file, log, (record) => {
      const day = record.at;
      if (record.kind !== 'rollup' || day < since || day + DAY_MS > until || rawDays.has(day)) return;
      if (dailyDays.has(day)) return;
      dailyDays.add(day);
      record.hosts.forEach((host, i) =>
        visit({ tier: 'daily', host, at: day, aggregate: record.aggregates[i]! }),
      );
    });
  }

  const hourlyDay = (day: number) => !rawDays.has(day) && !dailyDays.has(day);
  const hourlyFiles = files.filter((file) => {
    if (file.tier !== 'hourly') return false;
    for (let day = dayOf(Math.max(file.start, since)); day < Math.min(file.end, until); day += DAY_MS) {
      if (hourlyDay(day)) return true;
    }
    return false;
  });
  for (const file of hourlyFiles) {
    const seen = new Set<number>();
    await readQualityFile(file, log, (record) => {
      if (record.kind !== 'rollup' || !inWindow(record.at) || !hourlyDay(dayOf(record.at))) return;
      // A crash between a rollup's write and its fsync's return can leave it written twice.
      if (seen.has(record.at)) return;
      seen.add(record.at);
      record.hosts.forEach((host, i) =>
        visit({ tier: 'hourly', host, at: record.at, aggregate: record.aggregates[i]! }),
      );
    });
  }

  for (const file of files.filter((f) => f.tier === 'raw')) {
    await readQualityFile(
      file,
      log,
      (record) => {
        if (record.kind !== 'cycle' || !inWindow(record.at)) return;
        record.hosts.forEach((host, i) => {
          const sample = record.samples[i];
          if (sample) visit({ tier: 'raw', host, at: record.at, sample });
        });
      },
      since,
    );
  }
}
