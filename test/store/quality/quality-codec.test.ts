import { expect } from 'chai';

import { QualityAggregate, type QualitySample } from '../../../lib/store/quality/quality-aggregate.js';
import { scanFrames } from '../../../lib/store/quality/quality-bytes.js';
import {
  decodeCycleColumns,
  decodeFrames,
  encodeCycle,
  encodeHostList,
  encodeRollup,
  type CycleColumns,
  type QualityRecord,
} from '../../../lib/store/quality/quality-codec.js';

const HOSTS = ['lan', 'silent', 'unmeasured', 'many', 'wan'];
const SAMPLES: (QualitySample | null)[] = [
  { sent: 5, received: 5, minMs: 0.2, avgMs: 0.3, maxMs: 0.5 },
  { sent: 7, received: 0, minMs: null, avgMs: null, maxMs: null },
  null,
  // More than 15 sent: the counts are written as varints after a 0xff head.
  { sent: 40, received: 38, minMs: 10, avgMs: 12.5, maxMs: 30.1 },
  { sent: 5, received: 3, minMs: 20, avgMs: 412, maxMs: 4500 },
];

/** A file's payloads: one host list, then a raw cycle at each of `times` and an hourly rollup at 0. */
function payloads(times: readonly number[]): Buffer[] {
  const rollup = new QualityAggregate();
  const framed = [
    encodeHostList(1, HOSTS),
    ...times.map((at) => encodeCycle(at, 1, SAMPLES)),
    encodeRollup(
      0,
      1,
      HOSTS.map(() => rollup),
    ),
  ];
  return scanFrames(Buffer.concat(framed)).frames;
}

describe('store/quality/quality-codec: raw cycles and rollups as bytes', () => {
  it('decodes a raw cycle into columns that carry the packets the full decoder gives', () => {
    const records: QualityRecord[] = [];
    decodeFrames(payloads([1_000]), (record) => records.push(record));
    const full = records.find((record) => record.kind === 'cycle');
    const columns: CycleColumns[] = [];
    decodeCycleColumns(payloads([1_000]), (cycle) => columns.push(cycle));

    // The rollup is skipped; the one cycle comes with its own time and host list.
    expect(columns).to.have.length(1);
    const [cycle] = columns;
    expect(cycle!.at).to.equal(1_000);
    expect(cycle!.hosts).to.deep.equal(HOSTS);
    expect(full?.kind === 'cycle' && full.samples).to.deep.equal(SAMPLES);
    const fromColumns = HOSTS.map((_, i) => [cycle!.sent[i], cycle!.received[i], cycle!.avgMs[i]]);
    expect(fromColumns).to.deep.equal([
      [5, 5, 0.3],
      [7, 0, NaN],
      [0, 0, NaN],
      [40, 38, 12.5],
      [5, 3, 412],
    ]);
  });

  it('decodes only the records within [fromAt, toAt), host lists always', () => {
    const times = (decode: (frames: Buffer[], on: (at: number) => void) => void) => {
      const seen: number[] = [];
      decode(payloads([1_000, 2_000, 3_000, 4_000]), (at) => seen.push(at));
      return seen;
    };
    expect(
      times((frames, on) => decodeFrames(frames, (record) => on(record.at), 2_000, 4_000)),
    ).to.deep.equal([2_000, 3_000]);
    expect(
      times((frames, on) => decodeCycleColumns(frames, (cycle) => on(cycle.at), 1_500, 3_000)),
    ).to.deep.equal([2_000]);
    // The rollup dated 0 is found only when the range reaches back to it.
    expect(times((frames, on) => decodeFrames(frames, (record) => on(record.at)))).to.deep.equal([
      1_000, 2_000, 3_000, 4_000, 0,
    ]);
  });
});
