import { expect } from 'chai';

import { hopAddresses, parseTracerouteOutput } from '../../../lib/probe/route/traceroute-output.js';

describe('parseTracerouteOutput', () => {
  it('reads numeric output with lost probes, several addresses and annotations', () => {
    const text = [
      'traceroute to 198.18.9.9 (198.18.9.9), 20 hops max, 60 byte packets',
      ' 1  198.18.1.2  0.120 ms  0.101 ms  0.095 ms',
      ' 2  * * *',
      ' 3  198.18.2.1  1.5 ms *  198.18.2.5  1.7 ms',
      ' 4  198.18.3.1  2.0 ms !H  2.1 ms !H  *',
      '10  198.18.9.9  20.4 ms  20.3 ms  20.9 ms',
    ].join('\n');
    const parsed = parseTracerouteOutput(text);
    expect(parsed.destination).to.equal('198.18.9.9');
    expect(parsed.hops.map((h) => h.ttl)).to.deep.equal([1, 2, 3, 4, 10]);
    expect(parsed.hops[0]?.replies.map((r) => r.rttMs)).to.deep.equal([0.12, 0.101, 0.095]);
    expect(parsed.hops[1]).to.deep.equal({ ttl: 2, replies: [], lost: 3 });
    const third = parsed.hops[2];
    if (!third) throw new Error('no hop 3');
    expect(hopAddresses(third)).to.deep.equal(['198.18.2.1', '198.18.2.5']);
    expect(third.lost).to.equal(1);
    expect(parsed.hops[3]?.replies.map((r) => r.annotation)).to.deep.equal(['!H', '!H']);
    expect(parsed.hops[4]?.replies.map((r) => r.address)).to.deep.equal([
      '198.18.9.9',
      '198.18.9.9',
      '198.18.9.9',
    ]);
  });

  it('reads names in front of addresses', () => {
    const text = [
      'traceroute to example.net (203.0.113.80), 30 hops max, 60 byte packets',
      ' 1  gw.lan (192.168.0.1)  0.5 ms  0.4 ms  0.4 ms',
      ' 2  rtr1.hargray.net (198.51.100.1)  9.1 ms 198.51.100.2 (198.51.100.2)  9.4 ms  9.0 ms',
    ].join('\n');
    const parsed = parseTracerouteOutput(text);
    expect(parsed.destination).to.equal('203.0.113.80');
    expect(parsed.hops[0]?.replies[0]).to.deep.equal({
      address: '192.168.0.1',
      name: 'gw.lan',
      rttMs: 0.5,
      annotation: null,
    });
    expect(parsed.hops[1]?.replies.map((r) => [r.name, r.address])).to.deep.equal([
      ['rtr1.hargray.net', '198.51.100.1'],
      [null, '198.51.100.2'],
      [null, '198.51.100.2'],
    ]);
  });

  it('reads IPv6 output', () => {
    const parsed = parseTracerouteOutput(
      'traceroute to ::1 (::1), 30 hops max, 80 byte packets\n 1  ::1  0.050 ms  0.010 ms  0.009 ms\n',
    );
    expect(parsed.destination).to.equal('::1');
    expect(parsed.hops[0]?.replies.length).to.equal(3);
  });

  it('gives no destination when traceroute failed before starting', () => {
    expect(parseTracerouteOutput('')).to.deep.equal({ destination: null, hops: [] });
  });
});
