import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/** What a walk over a file's frame headers found. */
export interface FrameWalk {
  /** Payloads of the frames `wanted` asked for, CRC-checked, in file order. */
  readonly frames: Buffer[];
  /** Where the first torn or damaged frame begins (the file's size when there is none). */
  readonly validLength: number;
  readonly size: number;
  /** The time field of the last sound record frame (not a host list); -Infinity when there is none. */
  readonly lastAt: number;
}

/**
 * Walks a quality file frame by frame with small positioned reads of each 9-byte header, reading a payload
 * only when `wanted(kind)` asks for it, and always the last one, whose CRC tells whether the file ends with a
 * torn write. So opening a day's raw file of 10,000 hosts (12 MB) for appending reads a few hundred headers
 * and its host lists, not the whole file. ENOENT: an empty walk.
 */
export async function walkFrames(path: string, wanted: (kind: number) => boolean): Promise<FrameWalk> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { frames: [], validLength: 0, size: 0, lastAt: -Infinity };
    }
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(17);
    const frames: Buffer[] = [];
    let offset = 0;
    let lastAt = -Infinity;
    while (offset + 8 <= size) {
      const { bytesRead } = await handle.read(header, 0, Math.min(17, size - offset), offset);
      if (bytesRead < 8) break;
      const length = header.readUInt32LE(0);
      const end = offset + 8 + length;
      if (end > size || length === 0) break;
      const kind = header[8]!;
      if (wanted(kind) || end === size) {
        const payload = Buffer.alloc(length);
        await handle.read(payload, 0, length, offset + 8);
        if (crc32(payload) !== header.readUInt32LE(4)) break;
        if (wanted(kind)) frames.push(payload);
      }
      // Kind 1 is a host list; every other frame starts with its time.
      if (kind !== 1 && length >= 9 && bytesRead >= 17) lastAt = header.readDoubleLE(9);
      offset = end;
    }
    return { frames, validLength: offset, size, lastAt };
  } finally {
    await handle.close();
  }
}
