import path from 'node:path';

import { listFolder } from '../../shared/list-folder.js';
import { compareText } from '../../shared/compare-text.js';

/** The three series of the quality store, like SmokePing's RRAs: every cycle, hours, days. */
export type QualityTier = 'raw' | 'hourly' | 'daily';

/**
 * One file of the quality store: raw and hourly files hold a UTC day, daily ones a month (so that what a
 * run reads at start, the newest file's frame headers, stays small at 10,000 hosts).
 */
export interface QualityFile {
  readonly path: string;
  readonly tier: QualityTier;
  /** `YYYY-MM-DD` or `YYYY-MM` (UTC), which sorts in time order. */
  readonly period: string;
  /** Start and end (exclusive) of that period, ms since the epoch. */
  readonly start: number;
  readonly end: number;
}

const PATTERN = /^(raw|hourly|daily)-(\d{4}(?:-\d{2}(?:-\d{2})?)?)\.pwq$/;
const PERIOD_LENGTH: Record<QualityTier, number> = { raw: 10, hourly: 10, daily: 7 };
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The file of `tier` that a record at `time` belongs to. */
export function qualityFileFor(dir: string, tier: QualityTier, time: number): QualityFile {
  const period = new Date(time).toISOString().slice(0, PERIOD_LENGTH[tier]);
  return fileOf(dir, tier, period);
}

function fileOf(dir: string, tier: QualityTier, period: string): QualityFile {
  const [year, month, day] = period.split('-').map(Number) as [number, number?, number?];
  const start = Date.UTC(year, (month ?? 1) - 1, day ?? 1);
  const end =
    tier === 'raw'
      ? start + DAY_MS
      : tier === 'hourly'
        ? Date.UTC(year, month!, 1)
        : Date.UTC(year + 1, 0, 1);
  return { path: path.join(dir, `${tier}-${period}.pwq`), tier, period, start, end };
}

/** Every file of the store, oldest first per tier; none when the folder does not exist yet. */
export async function listQualityFiles(dir: string): Promise<QualityFile[]> {
  const names = await listFolder(dir);
  const files: QualityFile[] = [];
  for (const name of names) {
    const match = PATTERN.exec(name);
    if (!match) continue;
    const tier = match[1] as QualityTier;
    if (match[2]!.length !== PERIOD_LENGTH[tier]) continue;
    const file = fileOf(dir, tier, match[2]!);
    if (Number.isFinite(file.start)) files.push(file);
  }
  return files.sort((a, b) => a.start - b.start || compareText(a.tier, b.tier));
}

/** Start of the UTC hour / day holding `time`. */
export const hourOf = (time: number) => Math.floor(time / HOUR_MS) * HOUR_MS;
export const dayOf = (time: number) => Math.floor(time / DAY_MS) * DAY_MS;
