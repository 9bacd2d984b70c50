import { expect } from 'chai';

import { asnOf, parseOrgPattern, parseOrgPatternList } from '../../lib/config/org-pattern.js';

describe('parseOrgPattern', () => {
  const cases: [string, string | null, string | null, boolean][] = [
    ['AS12345', null, 'AS12345 Example ISP', true],
    ['as12345', null, 'AS12345 Example ISP', true],
    ['AS12345', null, 'AS123456 Other', false],
    ['AS12345', 'as12345.example.net', null, false],
    ['AS12345', null, null, false],
    ['*.hargray.net', 'rtr1.hargray.net', null, true],
    ['*.hargray.net', 'RTR1.Hargray.NET.', null, true],
    ['*.hargray.net', 'hargray.net.evil.example', null, false],
    ['*.hargray.net', 'rtr1-hargray.net', null, false],
    ['*Hargray*', null, 'AS11240 Hargray Communications', true],
    ['rtr?.example.net', 'rtr7.example.net', null, true],
    ['rtr?.example.net', 'rtr10.example.net', null, false],
  ];
  for (const [pattern, name, org, expected] of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} name=${name} org=${org}`, () => {
      const parsed = parseOrgPattern(pattern);
      if (typeof parsed === 'string') throw new Error(parsed);
      expect(parsed.matches(name, org)).to.equal(expected);
    });
  }
  it('refuses regex and shell characters', () =>
    expect(parseOrgPattern('a|b')).to.equal(
      '"a|b" may contain only letters, digits, spaces, ".", "-", "_", "*" and "?"',
    ));
  it('marks AS patterns', () => {
    const list = parseOrgPatternList('AS1, *.example.net');
    if (typeof list === 'string') throw new Error(list);
    expect(list.map((p) => p.isAsn)).to.deep.equal([true, false]);
  });
  it('normalises ASNs', () => {
    expect(asnOf('as0015169 Google LLC')).to.equal('AS15169');
    expect(asnOf('Google LLC')).to.equal(null);
  });
});
