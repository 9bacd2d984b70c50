import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import {
  HostCycleBuffer,
  type QualityCycle,
  type RecentCyclesRequest,
  type RecentQualityCycles,
} from '../../monitor/quality-resume.js';
import { decodeCycleColumns, FRAME_KIND, type CycleColumns } from './quality-codec.js';
import { listQualityFiles, type QualityFile } from './quality-files.js';

/**
 * Reads back each host's newest raw cycles (issue 14), what a restart or a cron run rebuilds the quality
 * window and the flap history from: the newest `request.cycles` cycle records dated at or before `now` and
 * not before `fromMs`, per host oldest first.
 *
 * The read is bounded: raw files are taken newest first (a UTC day each, so normally only today's, and
 * yesterday's just after midnight), and in each file the times in the frame headers pick the frames needed
 * before any payload is read. Records dated after `now` (the clock was ahead once) are ignored, like the history's.
 * A folder or file that cannot be read, or a damaged frame, is a warning naming it; what could be read still
 * counts. A cycle written twice (a crash between its write and the end of its fsync) counts once.
 */
export async function readRecentCycles(
  dir: string,
  log: Log,
  request: RecentCyclesRequest,
): Promise<RecentCycleColumns> {
  const now = request.now.getTime();
  if (request.cycles <= 0) return new RecentCycleColumns([]);
  let files: QualityFile[];
  try {
    files = await listQualityFiles(dir);
  } catch (error) {
    log.warn('quality folder could not be read; quality window and flap history start empty', {
      dir,
      error: errorMessage(error),
    });
    return new RecentCycleColumns([]);
  }
  const raw = files
    .filter((file) => file.tier === 'raw' && file.start <= now && file.end > request.fromMs)
    .reverse();
  const seen = new Set<number>();
  // Newest first, across files; turned around per host at the end.
  const newestFirst: CycleColumns[] = [];
  for (const file of raw) {
    if (seen.size >= request.cycles) break;
    const frames = await recentFrames(file, log, {
      fromMs: request.fromMs,
      now,
      count: request.cycles - seen.size,
      taken: seen,
    });
    const cycles: CycleColumns[] = [];
    try {
      decodeCycleColumns(frames, (cycle) => {
        if (seen.has(cycle.at)) return;
        seen.add(cycle.at);
        cycles.push(cycle);
      });
    } catch (error) {
      log.warn('quality file has a record that does not parse; reading up to it', {
        file: file.path,
        error: errorMessage(error),
      });
    }
    newestFirst.push(...cycles.sort((a, b) => b.at - a.at));
  }
  return new RecentCycleColumns(newestFirst.reverse());
}

/**
 * The cycles read back, kept in columns: a host's list of cycles is built only when asked for, so the
 * 210,000 entries of 21 cycles of 10,000 hosts are never all alive at once (they were, and outlived a few
 * garbage collections into the old generation: about 20 MB more peak memory for a `once` run).
 */
export class RecentCycleColumns implements RecentQualityCycles {
  /** Runs of consecutive cycles sharing one host list (normally one run per file), with its hosts' places. */
  private readonly runs: { index: Map<string, number>; cycles: CycleColumns[] }[] = [];

  /** @param oldestFirst the cycles, oldest first */
  constructor(oldestFirst: readonly CycleColumns[]) {
    let hosts: readonly string[] | null = null;
    for (const cycle of oldestFirst) {
      if (cycle.hosts !== hosts) {
        hosts = cycle.hosts;
        this.runs.push({ index: new Map(hosts.map((host, i) => [host, i])), cycles: [] });
      }
      this.runs.at(-1)!.cycles.push(cycle);
    }
  }

  /** Copies the host's cycles, oldest first, each one it was measured in, into `into`; returns how many. */
  read(host: string, into: HostCycleBuffer): number {
    let count = 0;
    for (const run of this.runs) {
      const i = run.index.get(host);
      if (i === undefined) continue;
      for (const cycle of run.cycles) {
        const sent = cycle.sent[i]!;
        if (sent === 0) continue;
        into.at[count] = cycle.at;
        into.sent[count] = sent;
        into.received[count] = cycle.received[i]!;
        into.avgMs[count] = cycle.avgMs[i]!;
        count++;
      }
    }
    return count;
  }

  /** The host's cycles oldest first, as objects; undefined when it was measured in none. */
  get(host: string): QualityCycle[] | undefined {
    const buffer = new HostCycleBuffer(this.cycleCount);
    const count = this.read(host, buffer);
    if (count === 0) return undefined;
    return Array.from({ length: count }, (_, i) => ({
      at: buffer.at[i]!,
      sent: buffer.sent[i]!,
      received: buffer.received[i]!,
      avgMs: Number.isNaN(buffer.avgMs[i]!) ? null : buffer.avgMs[i]!,
    }));
  }

  /** How many cycles were read back. */
  get cycleCount(): number {
    return this.runs.reduce((sum, run) => sum + run.cycles.length, 0);
  }
}

/** Where one frame lies in its file, from its header. */
interface FrameSpot {
  readonly offset: number;
  readonly length: number;
  readonly crc: number;
}

/** Header reads go through blocks this big: one read covers many small frames, or one big frame's header. */
const BLOCK = 4096;

/**
 * The payloads of a raw file's host lists and of its newest `count` cycle frames within `[fromMs, now]`
 * (not among `taken`), in file order, CRC-checked. Only frame headers are read to choose them, through
 * small positioned reads, so a day's raw file of 10,000 hosts (13 MB) costs its few hundred headers and the
 * payloads needed, not a read of the whole file. A torn or damaged frame ends the file, with a warning.
 */
async function recentFrames(
  file: QualityFile,
  log: Log,
  want: { fromMs: number; now: number; count: number; taken: ReadonlySet<number> },
): Promise<Buffer[]> {
  let handle;
  try {
    handle = await open(file.path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      log.warn('quality file could not be read; skipping it', {
        file: file.path,
        error: errorMessage(error),
      });
    }
    return [];
  }
  const torn = (bytes: number) =>
    log.warn('quality file has a torn or damaged end; reading up to it', { file: file.path, bytes });
  try {
    const { size } = await handle.stat();
    const lists: FrameSpot[] = [];
    const cycles: (FrameSpot & { at: number })[] = [];
    const block = Buffer.alloc(BLOCK);
    let blockAt = 0;
    let blockLength = 0;
    let offset = 0;
    while (offset + 8 <= size) {
      // The header (length, CRC) and the payload's first 9 bytes (kind, time).
      const need = Math.min(17, size - offset);
      if (offset < blockAt || offset + need > blockAt + blockLength) {
        blockAt = offset;
        blockLength = (await handle.read(block, 0, Math.min(BLOCK, size - offset), offset)).bytesRead;
        if (blockLength < need) break;
      }
      const at = offset - blockAt;
      const length = block.readUInt32LE(at);
      if (length === 0 || offset + 8 + length > size) break;
      const spot = { offset: offset + 8, length, crc: block.readUInt32LE(at + 4) };
      const kind = block[at + 8];
      if (kind === FRAME_KIND.hostList) lists.push(spot);
      else if (kind === FRAME_KIND.cycle && need === 17) {
        const time = block.readDoubleLE(at + 9);
        if (time >= want.fromMs && time <= want.now && !want.taken.has(time))
          cycles.push({ ...spot, at: time });
      }
      offset += 8 + length;
    }
    if (offset < size) torn(size - offset);
    const times = new Set(
      [...new Set(cycles.map((cycle) => cycle.at))].sort((a, b) => b - a).slice(0, want.count),
    );
    if (times.size === 0) return [];
    const spots = [...lists, ...cycles.filter((cycle) => times.has(cycle.at))].sort(
      (a, b) => a.offset - b.offset,
    );
    const frames: Buffer[] = [];
    for (const spot of spots) {
      const payload = Buffer.alloc(spot.length);
      await handle.read(payload, 0, spot.length, spot.offset);
      if (crc32(payload) !== spot.crc) {
        // Everything from a damaged frame on is unreadable, as for every reader of the store.
        torn(size - (spot.offset - 8));
        break;
      }
      frames.push(payload);
    }
    return frames;
  } catch (error) {
    log.warn('quality file could not be read; skipping it', { file: file.path, error: errorMessage(error) });
    return [];
  } finally {
    await handle.close();
  }
}
