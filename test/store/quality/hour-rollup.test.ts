import { expect } from 'chai';

import { HourRollup } from '../../../lib/store/quality/hour-rollup.js';
import { QualityAggregate, type QualitySample } from '../../../lib/store/quality/quality-aggregate.js';
import { encodeRollup } from '../../../lib/store/quality/quality-codec.js';

const sample = (sent: number, received: number, min?: number, avg?: number, max?: number): QualitySample => ({
  sent,
  received,
  minMs: min ?? null,
  avgMs: avg ?? null,
  maxMs: max ?? null,
});

/** What the rollup must equal: the samples added one by one, histogram only. */
function expected(samples: readonly (QualitySample | null)[]): QualityAggregate {
  const agg = new QualityAggregate();
  agg.values = null;
  for (const one of samples) if (one) agg.addSample(one);
  return agg;
}

/** The fields a rollup frame keeps, for comparison. */
const fields = (agg: QualityAggregate) => ({
  cycles: agg.cycles,
  sent: agg.sent,
  received: agg.received,
  minMs: agg.minMs,
  maxMs: agg.maxMs,
  rttSumMs: agg.rttSumMs,
  buckets: [...agg.buckets].sort((x, y) => x[0] - y[0]),
});

describe('store/quality/hour-rollup', () => {
  // Per host, its samples of three cycles (null: no sample that cycle).
  const cases: { name: string; cycles: (QualitySample | null)[] }[] = [
    {
      name: 'steady LAN host',
      cycles: [sample(5, 5, 0.3, 0.4, 0.7), sample(5, 5, 0.2, 0.5, 0.9), sample(5, 5, 0.3, 0.3, 0.4)],
    },
    { name: 'lossy host', cycles: [sample(5, 3, 10, 20, 40), sample(5, 0), sample(5, 4, 12, 15, 19)] },
    { name: 'silent host', cycles: [sample(5, 0), sample(5, 0), sample(5, 0)] },
    {
      name: 'host first measured in the second cycle',
      cycles: [null, sample(1, 1, 2, 2, 2), sample(1, 1, 3, 3, 3)],
    },
    { name: 'reply without min and max', cycles: [sample(1, 1, undefined, 7, undefined), null, null] },
  ];
  const hosts = cases.map((c) => c.name);

  it('sums each host as QualityAggregate.addSample does, in the list order', () => {
    const rollup = new HourRollup();
    for (let cycle = 0; cycle < 3; cycle++)
      rollup.add(
        hosts,
        cases.map((c) => c.cycles[cycle]!),
      );
    const { hosts: names, aggregates } = rollup.result();
    expect(names).to.deep.equal(hosts);
    // With one host list the aggregate is refilled for each host: compare what each step reads.
    const read: ReturnType<typeof fields>[] = [];
    for (const agg of aggregates) read.push(fields(agg));
    expect(read).to.deep.equal(cases.map((c) => fields(expected(c.cycles))));
  });

  it('leaves out a host without any sample in the hour', () => {
    const rollup = new HourRollup();
    rollup.add(['a', 'b'], [sample(5, 5, 1, 1, 1), null]);
    rollup.add(['a', 'b'], [sample(5, 4, 1, 2, 3), null]);
    expect(rollup.result().hosts).to.deep.equal(['a']);
  });

  it('merges by host when the host list changes within the hour', () => {
    const rollup = new HourRollup();
    const first = sample(5, 5, 1, 2, 3);
    const second = sample(5, 2, 4, 5, 6);
    const third = sample(5, 5, 7, 8, 9);
    rollup.add(['a', 'b'], [first, sample(5, 0)]);
    // A new list array (a host added): b is now second of three.
    rollup.add(['c', 'b', 'a'], [third, second, first]);
    const { hosts: names, aggregates } = rollup.result();
    expect(names).to.deep.equal(['a', 'b', 'c']);
    expect([...aggregates].map(fields)).to.deep.equal([
      fields(expected([first, first])),
      fields(expected([sample(5, 0), second])),
      fields(expected([third])),
    ]);
  });

  it('encodes to the same rollup frame as the aggregates built one sample at a time', () => {
    const rollup = new HourRollup();
    for (let cycle = 0; cycle < 3; cycle++)
      rollup.add(
        hosts,
        cases.map((c) => c.cycles[cycle]!),
      );
    const { aggregates } = rollup.result();
    const reference = cases.map((c) => expected(c.cycles));
    expect(encodeRollup(3_600_000, 0, aggregates).equals(encodeRollup(3_600_000, 0, reference))).to.equal(
      true,
    );
  });

  it('an empty hour has no hosts', () => {
    const { hosts: names, aggregates } = new HourRollup().result();
    expect(names).to.deep.equal([]);
    expect([...aggregates]).to.deep.equal([]);
  });
});
