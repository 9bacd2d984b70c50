import { createServer } from 'node:net';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { freePort } from '../support/free-port.js';

describe('integration: the daemon with its HTTP listener', function () {
  this.timeout(60_000);
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;

  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    await site?.remove();
    daemon = undefined;
  });

  it('serves /healthz, /metrics and /ping while running, and closes the listener on SIGTERM', async () => {
    const port = await freePort();
    const token = 'daemon-token-0123';
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
      'settings.csv': `interval_seconds,1\ntimeout_seconds,1\nhttp_port,${port}\nhttp_token,${token}\n`,
    });
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(new RegExp(`http listening address=127.0.0.1 port=${port}`));
    await daemon.waitForOutput(/cycle hosts=1 up=1/);
    const base = `http://127.0.0.1:${port}`;

    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    expect((await fetch(`${base}/metrics`)).status).to.equal(401);
    const metrics = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    const text = await metrics.text();
    expect(metrics.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
    expect(text).to.match(/^pingwarden_host_up\{host="127\.0\.0\.1"\} 1$/m);
    expect(text).to.match(/^pingwarden_process_start_time_seconds \d+/m);
    const ping = await fetch(`${base}/ping?Target=127.0.0.1&MaxLatencyMs=50&token=${token}`);
    expect(ping.status).to.equal(200);
    // IPv6: iputils prints "PING ::1(::1)" and "64 bytes from ::1:", which must be understood.
    const ping6 = await fetch(`${base}/ping?Target=::1&MaxLatencyMs=50&token=${token}`);
    const body6 = (await ping6.json()) as { destination: string | null; rttsMs: number[] };
    expect(ping6.status, JSON.stringify(body6)).to.equal(200);
    expect(body6.destination).to.equal('::1');
    expect(body6.rttsMs.length).to.be.above(0);

    // orgs.csv is followed while running: the org check fails (no source), then passes once it exists.
    const trace = () =>
      fetch(`${base}/traceroute?Target=127.0.0.1&HopsMustIncludeOrg=AS64599&token=${token}`).then(
        async (r) => ({
          status: r.status,
          body: (await r.json()) as { checks: { check: string; reason: string }[] },
        }),
      );
    const before = await trace();
    expect(before.status).to.equal(503);
    expect(before.body.checks[1]?.reason).to.equal(
      'failed: lookup failed for 127.0.0.1: no org source configured (create config/orgs.csv or set ipinfo_token)',
    );
    await site.write('orgs.csv', '127.0.0.0/8,AS64599 Loopback\n');
    const after = await trace();
    expect(after.status, JSON.stringify(after.body)).to.equal(200);

    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const refused = await fetch(`${base}/healthz`).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(Error);
  });

  it('refuses to start when the port is taken, with a plain message', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = address !== null && typeof address !== 'string' ? address.port : 0;
    try {
      site = await tempSite({
        'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
        'settings.csv': `http_port,${port}\n`,
      });
      const result = await runCli(['start', '--config', site.configDir, '--logs', site.logsDir]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(
        `pingwarden: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE); ` +
          'see http_listen, http_port in settings.csv',
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('check-config reports orgs.csv problems with file and line', async () => {
    site = await tempSite({
      'hosts.csv': '127.0.0.1\n',
      'orgs.csv': 'prefix,org\n203.0.113.0/24,AS64500 Example\n203.0.113.0,AS1\n',
    });
    const result = await runCli(['check-config', '--config', site.configDir]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(
      `${site.configDir}/orgs.csv:3: invalid prefix "203.0.113.0": write it as address/length, e.g. 203.0.113.0/24`,
    );
  });
});
