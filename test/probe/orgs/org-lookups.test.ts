import { expect } from 'chai';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { parseOrgs } from '../../../lib/config/parse-orgs.js';
import { IpinfoOrgLookup } from '../../../lib/probe/orgs/ipinfo-org-lookup.js';
import { OfflineOrgLookup } from '../../../lib/probe/orgs/offline-org-lookup.js';
import { FakeClock } from '../../fakes/fake-clock.js';

describe('OfflineOrgLookup', () => {
  const { prefixes } = parseOrgs(
    '198.18.0.0/15,AS64500 Lab\n198.18.1.0/24,AS64502 Slow Mobile\n2001:db8::/32,AS64509 Six\n',
    'orgs.csv',
  );
  const orgs = new OfflineOrgLookup(prefixes);
  const cases: [string, unknown][] = [
    ['198.18.1.7', { status: 'found', org: 'AS64502 Slow Mobile' }],
    ['198.18.2.7', { status: 'found', org: 'AS64500 Lab' }],
    ['2001:db8::1', { status: 'found', org: 'AS64509 Six' }],
    ['192.0.2.1', { status: 'unknown' }],
  ];
  for (const [address, answer] of cases) {
    it(`answers ${address} with the most specific prefix`, async () =>
      expect(await orgs.lookup(address)).to.deep.equal(answer));
  }
});

describe('IpinfoOrgLookup (against a fake IPinfo on 127.0.0.1)', () => {
  let server: Server;
  let baseUrl: string;
  const requests: IncomingMessage[] = [];
  let mode: 'ok' | 'slow' | 'error' = 'ok';

  before(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      if (mode === 'error') {
        res.writeHead(429).end('{"error":"rate limited"}');
        return;
      }
      const ip = decodeURIComponent((req.url ?? '').split('/')[1] ?? '');
      const body = ip.startsWith('10.')
        ? { ip, bogon: true }
        : { ip, org: 'AS64500 Example ISP', country: 'ZZ' };
      if (mode === 'slow') {
        // Answer long after the client's time limit; the timer is cleared when the server closes.
        const timer = setTimeout(() => res.end(JSON.stringify(body)), 2_000);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    requests.length = 0;
    mode = 'ok';
  });

  const lookup = (clock = new FakeClock()) =>
    new IpinfoOrgLookup({ token: 'tok123', baseUrl, timeoutMs: 200, cacheSeconds: 60, clock });

  it('asks with the token and caches the answer until it expires', async () => {
    const clock = new FakeClock();
    const orgs = lookup(clock);
    expect(await orgs.lookup('203.0.113.9')).to.deep.equal({ status: 'found', org: 'AS64500 Example ISP' });
    expect(await orgs.lookup('203.0.113.9')).to.deep.equal({ status: 'found', org: 'AS64500 Example ISP' });
    expect(requests.map((r) => [r.url, r.headers.authorization])).to.deep.equal([
      ['/203.0.113.9/json', 'Bearer tok123'],
    ]);
    clock.advance(61_000);
    await orgs.lookup('203.0.113.9');
    expect(requests.length).to.equal(2);
  });

  it('calls a private address unknown', async () =>
    expect(await lookup().lookup('10.1.2.3')).to.deep.equal({ status: 'unknown' }));

  it('reports an HTTP error as a failed lookup and does not cache it', async () => {
    mode = 'error';
    const orgs = lookup();
    expect(await orgs.lookup('203.0.113.9')).to.deep.equal({
      status: 'failed',
      reason: 'ipinfo answered HTTP 429',
    });
    mode = 'ok';
    expect((await orgs.lookup('203.0.113.9')).status).to.equal('found');
  });

  it('reports a timeout as a failed lookup', async () => {
    mode = 'slow';
    expect(await lookup().lookup('203.0.113.9')).to.deep.equal({
      status: 'failed',
      reason: 'ipinfo did not answer within 200 ms',
    });
  });
});
