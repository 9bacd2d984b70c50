import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { systemClock } from '../../../lib/shared/clock.js';
import { MonitorLoop } from '../../../lib/monitor/monitor-loop.js';
import { HttpServer, type DeepProbeRunner } from '../../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeConfigSource } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../../fakes/fake-pinger.js';
import { waitFor } from '../../support/wait-for.js';
import { freePort } from '../../support/free-port.js';

const run = promisify(execFile);
const RULES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../scripts/prometheus/pingwarden-rules.yml',
);
const TOKEN = 'scrape-token-0123456789';

async function needTool(ctx: Mocha.Context, tool: string): Promise<void> {
  if (
    await run('which', [tool]).then(
      () => true,
      () => false,
    )
  )
    return;
  const message = `${tool} not installed (apt-get install prometheus)`;
  if (process.env.PINGWARDEN_REQUIRE_LAB === '1') throw new Error(message);
  console.log(`      skipped: ${message}`);
  ctx.skip();
}

const noProbes: DeepProbeRunner = { probe: () => Promise.reject(new Error('not used')) };

interface PromVector {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe("Prometheus scrapes several pingwarden instances (Debian's prometheus binary)", function () {
  this.timeout(60_000);
  const servers: HttpServer[] = [];
  let prometheus: ChildProcess | undefined;
  let dir = '';

  before(async function () {
    await needTool(this, 'prometheus');
  });
  after(async () => {
    prometheus?.kill('SIGKILL');
    for (const server of servers) await server.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the example rules pass promtool check rules', async function () {
    await needTool(this, 'promtool');
    const { stdout } = await run('promtool', ['check', 'rules', RULES]);
    expect(stdout).to.include('SUCCESS: 3 rules found');
  });

  it('scrapes two instances with a token and evaluates the example rules', async () => {
    const targets: string[] = [];
    for (const down of [[], ['198.18.0.11']]) {
      const clock = new FakeClock();
      const pinger = new FakePinger(clock);
      for (const host of down) pinger.down.add(host);
      const metrics = new PingwardenMetrics();
      const loop = new MonitorLoop({
        clock,
        probers: fakeProbers(pinger),
        outbox: new FakeNotifier(),
        log: new FakeLog(),
        config: new FakeConfigSource(['198.18.0.10', '198.18.0.11']),
        observers: [metrics.observer()],
      });
      await loop.runOnce();
      const server = new HttpServer(
        {
          listen: '127.0.0.1',
          port: 0,
          token: TOKEN,
          maxConcurrentProbes: 1,
          maxQueuedProbes: 1,
          rateLimitPerMinute: 0,
        },
        { prober: noProbes, metrics, clock: systemClock, log: new FakeLog() },
      );
      servers.push(server);
      targets.push(`127.0.0.1:${(await server.start()).port}`);
    }

    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-prometheus-'));
    await writeFile(path.join(dir, 'token'), TOKEN);
    await writeFile(
      path.join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ['${RULES}']`,
        'scrape_configs:',
        '  - job_name: pingwarden',
        `    authorization: { type: Bearer, credentials_file: '${path.join(dir, 'token')}' }`,
        `    static_configs: [{ targets: ['${targets.join("', '")}'] }]`,
      ].join('\n'),
    );
    const port = await freePort();
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const query = async (expr: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return ((await response.json()) as PromVector).data.result;
    };
    const ready = async (expr: string, count: number) => {
      try {
        return (await query(expr)).length === count;
      } catch {
        return false; // not listening yet
      }
    };

    await waitFor(() => ready('up{job="pingwarden"} == 1', 2), 'both instances scraped and up', 30_000, 250);
    const hostUp = await query('pingwarden_host_up');
    expect(hostUp.map((r) => [r.metric.instance, r.metric.host, r.value[1]]).sort()).to.deep.equal(
      [
        [targets[0], '198.18.0.10', '1'],
        [targets[0], '198.18.0.11', '1'],
        [targets[1], '198.18.0.10', '1'],
        [targets[1], '198.18.0.11', '0'],
      ].sort(),
    );
    // The example rule sees the DOWN host (pending: it has a "for: 5m").
    await waitFor(
      () => ready('ALERTS{alertname="PingwardenHostDown"}', 1),
      'the example alert pending',
      15_000,
      250,
    );
    const [alert] = await query('ALERTS{alertname="PingwardenHostDown"}');
    expect([alert?.metric.instance, alert?.metric.host, alert?.metric.alertstate]).to.deep.equal([
      targets[1],
      '198.18.0.11',
      'pending',
    ]);
  });
});
