import { expect } from 'chai';

import { CheckPool } from '../../../lib/probe/check-pool.js';
import { DnsProber } from '../../../lib/probe/dns/dns-prober.js';
import type { ProbeResult } from '../../../lib/probe/pinger.js';
import { systemClock } from '../../../lib/shared/clock.js';
import { DnsTestServer } from '../../support/dns-test-server.js';
import { ONE_TRY, serviceTarget } from '../service-targets.js';

describe('DnsProber (a DNS server of the test on 127.0.0.53)', function () {
  this.timeout(20_000);
  let server: DnsTestServer;
  const prober = new DnsProber({ clock: systemClock, pool: new CheckPool(4) });
  const probeRow = async (row: string): Promise<ProbeResult> => {
    const results = await prober.probe([serviceTarget('dns', row)], ONE_TRY);
    expect(results).to.have.length(1);
    return results[0]!;
  };

  before(async () => {
    server = await DnsTestServer.start({
      'www.office.test': { A: ['10.1.2.3', '10.1.2.4'], AAAA: ['2001:db8::10'] },
      'empty.office.test': {},
    });
  });
  after(() => server.stop());

  it("asks only the row's server and checks expect:", async () => {
    const base = `dns://${server.address}:${server.port}`;
    const before = server.queries;
    expect(await probeRow(`${base}/www.office.test`)).to.include({
      host: `${base}/www.office.test`,
      alive: true,
    });
    expect(server.queries).to.be.greaterThan(before);
    expect(await probeRow(`${base}/www.office.test,,,expect:10.1.2.4`)).to.include({ alive: true });
    expect(await probeRow(`${base}/www.office.test?type=AAAA,,,expect:2001:db8:0::10`)).to.include({
      alive: true,
    });
    expect(await probeRow(`${base}/www.office.test,,,expect:10.9.9.9`)).to.include({
      alive: false,
      error: 'DNS A www.office.test: answered 10.1.2.3, 10.1.2.4, expected 10.9.9.9',
    });
    expect(await probeRow(`${base}/gone.office.test`)).to.include({
      alive: false,
      error: 'DNS A gone.office.test: no such name (NXDOMAIN)',
    });
    expect(await probeRow(`${base}/empty.office.test`)).to.include({
      alive: false,
      error: 'DNS A empty.office.test: no records of this type',
    });
  });

  it('is DOWN when the server stops answering, UP again when it answers', async () => {
    const row = `dns://${server.address}:${server.port}/www.office.test`;
    server.silent = true;
    expect(await probeRow(row)).to.include({
      alive: false,
      error: 'DNS A www.office.test: no answer within 1 s',
    });
    server.silent = false;
    expect(await probeRow(row)).to.include({ alive: true });
  });
});
