import { ByteReader, ByteWriter, DamagedFrame } from './quality-bytes.js';
import { QualityAggregate, RTT_STEP_MS, type QualitySample } from './quality-aggregate.js';

/** Frame kinds of a quality file. */
export const FRAME_KIND = { hostList: 1, cycle: 2, rollup: 3 } as const;

/** One decoded record: a raw cycle's samples, or an hourly/daily rollup's aggregates, by host. */
export type QualityRecord =
  | {
      readonly kind: 'cycle';
      readonly at: number;
      readonly hosts: readonly string[];
      readonly samples: readonly (QualitySample | null)[];
    }
  | {
      readonly kind: 'rollup';
      readonly at: number;
      readonly hosts: readonly string[];
      readonly aggregates: readonly QualityAggregate[];
    };

const STEPS_PER_MS = Math.round(1 / RTT_STEP_MS);
const steps = (ms: number) => Math.round(ms * STEPS_PER_MS);
/** Division rather than multiplication by 0.1 gives back the decimal the user saw (0.3, not 0.30000000000000004). */
const fromSteps = (count: number) => count / STEPS_PER_MS;

/** A host list frame: later records of the same file name their hosts by this list's id. */
export function encodeHostList(id: number, hosts: readonly string[]): Buffer {
  const out = new ByteWriter();
  out.byte(FRAME_KIND.hostList);
  out.varint(id);
  out.varint(hosts.length);
  for (const host of hosts) out.text(host);
  return out.frame();
}

/**
 * A raw cycle: its time, its host list, then per host one byte `sent << 4 | received` (0: no sample;
 * 0xff: both follow as varints) and, when anything answered, min, avg − min and max − avg in 0.1 ms steps.
 * A LAN host costs 4 bytes a cycle, a 20 ms internet host 5, a silent one 1.
 */
export function encodeCycle(at: number, listId: number, samples: readonly (QualitySample | null)[]): Buffer {
  const out = new ByteWriter();
  out.byte(FRAME_KIND.cycle);
  out.double(at);
  out.varint(listId);
  for (const sample of samples) {
    if (sample === null || sample.sent <= 0) {
      out.byte(0);
      continue;
    }
    const received = Math.min(sample.received, sample.sent);
    if (sample.sent < 15 || (sample.sent === 15 && received < 15)) out.byte((sample.sent << 4) | received);
    else {
      out.byte(0xff);
      out.varint(sample.sent);
      out.varint(received);
    }
    if (received === 0 || sample.avgMs === null) continue;
    const min = steps(sample.minMs ?? sample.avgMs);
    const avg = Math.max(min, steps(sample.avgMs));
    const max = Math.max(avg, steps(sample.maxMs ?? sample.avgMs));
    out.varint(min);
    out.varint(avg - min);
    out.varint(max - avg);
  }
  return out.frame();
}

/**
 * A rollup (hour or day starting at `at`): per host cycles, sent, received, min, max − min, mean − min and
 * the histogram of cycle averages as (bucket − previous bucket, count) pairs.
 */
export function encodeRollup(at: number, listId: number, aggregates: Iterable<QualityAggregate>): Buffer {
  const out = new ByteWriter();
  out.byte(FRAME_KIND.rollup);
  out.double(at);
  out.varint(listId);
  for (const agg of aggregates) {
    out.varint(agg.cycles);
    if (agg.cycles === 0) continue;
    out.varint(agg.sent);
    out.varint(agg.received);
    if (agg.received === 0 || agg.minMs === null || agg.maxMs === null) continue;
    const min = steps(agg.minMs);
    out.varint(min);
    out.varint(Math.max(0, steps(agg.maxMs) - min));
    out.varint(Math.max(0, steps(agg.rttSumMs / agg.received) - min));
    const buckets = [...agg.buckets.keys()].sort((a, b) => a - b);
    out.varint(buckets.length);
    let previous = 0;
    for (const bucket of buckets) {
      out.varint(bucket - previous);
      out.varint(agg.buckets.get(bucket)!);
      previous = bucket;
    }
  }
  return out.frame();
}

/**
 * Decodes the frames of one file in order; host lists are remembered as they come.
 * @throws DamagedFrame when a frame that passed its checksum still does not parse (a bug, or a foreign file)
 */
export function decodeFrames(
  frames: readonly Buffer[],
  onRecord: (record: QualityRecord) => void,
  /** Records before this time (ms) are skipped without being decoded. */
  fromAt = -Infinity,
  /** Records at or after this time (ms) are skipped without being decoded. */
  toAt = Infinity,
): void {
  eachRecord(frames, fromAt, toAt, (kind, at, hosts, input) => {
    if (kind === FRAME_KIND.cycle) {
      const samples: (QualitySample | null)[] = [];
      for (let i = 0; i < hosts.length; i++) samples.push(readSample(input));
      onRecord({ kind: 'cycle', at, hosts, samples });
    } else {
      const aggregates: QualityAggregate[] = [];
      for (let i = 0; i < hosts.length; i++) aggregates.push(readAggregate(input));
      onRecord({ kind: 'rollup', at, hosts, aggregates });
    }
  });
}

/**
 * One raw cycle's packets in columns, index = position in `hosts`: what a resume needs, without an object
 * per host and cycle (21 cycles of 10,000 hosts were 210,000 samples to build and collect).
 */
export interface CycleColumns {
  readonly at: number;
  readonly hosts: readonly string[];
  /** 0 where the host has no sample in this cycle. */
  readonly sent: Uint32Array;
  readonly received: Uint32Array;
  /** Average RTT of the replies; NaN where none came back. */
  readonly avgMs: Float64Array;
}

/**
 * Decodes the raw cycles among one file's frames into columns, in file order; rollups are skipped.
 * @throws DamagedFrame when a frame that passed its checksum still does not parse
 */
export function decodeCycleColumns(
  frames: readonly Buffer[],
  onCycle: (cycle: CycleColumns) => void,
  fromAt = -Infinity,
  toAt = Infinity,
): void {
  const packets = new Packets();
  eachRecord(frames, fromAt, toAt, (kind, at, hosts, input) => {
    if (kind !== FRAME_KIND.cycle) return;
    const cycle = {
      at,
      hosts,
      sent: new Uint32Array(hosts.length),
      received: new Uint32Array(hosts.length),
      avgMs: new Float64Array(hosts.length).fill(NaN),
    };
    for (let i = 0; i < hosts.length; i++) {
      if (!packets.read(input)) continue;
      cycle.sent[i] = packets.sent;
      cycle.received[i] = packets.received;
      if (packets.received > 0) cycle.avgMs[i] = fromSteps(packets.avg);
    }
    onCycle(cycle);
  });
}

/**
 * Walks one file's records in order, remembering host lists as they come, and hands each cycle or rollup
 * within `[fromAt, toAt)` to `body` with its reader positioned at the per-host data.
 */
function eachRecord(
  frames: readonly Buffer[],
  fromAt: number,
  toAt: number,
  body: (kind: number, at: number, hosts: readonly string[], input: ByteReader) => void,
): void {
  const lists = new Map<number, string[]>();
  for (const frame of frames) {
    if (!recordWanted(frame, fromAt, toAt)) continue;
    const input = new ByteReader(frame);
    const kind = input.byte();
    if (kind === FRAME_KIND.hostList) {
      const id = input.varint();
      const count = input.varint();
      const hosts: string[] = [];
      for (let i = 0; i < count; i++) hosts.push(input.text());
      lists.set(id, hosts);
      continue;
    }
    if (kind !== FRAME_KIND.cycle && kind !== FRAME_KIND.rollup)
      throw new DamagedFrame(`unknown frame kind ${kind}`);
    const at = input.double();
    const hosts = lists.get(input.varint());
    if (!hosts) throw new DamagedFrame('record names an unknown host list');
    body(kind, at, hosts, input);
  }
}

/** One host's entry of a raw cycle as read, in 0.1 ms steps; reused from host to host. */
class Packets {
  sent = 0;
  received = 0;
  min = 0;
  avg = 0;
  max = 0;

  /** Reads the next host's entry; false when the host has no sample in the cycle. */
  read(input: ByteReader): boolean {
    const head = input.byte();
    if (head === 0) return false;
    this.sent = head >> 4;
    this.received = head & 0x0f;
    if (head === 0xff) {
      this.sent = input.varint();
      this.received = input.varint();
    }
    if (this.received === 0) return true;
    this.min = input.varint();
    this.avg = this.min + input.varint();
    this.max = this.avg + input.varint();
    return true;
  }
}

const scratch = new Packets();

function readSample(input: ByteReader): QualitySample | null {
  if (!scratch.read(input)) return null;
  const { sent, received } = scratch;
  if (received === 0) return { sent, received, minMs: null, avgMs: null, maxMs: null };
  return {
    sent,
    received,
    minMs: fromSteps(scratch.min),
    avgMs: fromSteps(scratch.avg),
    maxMs: fromSteps(scratch.max),
  };
}

function readAggregate(input: ByteReader): QualityAggregate {
  const agg = new QualityAggregate();
  agg.values = null;
  agg.cycles = input.varint();
  if (agg.cycles === 0) return agg;
  agg.sent = input.varint();
  agg.received = input.varint();
  if (agg.received === 0) return agg;
  const min = input.varint();
  agg.minMs = fromSteps(min);
  agg.maxMs = fromSteps(min + input.varint());
  agg.rttSumMs = fromSteps(min + input.varint()) * agg.received;
  const count = input.varint();
  let bucket = 0;
  for (let i = 0; i < count; i++) {
    bucket += input.varint();
    agg.buckets.set(bucket, input.varint());
  }
  return agg;
}

/** Whether a frame is a host list or a record dated within `[fromAt, toAt)` (ms). */
export function recordWanted(frame: Buffer, fromAt: number, toAt = Infinity): boolean {
  if (frame[0] === FRAME_KIND.hostList || frame.length < 9) return true;
  const at = frame.readDoubleLE(1);
  return at >= fromAt && at < toAt;
}

/** The host lists among a file's frames. */
export function hostLists(frames: readonly Buffer[]): { id: number; hosts: string[] }[] {
  const lists: { id: number; hosts: string[] }[] = [];
  for (const frame of frames) {
    if (frame[0] !== FRAME_KIND.hostList) continue;
    const input = new ByteReader(frame);
    input.byte();
    const id = input.varint();
    const count = input.varint();
    const hosts: string[] = [];
    for (let i = 0; i < count; i++) hosts.push(input.text());
    lists.push({ id, hosts });
  }
  return lists;
}
