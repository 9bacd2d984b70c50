import { expect } from 'chai';

import { parseCreds } from '../../lib/config/parse-creds.js';

const FILE = 'config/creds.csv';

describe('parseCreds', () => {
  const good: [
    name: string,
    text: string | null,
    env: NodeJS.ProcessEnv,
    username: string | null,
    password: string | null,
  ][] = [
    ['username and password', 'alerts@example.com,s3cret', {}, 'alerts@example.com', 's3cret'],
    [
      'header, comment, quoted password with comma and spaces',
      '# login\nusername,password\nbob," a,b""c "',
      {},
      'bob',
      ' a,b"c ',
    ],
    ['password with # is data', 'bob,#hash', {}, 'bob', '#hash'],
    ['no file: no login', null, {}, null, null],
    ['empty file: no login', '# none\n', {}, null, null],
    [
      'environment overrides both',
      'bob,s3cret',
      { PINGWARDEN_SMTP_USER: 'env@example.com', PINGWARDEN_SMTP_PASSWORD: 'envpw' },
      'env@example.com',
      'envpw',
    ],
    [
      'environment overrides the password only',
      'bob,s3cret',
      { PINGWARDEN_SMTP_PASSWORD: 'envpw' },
      'bob',
      'envpw',
    ],
    [
      'environment alone, no file',
      null,
      { PINGWARDEN_SMTP_USER: 'u', PINGWARDEN_SMTP_PASSWORD: 'p' },
      'u',
      'p',
    ],
    [
      'empty variables are ignored',
      'bob,s3cret',
      { PINGWARDEN_SMTP_USER: '', PINGWARDEN_SMTP_PASSWORD: '' },
      'bob',
      's3cret',
    ],
  ];
  for (const [name, text, env, username, password] of good) {
    it(name, () => {
      const { creds, errors } = parseCreds(text, FILE, env);
      expect(errors.map((e) => e.message)).to.deep.equal([]);
      expect(creds).to.deep.equal({ username, password });
    });
  }

  const bad: [name: string, text: string | null, env: NodeJS.ProcessEnv, expected: string[]][] = [
    [
      'username without password',
      '\nbob',
      {},
      [
        'config/creds.csv:2: SMTP username is set but the password is missing (give "username,password" or set PINGWARDEN_SMTP_PASSWORD)',
      ],
    ],
    [
      'password without username',
      ',s3cret',
      {},
      [
        'config/creds.csv:1: SMTP password is set but the username is missing (give "username,password" or set PINGWARDEN_SMTP_USER)',
      ],
    ],
    [
      'username from the environment only',
      null,
      { PINGWARDEN_SMTP_USER: 'u' },
      [
        'config/creds.csv: SMTP username is set but the password is missing (give "username,password" or set PINGWARDEN_SMTP_PASSWORD)',
      ],
    ],
    [
      'an unquoted comma in the password (the password is not echoed)',
      'bob,a,b',
      {},
      ['config/creds.csv:1: too many values: expected "username,password" (quote a password with commas)'],
    ],
    [
      'two rows',
      'bob,pw\nann,pw',
      {},
      ['config/creds.csv:2: only one row is allowed (the login is on line 1)'],
    ],
    [
      'line break',
      'bob,"pw\n"',
      {},
      ['config/creds.csv:1: line breaks are not allowed in the username or password'],
    ],
  ];
  for (const [name, text, env, expected] of bad) {
    it(`rejects ${name}`, () =>
      expect(parseCreds(text, FILE, env).errors.map((e) => e.message)).to.deep.equal(expected));
  }
});
