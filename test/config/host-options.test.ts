import { expect } from 'chai';

import {
  KNOWN_HOST_OPTIONS,
  parseHostOptions,
  type HostOptionValidator,
} from '../../lib/config/host-options.js';

describe('parseHostOptions', () => {
  it('knows the Kasa options cycle and lamp', () => {
    expect(KNOWN_HOST_OPTIONS.has('cycle')).to.equal(true);
    expect(KNOWN_HOST_OPTIONS.has('lamp')).to.equal(true);
  });

  it('checks the values of cycle and lamp', () => {
    expect(parseHostOptions('cycle:Modem lamp:no').problems).to.deep.equal([]);
    expect(parseHostOptions(`cycle:${'x'.repeat(65)} lamp:maybe`).problems).to.deep.equal([
      'option "cycle" must be a plug name of at most 64 characters',
      'option "lamp" must be yes or no, got "maybe"',
    ]);
  });

  it('knows parent', () => expect(KNOWN_HOST_OPTIONS.has('parent')).to.equal(true));
  it('knows the route-check options', () =>
    expect([...KNOWN_HOST_OPTIONS.keys()]).to.include.members([
      'via',
      'not-via',
      'hop-org',
      'not-hop-org',
      'min-rtt',
      'max-rtt',
      'source',
    ]));

  describe('route-check options', () => {
    const cases: [string, string[]][] = [
      ['via:198.51.100.0/24,192.0.2.1 not-via:192.168.0.0/24 source:eth1', []],
      ['hop-org:*.hargray.net,AS12345 not-hop-org:AS64501 min-rtt:10 max-rtt:250.5', []],
      ['via:198.51.100.0/33', ['option "via" "198.51.100.0/33" has a prefix length over 32']],
      ['not-via:gateway', ['option "not-via" "gateway" is not an IP address or CIDR range']],
      [
        'hop-org:a|b',
        ['option "hop-org" "a|b" may contain only letters, digits, spaces, ".", "-", "_", "*" and "?"'],
      ],
      ['min-rtt:fast', ['option "min-rtt" must be a number of milliseconds from 0 to 60000, got "fast"']],
      ['source:-I', ['option "source" must not start with "-"']],
    ];
    for (const [text, problems] of cases) {
      it(text, () => expect(parseHostOptions(text).problems).to.deep.equal(problems));
    }
  });

  it('accepts an empty options column', () => {
    const parsed = parseHostOptions('');
    expect([...parsed.options]).to.deep.equal([]);
    expect(parsed.problems).to.deep.equal([]);
  });

  it('names an unknown key while none are known', () => {
    expect(parseHostOptions('cycle:Modem', new Map()).problems).to.deep.equal([
      'unknown option "cycle" (no options are known yet)',
    ]);
  });

  describe('with a registry', () => {
    const known = new Map<string, HostOptionValidator>([
      ['cycle', (value) => (/^[A-Za-z]+$/.test(value) ? null : 'must be a plug name made of letters')],
      ['parent', () => null],
    ]);

    it('reads key:value tokens separated by any whitespace; values may contain colons', () => {
      const parsed = parseHostOptions('cycle:Modem \t parent:2001:db8::1', known);
      expect(parsed.problems).to.deep.equal([]);
      expect([...parsed.options]).to.deep.equal([
        ['cycle', 'Modem'],
        ['parent', '2001:db8::1'],
      ]);
    });

    const bad: [text: string, problems: string[]][] = [
      ['cycl:Modem', ['unknown option "cycl" (known options: cycle, parent)']],
      ['Modem', ['option "Modem" is not key:value']],
      [':Modem', ['option ":Modem" has no key before ":"']],
      ['cycle:', ['option "cycle" has no value after ":"']],
      ['cycle:Modem cycle:Lamp', ['option "cycle" is given twice']],
      ['cycle:Modem-1', ['option "cycle" must be a plug name made of letters']],
      ['x y:1', ['option "x" is not key:value', 'unknown option "y" (known options: cycle, parent)']],
    ];
    for (const [text, problems] of bad) {
      it(`rejects ${JSON.stringify(text)}`, () =>
        expect(parseHostOptions(text, known).problems).to.deep.equal(problems));
    }
  });
});
