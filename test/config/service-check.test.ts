import { expect } from 'chai';

import { parseHosts } from '../../lib/config/parse-hosts.js';
import { maskCredentials } from '../../lib/config/service-check.js';
import type { Check } from '../../lib/config/target.js';

const FILE = 'config/hosts.csv';

function checkOf(row: string): Check {
  const { targets, errors } = parseHosts(row, FILE);
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  expect(targets).to.have.length(1);
  return targets[0]!.check;
}

function errorsOf(text: string): string[] {
  return parseHosts(text, FILE).errors.map((e) => e.message);
}

const TRUST = { insecure: false, ca: null };

describe('service rows of hosts.csv', () => {
  const good: [row: string, check: Check][] = [
    ['tcp://10.0.0.5:25,Mail,Rack', { kind: 'tcp', host: '10.0.0.5', port: 25 }],
    ['tcp://[2001:db8::1]:22', { kind: 'tcp', host: '2001:db8::1', port: 22 }],
    ['tcp://mail.example.test:587', { kind: 'tcp', host: 'mail.example.test', port: 587 }],
    [
      'http://intranet.test/,,,method:head',
      {
        kind: 'http',
        url: 'http://intranet.test/',
        method: 'HEAD',
        statuses: null,
        keyword: null,
        notKeyword: null,
        maxRedirects: 5,
        tls: TRUST,
        certDays: null,
      },
    ],
    [
      'http://intranet.test/login,Intranet,HQ',
      {
        kind: 'http',
        url: 'http://intranet.test/login',
        method: 'GET',
        statuses: null,
        keyword: null,
        notKeyword: null,
        maxRedirects: 5,
        tls: TRUST,
        certDays: null,
      },
    ],
    [
      // A value with commas (status:200,204) needs the options cell in double quotes.
      'https://intranet.test/,x,y,"status:200,204 keyword:Welcome%20back not-keyword:Error max-redirects:0 cert-days:14 ca:ca.pem"',
      {
        kind: 'http',
        url: 'https://intranet.test/',
        method: 'GET',
        statuses: [200, 204],
        keyword: 'Welcome back',
        notKeyword: 'Error',
        maxRedirects: 0,
        tls: { insecure: false, ca: { file: 'ca.pem', pem: null } },
        certDays: 14,
      },
    ],
    [
      'tls://127.0.0.1:8443,,,insecure:yes cert-days:30',
      { kind: 'tls', host: '127.0.0.1', port: 8443, tls: { insecure: true, ca: null }, certDays: 30 },
    ],
    ['tls://mail.test', { kind: 'tls', host: 'mail.test', port: 443, tls: TRUST, certDays: null }],
    [
      'dns://127.0.0.53/www.office.test?type=AAAA',
      { kind: 'dns', server: '127.0.0.53', port: 53, name: 'www.office.test', type: 'AAAA', expect: null },
    ],
    [
      'dns://127.0.0.53:5353/www.office.test,,,type:mx expect:mx1.office.test',
      {
        kind: 'dns',
        server: '127.0.0.53',
        port: 5353,
        name: 'www.office.test',
        type: 'MX',
        expect: 'mx1.office.test',
      },
    ],
  ];
  for (const [row, check] of good) {
    it(`parses ${row}`, () => expect(checkOf(row)).to.deep.equal(check));
  }

  it('names a row by its URL with the password masked, everywhere', () => {
    const { targets } = parseHosts('https://admin:s3cret@intranet.test/,Intranet,HQ', FILE);
    expect(targets[0]!.id).to.equal('https://admin:***@intranet.test/');
    expect(targets[0]!.label.host).to.equal('https://admin:***@intranet.test/');
    expect(JSON.stringify(targets[0]!.label)).not.to.include('s3cret');
    // The check keeps the real URL: the request needs it.
    expect((targets[0]!.check as { url: string }).url).to.equal('https://admin:s3cret@intranet.test/');
  });

  it('masks passwords in any text', () => {
    expect(maskCredentials('GET http://u:p%40ss@h/ and https://x:y@z:8443/a')).to.equal(
      'GET http://u:***@h/ and https://x:***@z:8443/a',
    );
    expect(maskCredentials('http://user@host/')).to.equal('http://user@host/');
  });

  it('reports every mistake with file:line, never quoting a password', () => {
    const text = [
      'tcp://10.0.0.5',
      'tcp://-oProxyCommand=x:22',
      'http://admin:hunter2@bad host/',
      'dns://ns.office.test/www.test',
      'dns://127.0.0.1/www.test?type=SRV',
      'https://a.test/,,,keyword:x method:HEAD',
      'https://b.test/,,,ca:ca.pem insecure:yes',
      'http://c.test/,,,cert-days:0',
      'tcp://10.0.0.6:25,,,keyword:hello',
      '10.0.0.7,,,status:200',
      'https://d.test/,,,via:10.0.0.0/8',
      'ftp://files.test/',
      'http://e.test/,,,status:2000',
      'https://admin:hunter2@f.test/',
      'https://admin:other@f.test/',
      'tcp://10.0.0.5:0',
      'dns://127.0.0.1/bad..name',
    ].join('\n');
    const errors = errorsOf(text);
    expect(errors).to.deep.equal([
      'config/hosts.csv:1: invalid URL "tcp://10.0.0.5": needs a port (tcp://HOST:PORT)',
      'config/hosts.csv:2: invalid URL "tcp://-oProxyCommand=x:22": host must not start with "-"',
      'config/hosts.csv:3: invalid URL "http://admin:***@bad host/": must not contain spaces or control characters',
      'config/hosts.csv:4: invalid URL "dns://ns.office.test/www.test": the DNS server must be an IP address (dns://SERVER-IP[:PORT]/NAME?type=A)',
      'config/hosts.csv:5: invalid URL "dns://127.0.0.1/www.test?type=SRV": type must be one of A, AAAA, CNAME, MX, NS, TXT, got "SRV"',
      'config/hosts.csv:6: a keyword needs a body: method:HEAD gets none',
      'config/hosts.csv:7: give option "ca" or "insecure:yes", not both',
      'config/hosts.csv:8: option "cert-days" must be a number of days from 1 to 3650, got "0"',
      'config/hosts.csv:9: option "keyword" applies only to http:// and https:// rows',
      'config/hosts.csv:10: option "status" applies only to http:// and https:// rows',
      'config/hosts.csv:11: option "via" applies only to hosts that are pinged, not to https:// rows',
      'config/hosts.csv:12: invalid host "ftp://files.test/": unknown scheme (a URL row starts with tcp://, http://, https://, dns:// or tls://)',
      'config/hosts.csv:13: option "status" must be HTTP statuses (100-599) separated by commas, got "2000"',
      'config/hosts.csv:15: duplicate host "https://admin:***@f.test/" (first listed on line 14)',
      'config/hosts.csv:16: invalid URL "tcp://10.0.0.5:0": needs a port (tcp://HOST:PORT)',
      'config/hosts.csv:17: invalid URL "dns://127.0.0.1/bad..name": name "bad..name" has an empty label (two dots in a row, or a leading dot)',
    ]);
    expect(errors.join('\n')).not.to.include('hunter2');
  });

  it('takes cycle: and lamp: like any row, so a dead service port can power-cycle the modem', () => {
    const { targets, errors } = parseHosts('tcp://192.0.2.1:443,Uplink test,,cycle:Modem lamp:no', FILE);
    expect(errors).to.deep.equal([]);
    expect(targets[0]).to.include({ cyclePlug: 'Modem', lamp: false, id: 'tcp://192.0.2.1:443' });
  });

  it('a URL first row is a row, not a header nobody named', () => {
    const { warnings, errors } = parseHosts('http://10.0.0.9/,Web\n10.0.0.1,Router\n10.0.0.2,Switch', FILE);
    expect(errors).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
  });

  it('lets a service row sit behind a pinged parent', () => {
    const { targets, errors } = parseHosts('10.0.0.1,Router\ntcp://10.0.0.5:25,Mail,,parent:10.0.0.1', FILE);
    expect(errors).to.deep.equal([]);
    expect(targets[1]!.parent).to.equal('10.0.0.1');
  });
});
