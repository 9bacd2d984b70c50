import { expect } from 'chai';

import { parseCidr, parseCidrList } from '../../lib/config/cidr-list.js';

describe('parseCidr', () => {
  const cases: [string, string, boolean][] = [
    ['198.51.100.0/24', '198.51.100.7', true],
    ['198.51.100.0/24', '198.51.101.7', false],
    ['192.0.2.1', '192.0.2.1', true],
    ['192.0.2.1', '192.0.2.2', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:1::1', true],
    ['2001:db8::/32', '198.51.100.1', false],
    ['198.51.100.0/24', '2001:db8::1', false],
  ];
  for (const [range, address, inside] of cases) {
    it(`${address} ${inside ? 'is' : 'is not'} in ${range}`, () => {
      const parsed = parseCidr(range);
      if (typeof parsed === 'string') throw new Error(parsed);
      expect(parsed.contains(address)).to.equal(inside);
    });
  }

  const bad: [string, string][] = [
    ['10.0.0.0/33', '"10.0.0.0/33" has a prefix length over 32'],
    ['10.0.0/8', '"10.0.0/8" is not an IP address or CIDR range'],
    ['10.0.0.0/', '"10.0.0.0/" has no valid prefix length after "/"'],
    ['-f', '"-f" is not an IP address or CIDR range'],
    ['2001:db8::/129', '"2001:db8::/129" has a prefix length over 128'],
  ];
  for (const [text, problem] of bad) {
    it(`refuses ${text}`, () => expect(parseCidr(text)).to.equal(problem));
  }
});

describe('parseCidrList', () => {
  it('reads comma-separated ranges and skips blanks', () => {
    const parsed = parseCidrList('192.0.2.1, 198.51.100.0/24,,');
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(parsed.map((r) => r.text)).to.deep.equal(['192.0.2.1', '198.51.100.0/24']);
  });
  it('refuses an empty list', () => expect(parseCidrList(' , ')).to.equal('lists no address or range'));
  it('reports the first bad entry', () =>
    expect(parseCidrList('192.0.2.1,nope')).to.equal('"nope" is not an IP address or CIDR range'));
});
