import { readFile } from 'node:fs/promises';

import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { QualityCycle, RecentCyclesRequest } from '../../monitor/quality-resume.js';
import { scanFrames } from './quality-bytes.js';
import { decodeFrames, FRAME_KIND } from './quality-codec.js';
import { listQualityFiles, type QualityFile } from './quality-files.js';

/**
 * Reads back each host's newest raw cycles (issue 14), what a restart or a cron run rebuilds the quality
 * window and the flap history from: the newest `request.cycles` cycle records dated at or before `now` and
 * not before `fromMs`, per host oldest first.
 *
 * The read is bounded: raw files are taken newest first (a UTC day each, so normally only today's, and
 * yesterday's just after midnight), and in each file the times in the frame headers pick the frames needed
 * before any is decoded. Records dated after `now` (the clock was ahead once) are ignored, like the history's.
 * A folder or file that cannot be read, or a damaged frame, is a warning naming it; what could be read still
 * counts. A cycle written twice (a crash between its write and the end of its fsync) counts once.
 */
export async function readRecentCycles(
  dir: string,
  log: Log,
  request: RecentCyclesRequest,
): Promise<Map<string, QualityCycle[]>> {
  const now = request.now.getTime();
  const byHost = new Map<string, QualityCycle[]>();
  if (request.cycles <= 0) return byHost;
  let files: QualityFile[];
  try {
    files = await listQualityFiles(dir);
  } catch (error) {
    log.warn('quality folder could not be read; quality window and flap history start empty', {
      dir,
      error: errorMessage(error),
    });
    return byHost;
  }
  const raw = files
    .filter((file) => file.tier === 'raw' && file.start <= now && file.end > request.fromMs)
    .reverse();
  const seen = new Set<number>();
  // Newest first, across files; turned around per host at the end.
  const newestFirst: { at: number; hosts: readonly string[]; cycles: (QualityCycle | null)[] }[] = [];
  for (const file of raw) {
    if (seen.size >= request.cycles) break;
    const bytes = await readBytes(file, log);
    if (bytes === null) continue;
    const { times: wantedTimes, validLength } = newestTimes(
      bytes,
      request.fromMs,
      now,
      request.cycles - seen.size,
      seen,
    );
    if (validLength < bytes.length) {
      log.warn('quality file has a torn or damaged end; reading up to it', {
        file: file.path,
        bytes: bytes.length - validLength,
      });
    }
    if (wantedTimes.size === 0) continue;
    const { frames } = scanFrames(
      bytes,
      (payload) => payload[0] === FRAME_KIND.hostList || wantedTimes.has(frameTime(payload)),
    );
    const records: (typeof newestFirst)[number][] = [];
    try {
      decodeFrames(frames, (record) => {
        if (record.kind !== 'cycle' || !wantedTimes.has(record.at) || seen.has(record.at)) return;
        seen.add(record.at);
        records.push({
          at: record.at,
          hosts: record.hosts,
          cycles: record.samples.map((sample) =>
            sample === null
              ? null
              : { at: record.at, sent: sample.sent, received: sample.received, avgMs: sample.avgMs },
          ),
        });
      });
    } catch (error) {
      log.warn('quality file has a record that does not parse; reading up to it', {
        file: file.path,
        error: errorMessage(error),
      });
    }
    newestFirst.push(...records.sort((a, b) => b.at - a.at));
  }
  for (let r = newestFirst.length - 1; r >= 0; r--) {
    const record = newestFirst[r]!;
    record.hosts.forEach((host, i) => {
      const cycle = record.cycles[i];
      if (!cycle) return;
      let list = byHost.get(host);
      if (!list) byHost.set(host, (list = []));
      list.push(cycle);
    });
  }
  return byHost;
}

async function readBytes(file: QualityFile, log: Log): Promise<Buffer | null> {
  try {
    return await readFile(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    log.warn('quality file could not be read; skipping it', { file: file.path, error: errorMessage(error) });
    return null;
  }
}

/** The time of a cycle frame, NaN for any other frame. */
function frameTime(payload: Buffer): number {
  return payload[0] === FRAME_KIND.cycle && payload.length >= 9 ? payload.readDoubleLE(1) : NaN;
}

/**
 * The times of the newest `count` cycle frames of a file within `[fromMs, now]`, not among `taken`, read
 * from the frame headers alone (no payload is decoded here), and where its sound part ends.
 */
function newestTimes(
  bytes: Buffer,
  fromMs: number,
  now: number,
  count: number,
  taken: ReadonlySet<number>,
): { times: Set<number>; validLength: number } {
  const times = new Set<number>();
  const { validLength } = scanFrames(bytes, (payload) => {
    const at = frameTime(payload);
    if (at >= fromMs && at <= now && !taken.has(at)) times.add(at);
    return false;
  });
  return { times: new Set([...times].sort((a, b) => b - a).slice(0, count)), validLength };
}
