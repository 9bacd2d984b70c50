import { expect } from 'chai';

import { isEmailAddress, validateEmailAddress } from '../../lib/config/email-address.js';

describe('validateEmailAddress', () => {
  const good = [
    'noc@example.com',
    'first.last+alerts@mail.example.org',
    'root@localhost',
    "o'neil@example.com",
  ];
  for (const address of good) {
    it(`accepts ${address}`, () => expect(validateEmailAddress(address)).to.equal(null));
  }

  const bad: [address: string, problem: string][] = [
    ['', 'is empty'],
    ['noc', 'must contain exactly one "@"'],
    ['a@b@example.com', 'must contain exactly one "@"'],
    ['@example.com', 'has nothing before the "@"'],
    ['noc@', 'has nothing after the "@"'],
    ['Ann <ann@example.com>', 'must not contain spaces or other whitespace'],
    ['a,b@example.com', 'has an unusual character before the "@" in "a,b"'],
    [
      'noc@exa_mple..com',
      'has an invalid domain "exa_mple..com": it has an empty label (two dots in a row, or a leading dot)',
    ],
    [
      'noc@-example.com',
      'has an invalid domain "-example.com": it has a label starting with "-" ("-example")',
    ],
    ['noc@[192.0.2.1]', 'has an invalid domain "[192.0.2.1]": it must not contain "["'],
  ];
  for (const [address, problem] of bad) {
    it(`rejects ${JSON.stringify(address)}: ${problem}`, () =>
      expect(validateEmailAddress(address)).to.equal(problem));
  }

  it('isEmailAddress agrees', () => {
    expect([isEmailAddress('a@b.example'), isEmailAddress('alerts')]).to.deep.equal([true, false]);
  });
});
