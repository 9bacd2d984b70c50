import { expect } from 'chai';

import { parseServerInfo } from '../../lib/config/parse-server-info.js';

const FILE = 'config/server_info.csv';

describe('parseServerInfo', () => {
  const good: [name: string, text: string, host: string, port: number][] = [
    ['name and port', 'smtp.example.com,587', 'smtp.example.com', 587],
    [
      'comment, header, CRLF, spaces',
      '# mail\r\nserver_address,port\r\n 127.0.0.1 , 2525 \r\n',
      '127.0.0.1',
      2525,
    ],
    ['IPv6 server', '::1,25', '::1', 25],
    ['port range ends', 'mail.example,65535', 'mail.example', 65535],
  ];
  for (const [name, text, host, port] of good) {
    it(name, () => {
      const { server, errors } = parseServerInfo(text, FILE);
      expect(errors.map((e) => e.message)).to.deep.equal([]);
      expect(server).to.deep.equal({ host, port });
    });
  }

  const bad: [name: string, text: string, expected: string[]][] = [
    [
      'no row',
      '# nothing\n',
      [
        'config/server_info.csv: no server listed (expected one row "server_address,port", e.g. "smtp.example.com,587"); delete the file to log alerts only',
      ],
    ],
    [
      'missing port',
      'smtp.example.com',
      [
        'config/server_info.csv:1: missing port (expected one row "server_address,port", e.g. "smtp.example.com,587")',
      ],
    ],
    [
      'too many values',
      'smtp.example.com,587,tls',
      [
        'config/server_info.csv:1: too many values (expected one row "server_address,port", e.g. "smtp.example.com,587")',
      ],
    ],
    [
      'port 0',
      'smtp.example.com,0',
      ['config/server_info.csv:1: port must be an integer from 1 to 65535, got "0"'],
    ],
    [
      'port too big',
      'smtp.example.com,65536',
      ['config/server_info.csv:1: port must be an integer from 1 to 65535, got "65536"'],
    ],
    [
      'port not a number',
      'smtp.example.com,smtp',
      ['config/server_info.csv:1: port must be an integer from 1 to 65535, got "smtp"'],
    ],
    [
      'hostile address',
      '-oProxyCommand=x,25',
      ['config/server_info.csv:1: invalid server address "-oProxyCommand=x": must not start with "-"'],
    ],
    ['empty address', ',25', ['config/server_info.csv:1: invalid server address "": is empty']],
    [
      'both bad',
      'smtp example,x',
      [
        'config/server_info.csv:1: invalid server address "smtp example": must not contain spaces or other whitespace',
        'config/server_info.csv:1: port must be an integer from 1 to 65535, got "x"',
      ],
    ],
    [
      'second row',
      'a.example,25\n\nb.example,25',
      ['config/server_info.csv:3: only one row is allowed (the server is on line 1)'],
    ],
    [
      'line break',
      '"a.example\n",25',
      ['config/server_info.csv:1: line breaks are not allowed in the server address or port'],
    ],
  ];
  for (const [name, text, expected] of bad) {
    it(`rejects ${name}`, () =>
      expect(parseServerInfo(text, FILE).errors.map((e) => e.message)).to.deep.equal(expected));
  }
});
