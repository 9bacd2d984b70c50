import { expect } from 'chai';
import { copyFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import path from 'node:path';

import { CliProcess, runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { freePort } from '../support/free-port.js';
import { makeCertificate } from '../support/test-certificate.js';
import { waitFor } from '../support/wait-for.js';

/** GET over HTTPS trusting `ca`; the answer's body and the certificate the server showed. */
function get(url: string, ca: string[]): Promise<{ status: number; body: string; cert: PeerCertificate }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      let body = '';
      const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, cert }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS on the HTTP listener (certificates made by openssl)', function () {
  this.timeout(60_000);
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  after(async () => {
    await daemon?.stop('SIGKILL');
    await site?.remove();
  });

  it('check-config reports a key that does not match; the daemon serves HTTPS and re-reads the files on SIGHUP', async () => {
    const port = await freePort();
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
      'settings.csv': `interval_seconds,2\nhttp_port,${port}\nstatus_public,yes\nhttp_tls_cert,tls/site.crt\nhttp_tls_key,tls/site.key\n`,
    });
    const tls = path.join(site.configDir, 'tls');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(tls);
    const a = await makeCertificate(tls, 'a', 30);
    const b = await makeCertificate(tls, 'b', 30);
    await copyFile(a.certFile, path.join(tls, 'site.crt'));
    await copyFile(path.join(tls, 'b.key'), path.join(tls, 'site.key'));

    const bad = await runCli(['check-config', '--config', site.configDir, '--logs', site.logsDir]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include(
      `${path.join(site.configDir, 'settings.csv')}:5: http_tls_key ${path.join(tls, 'site.key')} does not match the certificate ${path.join(tls, 'site.crt')}`,
    );
    expect(bad.output()).not.to.match(/\n\s+at /);
    // start agrees with check-config: the same line, exit 2, nothing started (it was a TLS stack trace).
    const badStart = await runCli(['start', '--config', site.configDir, '--logs', site.logsDir]);
    expect(badStart.code, badStart.output()).to.equal(2);
    expect(badStart.stderr).to.include(`${path.join(site.configDir, 'settings.csv')}:5: http_tls_key`);
    expect(badStart.output()).not.to.match(/\n\s+at |unexpected error/);

    await copyFile(path.join(tls, 'a.key'), path.join(tls, 'site.key'));
    const good = await runCli(['check-config', '--config', site.configDir, '--logs', site.logsDir]);
    expect(good.code, good.output()).to.equal(0);

    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(/http listening/);
    await daemon.waitForOutput(/cycle hosts=1/);
    const url = `https://127.0.0.1:${port}/api/v1/status`;
    const first = await get(url, [a.cert, b.cert]);
    expect(first.status).to.equal(200);
    expect(JSON.parse(first.body)).to.have.property('overview', '0 of 1 down');
    const fingerprintA = first.cert.fingerprint256;

    await copyFile(b.certFile, path.join(tls, 'site.crt'));
    await copyFile(path.join(tls, 'b.key'), path.join(tls, 'site.key'));
    daemon.child.kill('SIGHUP');
    await waitFor(
      async () => (await get(url, [a.cert, b.cert])).cert.fingerprint256 !== fingerprintA,
      'the new certificate after SIGHUP',
      10_000,
      100,
    );
  });
});
