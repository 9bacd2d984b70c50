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
