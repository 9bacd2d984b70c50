import { expect } from 'chai';

import { hostIdentity, validateDnsName, validateHostAddress } from '../../lib/config/host-address.js';

describe('validateHostAddress', () => {
  const good = [
    '127.0.0.1',
    '10.1.1.254',
    // Hex-looking labels are fine once one label is a real name: inet_aton refuses the whole string.
    '0x7f.example',
    'cafe.0x1',
    '::1',
    '2001:db8::1',
    '::ffff:192.0.2.1',
    'localhost',
    'router.example.com',
    'router.example.com.',
    'ap-3.bldg6.campus.example',
    'DC01_old.corp.example',
    'xn--bcher-kva.example',
    'a'.repeat(63) + '.example',
  ];
  for (const host of good) {
    it(`accepts ${host}`, () => expect(validateHostAddress(host)).to.equal(null));
  }

  const bad: [host: string, problem: string][] = [
    ['', 'is empty'],
    ['-f', 'must not start with "-"'],
    ['--help', 'must not start with "-"'],
    [';rm -rf /', 'must not contain ";"'],
    ['$(reboot)', 'must not contain "$"'],
    ['`reboot`', 'must not contain "`"'],
    ['a b', 'must not contain spaces or other whitespace'],
    ['a\tb', 'must not contain spaces or other whitespace'],
    ['host|cat', 'must not contain "|"'],
    ['host&', 'must not contain "&"'],
    ['host>out', 'must not contain ">"'],
    ['a/b', 'must not contain "/"'],
    ['nul\u0000x', 'must not contain "\\u0000"'],
    ['bücher.example', 'must not contain "ü"'],
    ['[::1]', 'write IPv6 addresses without brackets'],
    ['fe80::1%eth0', 'must not contain "%"'],
    ['2001:db8:::1', 'is not a valid IPv6 address'],
    ['host:80', 'is not a valid IPv6 address'],
    ['10.1.1', 'is not a valid IPv4 address'],
    ['256.1.1.1', 'is not a valid IPv4 address'],
    ['010.1.1.1', 'is not a valid IPv4 address'],
    // inet_aton's short and hex forms: ping would read each of these as 127.0.0.1.
    ['0x7f.1', 'is not a valid IPv4 address'],
    ['0x7f000001', 'is not a valid IPv4 address'],
    ['0X7F.0.0.1', 'is not a valid IPv4 address'],
    ['2130706433', 'is not a valid IPv4 address'],
    ['127.1.', 'is not a valid IPv4 address'],
    ['1.2.3.4.', 'is not a valid IPv4 address'],
    ['a..b', 'has an empty label (two dots in a row, or a leading dot)'],
    ['.example', 'has an empty label (two dots in a row, or a leading dot)'],
    ['router-.example', 'has a label ending with "-" ("router-")'],
    ['a.-b', 'has a label starting with "-" ("-b")'],
    ['a'.repeat(64) + '.example', 'has a label longer than 63 characters ("aaaaaaaaaaaaaaaaaaaa...")'],
    [`${'a'.repeat(60)}.`.repeat(4) + 'abcdefghijklmnop', 'is longer than 253 characters'],
  ];
  for (const [host, problem] of bad) {
    it(`rejects ${JSON.stringify(host)}: ${problem}`, () =>
      expect(validateHostAddress(host)).to.equal(problem));
  }
});

describe('validateDnsName', () => {
  it('refuses IPv6-looking text, which is not a name', () => {
    expect(validateDnsName('::1')).to.equal('must not contain ":"');
  });
  it('accepts a single label', () => expect(validateDnsName('localhost')).to.equal(null));
});

describe('hostIdentity', () => {
  const same: [a: string, b: string][] = [
    ['Router.Example', 'router.example'],
    ['router.example.', 'router.example'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:DB8::1', '2001:db8:0::1'],
  ];
  for (const [a, b] of same) {
    it(`${a} is the same host as ${b}`, () => expect(hostIdentity(a)).to.equal(hostIdentity(b)));
  }
  it('keeps different addresses apart', () =>
    expect(hostIdentity('10.0.0.1')).not.to.equal(hostIdentity('10.0.0.2')));
});
