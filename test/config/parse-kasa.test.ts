import { expect } from 'chai';

import { parseKasa } from '../../lib/config/parse-kasa.js';

describe('parseKasa', () => {
  it('reads name,address rows after an optional header', () => {
    const parsed = parseKasa(
      'name,address\nModem,192.168.1.50\n# the lamp\n"Desk Lamp",192.168.1.51\n',
      'config/kasa.csv',
    );
    expect(parsed.errors).to.deep.equal([]);
    expect(parsed.plugs).to.deep.equal([
      { name: 'Modem', address: '192.168.1.50', line: 2 },
      { name: 'Desk Lamp', address: '192.168.1.51', line: 4 },
    ]);
  });

  const cases: [string, string, string[]][] = [
    [
      'missing address',
      'Modem',
      ['config/kasa.csv:1: missing address (expected "name,address", e.g. "Modem,192.168.1.50")'],
    ],
    [
      'too many values',
      'Modem,192.168.1.50,x',
      ['config/kasa.csv:1: too many values (expected "name,address", e.g. "Modem,192.168.1.50")'],
    ],
    [
      'empty name',
      ',192.168.1.50',
      ['config/kasa.csv:1: missing plug name (expected "name,address", e.g. "Modem,192.168.1.50")'],
    ],
    [
      'a host name instead of an address',
      'Modem,modem.lan',
      ['config/kasa.csv:1: invalid plug address "modem.lan": Kasa plugs need an IPv4 address'],
    ],
    [
      'duplicate name in another case',
      'Modem,192.168.1.50\nmodem,192.168.1.51',
      ['config/kasa.csv:2: duplicate plug name "modem" (first listed on line 1)'],
    ],
    [
      'long name',
      `${'x'.repeat(65)},192.168.1.50`,
      ['config/kasa.csv:1: plug name is longer than 64 characters'],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(`reports ${name}`, () =>
      expect(parseKasa(text, 'config/kasa.csv').errors.map((e) => e.message)).to.deep.equal(expected));
  }
});
