import { crc32 } from 'node:zlib';

/** Builds a binary payload from unsigned varints, bytes and doubles. */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(256);
  private length = 0;

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  private room(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** An unsigned integer in LEB128: 1 byte below 128, 2 below 16384. */
  varint(value: number): void {
    this.room(8);
    let rest = Math.max(0, Math.floor(value));
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  byte(value: number): void {
    this.room(1);
    this.buffer[this.length++] = value & 0xff;
  }

  double(value: number): void {
    this.room(8);
    this.buffer.writeDoubleLE(value, this.length);
    this.length += 8;
  }

  text(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.varint(bytes.length);
    this.room(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  /** The payload as a frame: `[u32 length][u32 crc32][payload]`, so a torn or damaged frame is detected. */
  frame(): Buffer {
    const payload = this.buffer.subarray(0, this.length);
    const framed = Buffer.allocUnsafe(8 + payload.length);
    framed.writeUInt32LE(payload.length, 0);
    framed.writeUInt32LE(crc32(payload), 4);
    payload.copy(framed, 8);
    return framed;
  }
}

/** A payload went past its end or held an impossible value: the frame is treated as damaged. */
export class DamagedFrame extends Error {
  override name = 'DamagedFrame';
}

/** Reads what {@link ByteWriter} wrote. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.offset >= this.buffer.length) throw new DamagedFrame('varint past the end');
      const byte = this.buffer[this.offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new DamagedFrame('varint too long');
    }
  }

  byte(): number {
    if (this.offset >= this.buffer.length) throw new DamagedFrame('byte past the end');
    return this.buffer[this.offset++]!;
  }

  double(): number {
    if (this.offset + 8 > this.buffer.length) throw new DamagedFrame('double past the end');
    const value = this.buffer.readDoubleLE(this.offset);
    this.offset += 8;
    return value;
  }

  text(): string {
    const length = this.varint();
    if (this.offset + length > this.buffer.length) throw new DamagedFrame('text past the end');
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

/**
 * Frames of a file's bytes, up to the first torn or damaged one; `validLength` is where that one began.
 * `wanted(payload)` false skips a frame without checking its CRC (the caller does not read it: a reader
 * interested only in recent records, or a writer that needs the host lists and a sound end); the last frame
 * is always checked, as that is where a crash tears.
 */
export function scanFrames(
  bytes: Buffer,
  wanted: (payload: Buffer) => boolean = () => true,
): { frames: Buffer[]; validLength: number } {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + 8 + length;
    if (end > bytes.length) break;
    const payload = bytes.subarray(offset + 8, end);
    const keep = wanted(payload);
    if ((keep || end === bytes.length) && crc32(payload) !== bytes.readUInt32LE(offset + 4)) break;
    if (keep) frames.push(payload);
    offset = end;
  }
  return { frames, validLength: offset };
}
