import { expect } from 'chai';

import { parseOrgs } from '../../lib/config/parse-orgs.js';

describe('parseOrgs', () => {
  it('reads prefixes with a header, comments and IPv6', () => {
    const text =
      'prefix,org\n# core\n203.0.113.0/24,AS64500 Example ISP\n2001:db8::/32,"AS64501 Example, Inc."\n';
    const { prefixes, errors } = parseOrgs(text, 'config/orgs.csv');
    expect(errors).to.deep.equal([]);
    expect(prefixes.map((p) => [p.prefix, p.org, p.family, p.bits, p.line])).to.deep.equal([
      ['203.0.113.0/24', 'AS64500 Example ISP', 4, 24, 3],
      ['2001:db8::/32', 'AS64501 Example, Inc.', 6, 32, 4],
    ]);
  });

  it('reports every problem with file and line', () => {
    const text = [
      '203.0.113.0,AS1 No length',
      '203.0.113.0/33,AS1 Too long',
      'nope/8,AS1 Not an address',
      '198.51.100.0/24,',
      '198.51.100.0/24',
      '192.0.2.0/24,AS2 A',
      '192.0.2.0/24,AS3 B',
    ].join('\n');
    const { errors } = parseOrgs(text, 'config/orgs.csv');
    expect(errors.map((e) => e.message)).to.deep.equal([
      'config/orgs.csv:1: invalid prefix "203.0.113.0": write it as address/length, e.g. 203.0.113.0/24',
      'config/orgs.csv:2: invalid prefix "203.0.113.0/33": the length must be 0 to 32',
      'config/orgs.csv:3: invalid prefix "nope/8": is not an IP address followed by /length',
      'config/orgs.csv:4: missing org for 198.51.100.0/24 (e.g. "AS64500 Example ISP")',
      'config/orgs.csv:5: expected prefix,org (2 values), got 1',
      'config/orgs.csv:7: duplicate prefix 192.0.2.0/24 (first listed on line 6)',
    ]);
  });
});
