import { expect } from 'chai';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CheckPool } from '../../../lib/probe/check-pool.js';
import { HttpProber } from '../../../lib/probe/http/http-prober.js';
import type { ProbeResult } from '../../../lib/probe/pinger.js';
import { systemClock } from '../../../lib/shared/clock.js';
import {
  makeCertificate,
  makeExpiredCertificate,
  type TestCertificate,
} from '../../support/test-certificate.js';
import { waitFor } from '../../support/wait-for.js';
import { ONE_TRY, serviceTarget } from '../service-targets.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('HttpProber (real HTTP and HTTPS servers on 127.0.0.1)', function () {
  this.timeout(20_000);
  const servers: Server[] = [];
  let handler: Handler = (_request, response) => response.end('ok');
  let dir: string;
  let valid: TestCertificate;
  let expiring: TestCertificate;
  const prober = new HttpProber({ clock: systemClock, pool: new CheckPool(8) });
  const probeRow = async (row: string, pem?: string): Promise<ProbeResult> => {
    const results = await prober.probe([serviceTarget('http', row, pem)], ONE_TRY);
    expect(results).to.have.length(1);
    return results[0]!;
  };

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pingwarden-http-'));
    [valid, expiring] = await Promise.all([
      makeCertificate(dir, 'valid', 365),
      makeCertificate(dir, 'expiring', 3),
    ]);
  });
  after(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200, then 503, then drops the keyword: UP, "HTTP 503", "keyword \'Welcome\' not found"', async () => {
    const server = createHttpServer((request, response) => handler(request, response));
    servers.push(server);
    const port = await listen(server);
    const row = `http://127.0.0.1:${port}/login,Intranet,HQ,keyword:Welcome`;
    handler = (_request, response) => response.end('<h1>Welcome</h1>');
    expect(await probeRow(row)).to.include({
      host: `http://127.0.0.1:${port}/login`,
      alive: true,
      attempts: 1,
    });

    handler = (_request, response) => {
      response.statusCode = 503;
      response.end('<h1>Welcome</h1> but busy');
    };
    expect(await probeRow(row)).to.include({ alive: false, error: 'HTTP 503' });

    handler = (_request, response) => response.end('<h1>Maintenance</h1>');
    expect(await probeRow(row)).to.include({ alive: false, error: "keyword 'Welcome' not found" });

    expect(await probeRow(`http://127.0.0.1:${port}/,,,not-keyword:Maintenance`)).to.include({
      alive: false,
      error: "keyword 'Maintenance' found (not-keyword)",
    });
    handler = (_request, response) => {
      response.statusCode = 204;
      response.end();
    };
    expect(await probeRow(`http://127.0.0.1:${port}/,,,"status:200,204"`)).to.include({ alive: true });
    expect(await probeRow(`http://127.0.0.1:${port}/,,,status:200`)).to.include({
      alive: false,
      error: 'HTTP 204',
    });
  });

  it('follows redirects up to max-redirects, sends HEAD and the URL credentials, and never shows the password', async () => {
    const seen: string[] = [];
    handler = (request, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'}`);
      if (request.url === '/old') {
        response.writeHead(302, { location: '/new' });
        response.end();
      } else response.end('Welcome');
    };
    const server = createHttpServer((request, response) => handler(request, response));
    servers.push(server);
    const port = await listen(server);
    expect(await probeRow(`http://127.0.0.1:${port}/old,,,keyword:Welcome`)).to.include({ alive: true });
    expect(await probeRow(`http://127.0.0.1:${port}/old,,,max-redirects:0 status:200`)).to.include({
      alive: false,
      error: 'HTTP 302 (more than max-redirects:0)',
    });
    const secret = await probeRow(`http://admin:s3cret@127.0.0.1:${port}/new,,,method:HEAD`);
    expect(secret).to.include({ host: `http://admin:***@127.0.0.1:${port}/new`, alive: true });
    expect(seen.at(-1)).to.equal(`HEAD /new Basic ${Buffer.from('admin:s3cret').toString('base64')}`);
  });

  it('reads only the first MB, stops an endless body, and gives up on a silent server after timeout_seconds', async () => {
    const streams: ServerResponse[] = [];
    handler = (request, response) => {
      if (request.url === '/silent') return void streams.push(response);
      response.write('x'.repeat(1024 * 1024));
      response.write('Welcome');
      if (request.url === '/endless') {
        streams.push(response);
        const more = setInterval(
          () => (response.destroyed ? clearInterval(more) : response.write('y'.repeat(65536))),
          1,
        );
      } else response.end();
    };
    const server = createHttpServer((request, response) => handler(request, response));
    servers.push(server);
    const port = await listen(server);
    expect(await probeRow(`http://127.0.0.1:${port}/big,,,keyword:Welcome`)).to.include({
      alive: false,
      error: "keyword 'Welcome' not found",
    });
    expect(await probeRow(`http://127.0.0.1:${port}/endless`)).to.include({ alive: true });
    await waitFor(() => streams.every((response) => response.destroyed), 'the endless body to be cut off');
    expect(await probeRow(`http://127.0.0.1:${port}/silent`)).to.include({
      alive: false,
      error: 'no answer within 1 s',
    });
    streams.forEach((response) => response.destroy());
  });

  it('says why when nothing answers: connection refused', async () => {
    const server = createHttpServer();
    const port = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    expect(await probeRow(`http://127.0.0.1:${port}/`)).to.include({
      alive: false,
      error: 'connection refused',
    });
  });

  it('HTTPS with an openssl self-signed certificate: refused untrusted, UP through ca:FILE or insecure:yes', async () => {
    const server = createHttpsServer({ cert: valid.cert, key: valid.key }, (_request, response) =>
      response.end('Welcome'),
    );
    servers.push(server);
    const port = await listen(server);
    const url = `https://127.0.0.1:${port}/`;
    expect(await probeRow(url)).to.include({ alive: false, error: 'TLS: self-signed certificate' });
    expect(await probeRow(`${url},,,ca:ca.pem cert-days:30`, valid.cert)).to.include({ alive: true });
    expect(await probeRow(`${url},,,insecure:yes`)).to.include({ alive: true });
  });

  it('an expired certificate: "TLS: certificate has expired"', async () => {
    const expired = await makeExpiredCertificate(dir, 'expired');
    const server = createHttpsServer({ cert: expired.cert, key: expired.key }, (_request, response) =>
      response.end('ok'),
    );
    servers.push(server);
    const port = await listen(server);
    expect(await probeRow(`https://127.0.0.1:${port}/,,,ca:ca.pem`, expired.cert)).to.include({
      alive: false,
      error: 'TLS: certificate has expired',
    });
  });

  it('cert-days: a certificate expiring in 3 days still answers, with a warning (DEGRADED) that dates it', async () => {
    const server = createHttpsServer({ cert: expiring.cert, key: expiring.key }, (_request, response) =>
      response.end('ok'),
    );
    servers.push(server);
    const port = await listen(server);
    const on = expiring.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect(await probeRow(`https://127.0.0.1:${port}/,,,ca:ca.pem cert-days:14`, expiring.cert)).to.include({
      alive: true,
      attempts: 1,
      // openssl dates it from now, so 3 days less the seconds since: "in 2 days".
      warning: `certificate expires in 2 days, on ${on} (cert-days:14)`,
    });
    expect(
      await probeRow(`https://127.0.0.1:${port}/,,,ca:ca.pem cert-days:2`, expiring.cert),
    ).to.deep.include({
      alive: true,
    });
  });
});
