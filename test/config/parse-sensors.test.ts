import { expect } from 'chai';

import { isSecretPath, parseSensors } from '../../lib/config/parse-sensors.js';

const FILE = 'config/sensors.csv';
const KEY = '0123456789abcdef0123456789abcdef';

describe('parseSensors', () => {
  it('reads sensors with inline keys, key files and the insecure option; skips the header', () => {
    const { sensors, errors } = parseSensors(
      [
        'name,secret_file_or_key,down_seconds,description,location,options',
        `cabin,${KEY},180,Cabin uplink,Lake house`,
        'shed,./keys/shed.key,300,Shed Pi,Garden',
        'oldpi,,60,"Old sensor, attic",Attic,insecure:198.51.100.7',
        '# a comment',
        'v6,/etc/pingwarden/v6.key,10,,,insecure:2001:db8::7',
      ].join('\n'),
      FILE,
    );
    expect(errors.map((e) => e.message)).to.deep.equal([]);
    expect(sensors).to.deep.equal([
      {
        name: 'cabin',
        host: 'sensor:cabin',
        key: KEY,
        secretFile: null,
        downSeconds: 180,
        description: 'Cabin uplink',
        location: 'Lake house',
        insecureAddress: null,
        line: 2,
      },
      {
        name: 'shed',
        host: 'sensor:shed',
        key: null,
        secretFile: './keys/shed.key',
        downSeconds: 300,
        description: 'Shed Pi',
        location: 'Garden',
        insecureAddress: null,
        line: 3,
      },
      {
        name: 'oldpi',
        host: 'sensor:oldpi',
        key: null,
        secretFile: null,
        downSeconds: 60,
        description: 'Old sensor, attic',
        location: 'Attic',
        insecureAddress: '198.51.100.7',
        line: 4,
      },
      {
        name: 'v6',
        host: 'sensor:v6',
        key: null,
        secretFile: '/etc/pingwarden/v6.key',
        downSeconds: 10,
        description: '',
        location: '',
        insecureAddress: '2001:db8::7',
        line: 6,
      },
    ]);
  });

  const bad: [name: string, text: string, errors: string[]][] = [
    ['missing name', `,${KEY},60`, [`${FILE}:1: missing sensor name (the first value)`]],
    [
      'name with a space',
      `my cabin,${KEY},60`,
      [
        `${FILE}:1: invalid sensor name "my cabin": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      ],
    ],
    [
      'name starting with -',
      `-f,${KEY},60`,
      [
        `${FILE}:1: invalid sensor name "-f": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      ],
    ],
    [
      'duplicate name, any case',
      `cabin,${KEY},60\nCabin,${KEY},60`,
      [`${FILE}:2: duplicate sensor "Cabin" (first listed on line 1)`],
    ],
    [
      'no secret and not insecure',
      'cabin,,60',
      [`${FILE}:1: missing secret (the second value): a key file path or the key itself`],
    ],
    [
      'short key (not echoed)',
      'cabin,hunter2,60',
      [`${FILE}:1: the key is shorter than 16 characters (make one with "openssl rand -hex 32")`],
    ],
    [
      'key with a space',
      'cabin,"hunter2 hunter2 hunter2",60',
      [`${FILE}:1: the key must not contain spaces`],
    ],
    ['missing down_seconds', `cabin,${KEY}`, [`${FILE}:1: missing down_seconds (the third value)`]],
    [
      'down_seconds not a number',
      `cabin,${KEY},3m`,
      [`${FILE}:1: down_seconds "3m" is not a whole number of seconds`],
    ],
    [
      'down_seconds too small',
      `cabin,${KEY},5`,
      [`${FILE}:1: down_seconds must be from 10 to 604800, got 5`],
    ],
    [
      'insecure without an address',
      `cabin,${KEY},60,,,insecure:home.example`,
      [`${FILE}:1: option "insecure" must be the IPv4 or IPv6 address the sensor sends from`],
    ],
    [
      'unknown option',
      `cabin,${KEY},60,,,cycle:Modem`,
      [`${FILE}:1: unknown option "cycle" (known options: insecure)`],
    ],
    [
      'too many values',
      `cabin,${KEY},60,a,b,c,d`,
      [
        `${FILE}:1: too many values (7): expected name,secret_file_or_key,down_seconds,description,location[,options]`,
      ],
    ],
    [
      'every problem of a row, and of every row',
      'bad name,short,x\nok,,60',
      [
        `${FILE}:1: invalid sensor name "bad name": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
        `${FILE}:1: the key is shorter than 16 characters (make one with "openssl rand -hex 32")`,
        `${FILE}:1: down_seconds "x" is not a whole number of seconds`,
        `${FILE}:2: missing secret (the second value): a key file path or the key itself`,
      ],
    ],
  ];
  for (const [name, text, expected] of bad) {
    it(`rejects ${name}`, () => {
      const parsed = parseSensors(text, FILE);
      expect(parsed.errors.map((e) => e.message)).to.deep.equal(expected);
      const badLines = new Set(parsed.errors.map((e) => e.line));
      expect(
        parsed.sensors.filter((s) => badLines.has(s.line)),
        'rows with problems are left out',
      ).to.deep.equal([]);
    });
  }

  it('tells key files from keys', () => {
    expect(['/etc/k', './k', '../k', 'abc/def', 'k.key'].map(isSecretPath)).to.deep.equal([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
