import { expect } from 'chai';

import { checkSensorName, parseSensorInterval, parseServerAddress } from '../../lib/sensor/sensor-options.js';

describe('pingwarden sensor options', () => {
  const servers: [text: string, expected: { host: string; port: number } | string][] = [
    ['198.18.0.1:7777', { host: '198.18.0.1', port: 7777 }],
    ['monitor.example.net:7777', { host: 'monitor.example.net', port: 7777 }],
    ['[2001:db8::1]:7777', { host: '2001:db8::1', port: 7777 }],
    ['198.18.0.1', '--server "198.18.0.1": expected HOST:PORT (IPv6 as [ADDRESS]:PORT)'],
    ['2001:db8::1:7777', '--server "2001:db8::1:7777": expected HOST:PORT (IPv6 as [ADDRESS]:PORT)'],
    ['-f:7777', '--server host "-f" must not start with "-"'],
    ['host:0', '--server port must be from 1 to 65535, got 0'],
    ['host:70000', '--server port must be from 1 to 65535, got 70000'],
  ];
  for (const [text, expected] of servers) {
    it(`reads --server ${text}`, () => {
      if (typeof expected === 'string') expect(() => parseServerAddress(text)).to.throw(expected);
      else expect(parseServerAddress(text)).to.deep.equal(expected);
    });
  }

  it('checks names and intervals', () => {
    expect(checkSensorName('cabin-1')).to.equal('cabin-1');
    expect(() => checkSensorName('my cabin')).to.throw(
      '--name "my cabin": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
    );
    expect(parseSensorInterval('60')).to.equal(60);
    for (const bad of ['0', '-5', '1.5', 'abc', '86401']) {
      expect(() => parseSensorInterval(bad)).to.throw(
        `--interval must be a whole number of seconds from 1 to 86400, got ${bad}`,
      );
    }
  });
});
