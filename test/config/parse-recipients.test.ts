import { expect } from 'chai';

import { parseRecipients } from '../../lib/config/parse-recipients.js';

const FILE = 'config/email_recipients.csv';

describe('parseRecipients', () => {
  it('reads sms: addresses (email-to-SMS gateways) apart from the others', () => {
    const { recipients, smsRecipients, errors } = parseRecipients(
      'noc@example.com, sms:5551234@txt.example\nSMS: 5559876@txt.example\n',
      FILE,
    );
    expect(errors).to.deep.equal([]);
    expect(recipients).to.deep.equal(['noc@example.com']);
    expect(smsRecipients).to.deep.equal(['5551234@txt.example', '5559876@txt.example']);
    expect(parseRecipients('sms:5551234', FILE).errors.map((e) => e.message)).to.deep.equal([
      'config/email_recipients.csv:1: invalid email address "sms:5551234": must contain exactly one "@"',
    ]);
  });

  const good: [name: string, text: string, expected: string[]][] = [
    ['one address', 'noc@example.com', ['noc@example.com']],
    [
      'commas',
      'a@example.com, b@example.com,c@example.com',
      ['a@example.com', 'b@example.com', 'c@example.com'],
    ],
    ['rows', 'a@example.com\nb@example.com\n', ['a@example.com', 'b@example.com']],
    [
      'commas and rows, comments, blank lines, trailing commas, BOM, CRLF',
      '\uFEFF# who\r\na@example.com,b@example.com,\r\n\r\n  c@example.com \r\n',
      ['a@example.com', 'b@example.com', 'c@example.com'],
    ],
    ['quoted address', '"a@example.com"', ['a@example.com']],
    ['empty file', '# nobody yet\n', []],
  ];
  for (const [name, text, expected] of good) {
    it(name, () => {
      const { recipients, errors } = parseRecipients(text, FILE);
      expect(errors.map((e) => e.message)).to.deep.equal([]);
      expect(recipients).to.deep.equal(expected);
    });
  }

  const bad: [name: string, text: string, expected: string[]][] = [
    [
      'no @',
      'a@example.com\nnoc',
      ['config/email_recipients.csv:2: invalid email address "noc": must contain exactly one "@"'],
    ],
    [
      'display name',
      'Ann <ann@example.com>',
      [
        'config/email_recipients.csv:1: invalid email address "Ann <ann@example.com>": must not contain spaces or other whitespace',
      ],
    ],
    [
      'bad domain',
      'a@example..com',
      [
        'config/email_recipients.csv:1: invalid email address "a@example..com": has an invalid domain "example..com": it has an empty label (two dots in a row, or a leading dot)',
      ],
    ],
    [
      'duplicate, in another case',
      'a@example.com,b@example.com\n# c\nA@Example.com',
      ['config/email_recipients.csv:3: duplicate address "A@Example.com" (first listed on line 1)'],
    ],
    [
      'line break in a quoted cell',
      '"a@example.com\nb@example.com"',
      ['config/email_recipients.csv:1: line breaks are not allowed in an address'],
    ],
    [
      'every bad address in a row',
      'x,a@example.com,y@',
      [
        'config/email_recipients.csv:1: invalid email address "x": must contain exactly one "@"',
        'config/email_recipients.csv:1: invalid email address "y@": has nothing after the "@"',
      ],
    ],
  ];
  for (const [name, text, expected] of bad) {
    it(`rejects ${name}`, () =>
      expect(parseRecipients(text, FILE).errors.map((e) => e.message)).to.deep.equal(expected));
  }
});
