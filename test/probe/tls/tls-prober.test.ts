import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';

import { CheckPool } from '../../../lib/probe/check-pool.js';
import { TlsProber } from '../../../lib/probe/tls/tls-prober.js';
import { systemClock } from '../../../lib/shared/clock.js';
import {
  makeCertificate,
  makeExpiredCertificate,
  type TestCertificate,
} from '../../support/test-certificate.js';
import { ONE_TRY, serviceTarget } from '../service-targets.js';

describe('TlsProber (a real TLS listener with openssl certificates)', function () {
  this.timeout(20_000);
  let dir: string;
  let valid: TestCertificate;
  let expiring: TestCertificate;
  const servers: Server[] = [];
  const prober = new TlsProber({ clock: systemClock, pool: new CheckPool(4) });

  const serve = async (certificate: TestCertificate): Promise<number> => {
    const server = createServer({ cert: certificate.cert, key: certificate.key }, (socket) => socket.end());
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pingwarden-tls-'));
    [valid, expiring] = await Promise.all([
      makeCertificate(dir, 'valid', 365),
      makeCertificate(dir, 'soon', 3),
    ]);
  });
  after(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it('verifies the certificate: untrusted is DOWN, ca:FILE and insecure:yes are UP', async () => {
    const port = await serve(valid);
    const [untrusted] = await prober.probe([serviceTarget('tls', `tls://127.0.0.1:${port}`)], ONE_TRY);
    expect(untrusted).to.include({ alive: false, error: 'TLS: self-signed certificate' });
    const [trusted] = await prober.probe(
      [serviceTarget('tls', `tls://127.0.0.1:${port},,,ca:ca.pem`, valid.cert)],
      ONE_TRY,
    );
    expect(trusted).to.include({ host: `tls://127.0.0.1:${port}`, alive: true });
    const [insecure] = await prober.probe(
      [serviceTarget('tls', `tls://localhost:${port},,,insecure:yes`)],
      ONE_TRY,
    );
    expect(insecure).to.include({ alive: true });
  });

  it('an expired certificate fails verification: "TLS: certificate has expired"; insecure:yes still sees the date', async () => {
    const expired = await makeExpiredCertificate(dir, 'expired');
    const port = await serve(expired);
    const [trusted] = await prober.probe(
      [serviceTarget('tls', `tls://127.0.0.1:${port},,,ca:ca.pem`, expired.cert)],
      ONE_TRY,
    );
    expect(trusted).to.include({ alive: false, error: 'TLS: certificate has expired' });
    const [insecure] = await prober.probe(
      [serviceTarget('tls', `tls://127.0.0.1:${port},,,insecure:yes cert-days:1`)],
      ONE_TRY,
    );
    expect(insecure).to.include({
      alive: false,
      error: 'certificate expired on 2020-01-02T00:00:00Z (cert-days:1)',
    });
  });

  it('cert-days: expiring in 3 days is a warning (DEGRADED) with the date, expired is DOWN, judged by the injected clock', async () => {
    const port = await serve(expiring);
    const target = serviceTarget('tls', `tls://127.0.0.1:${port},,,insecure:yes cert-days:7`);
    const on = expiring.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [soon] = await prober.probe([target], { attempts: 3, timeoutSeconds: 1 });
    // One attempt: waiting cannot make a certificate younger.
    expect(soon).to.include({
      alive: true,
      attempts: 1,
      warning: `certificate expires in 2 days, on ${on} (cert-days:7)`,
    });

    const later = { now: () => new Date(expiring.expiresAt.getTime() + 1000), sleep: systemClock.sleep };
    const [expired] = await new TlsProber({ clock: later, pool: new CheckPool(1) }).probe([target], ONE_TRY);
    expect(expired).to.include({ alive: false, error: `certificate expired on ${on} (cert-days:7)` });

    const [refused] = await prober.probe([serviceTarget('tls', `tls://127.0.0.1:1`)], ONE_TRY);
    expect(refused).to.include({ alive: false, error: 'TLS port 1: connection refused' });
  });
});
