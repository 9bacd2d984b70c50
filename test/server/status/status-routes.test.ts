import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Config } from '../../../lib/config/types.js';
import type { Target } from '../../../lib/config/target.js';
import type { HostState, HostStatus } from '../../../lib/monitor/host-state.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import type { ProbeResult } from '../../../lib/probe/pinger.js';
import { HeartbeatLedger } from '../../../lib/probe/heartbeat/heartbeat-book.js';
import type { SensorEntry } from '../../../lib/config/sensor-entry.js';
import { HttpServer, type HttpServerOptions } from '../../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { PushRoutes } from '../../../lib/server/status/push-routes.js';
import { StatusBoard } from '../../../lib/server/status/status-board.js';
import { StatusRoutes } from '../../../lib/server/status/status-routes.js';
import { readTls } from '../../../lib/app/build-listeners.js';
import { checkTls } from '../../../lib/app/check-tls.js';
import { DEFAULT_SETTINGS } from '../../../lib/config/settings-table.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { makeCertificate } from '../../support/test-certificate.js';
import { waitFor } from '../../support/wait-for.js';

const TOKEN = 'secret-token-123';
const run = promisify(execFile);

/** `promtool check metrics` on an exposition: its complaints (none when clean); skips without promtool. */
async function promtoolCheck(ctx: Mocha.Context, body: string): Promise<string[]> {
  const found = await run('which', ['promtool']).catch(() => null);
  if (!found) {
    if (process.env.PINGWARDEN_REQUIRE_LAB === '1')
      throw new Error('promtool missing (apt-get install prometheus)');
    console.log('      skipped: promtool not installed (apt-get install prometheus)');
    ctx.skip();
  }
  const child = execFile('promtool', ['check', 'metrics']);
  const output = new Promise<string>((resolve) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.on('close', () => resolve(text));
  });
  child.stdin?.end(body);
  return (await output).split('\n').filter((line) => line !== '');
}
const KEY = 'push-key-0123456789abcdef';
const HISTORY_AVAILABILITY: Record<string, number> = { '198.18.0.2': 98.5, '198.18.0.3': 99.99678 };

const noProber = {
  probe: () => Promise.reject(new Error('no probes in this test')),
};

/** Feeds the board one cycle in which each listed target has the given status. */
function cycle(
  board: StatusBoard,
  clock: FakeClock,
  targets: readonly Target[],
  statuses: Readonly<Record<string, HostStatus>>,
  results: readonly ProbeResult[] = [],
): void {
  const states = new Map<string, HostState>();
  for (const target of targets) {
    const status = statuses[target.id] ?? 'UP';
    states.set(target.id, { status, since: clock.now(), lastAlertAt: null, lastRttMs: 1.5 });
  }
  const report = {
    at: clock.now(),
    config: { targets } as unknown as Config,
    results,
    changes: [],
    removed: [],
    alerts: [],
    states,
    summary: {},
  } as unknown as CycleReport;
  board.cycleFinished(report);
}

describe('status page, API, SSE, badges and push on the HTTP listener', () => {
  let server: HttpServer;
  let board: StatusBoard;
  let clock: FakeClock;
  let book: HeartbeatLedger;
  let push: PushRoutes;
  let metrics: PingwardenMetrics;
  let base: string;
  const targets = [
    testTarget('198.18.0.1', { description: 'Core router', location: 'Bldg 6 MDF' }),
    testTarget('198.18.0.2', { description: 'Switch <2>', location: 'Bldg 6 MDF' }),
    testTarget('198.18.0.3', { description: 'AP', location: 'Annex' }),
  ];
  const sensor: SensorEntry = {
    name: 'nas',
    host: 'sensor:nas',
    key: KEY,
    secretFile: null,
    downSeconds: 600,
    description: 'NAS cron',
    location: 'Annex',
    insecureAddress: null,
    line: 2,
  };

  async function startWith(options: Partial<HttpServerOptions> = {}): Promise<void> {
    clock = new FakeClock(new Date('2026-03-01T12:00:00Z'));
    metrics = new PingwardenMetrics({ defaultMetrics: false });
    // Availability known for one host only.
    board = new StatusBoard((id) => (id === '198.18.0.2' ? [97.5, 99.25, null] : undefined));
    book = new HeartbeatLedger(clock.now());
    const log = new FakeLog();
    push = new PushRoutes({ book, sensors: () => [sensor], clock, log, perMinute: 3 });
    metrics.readFrom({ push: () => push.counters() });
    server = new HttpServer(
      {
        listen: '127.0.0.1',
        port: 0,
        token: TOKEN,
        maxConcurrentProbes: 1,
        maxQueuedProbes: 1,
        rateLimitPerMinute: 0,
        ...options,
      },
      {
        prober: noProber,
        metrics,
        clock,
        log,
        status: new StatusRoutes({
          board,
          clock,
          title: () => 'Campus <net>',
          refreshSeconds: () => 60,
          maxEventClients: 2,
          history: (host) =>
            Promise.resolve({
              // 198.18.0.3 was down 8 s in a month (99.99678 %: never to be read as 100), 198.18.0.1 never.
              availability_percent: HISTORY_AVAILABILITY[host] ?? 100,
              outages: [
                {
                  start: '2026-02-28T10:00:00.000Z',
                  end: '2026-02-28T10:05:00.000Z',
                  duration_seconds: 300,
                  power_cycles: 1,
                },
              ],
            }),
        }),
        push,
      },
    );
    const address = await server.start();
    base = `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
    cycle(board, clock, targets, { '198.18.0.2': 'DOWN' }, [
      {
        host: '198.18.0.1',
        alive: true,
        rttMs: 2,
        quality: { sent: 4, received: 3, minMs: 1, avgMs: 2, maxMs: 3, mdevMs: 0.5 },
      } as ProbeResult,
    ]);
  }

  afterEach(async () => {
    await server.stop();
  });

  const auth = { Authorization: `Bearer ${TOKEN}` };

  describe('with a token', () => {
    beforeEach(() => startWith());

    it('GET /api/v1/status lists hosts worst first, with RTT and loss', async () => {
      const res = await fetch(`${base}/api/v1/status`, { headers: auth });
      expect(res.status).to.equal(200);
      const body = (await res.json()) as {
        generated_at: string;
        overview: string;
        hosts: Record<string, unknown>[];
      };
      expect(body.generated_at).to.equal('2026-03-01T12:00:00.000Z');
      expect(body.overview).to.equal('1 of 3 down');
      expect(body.hosts.map((h) => [h['host'], h['status']])).to.deep.equal([
        ['198.18.0.2', 'DOWN'],
        ['198.18.0.3', 'UP'],
        ['198.18.0.1', 'UP'],
      ]);
      expect(body.hosts[2]).to.include({
        rtt_ms: 2,
        loss_percent: 25,
        description: 'Core router',
        location: 'Bldg 6 MDF',
      });
      expect(body.hosts[0]?.['availability']).to.deep.equal({ '24h': 97.5, '7d': 99.25, '30d': null });
    });

    it('refuses the page, the API and the badges without the token', async () => {
      for (const p of ['/', '/api/v1/status', '/api/v1/events', '/badge/198.18.0.1.svg', '/host/198.18.0.1'])
        expect((await fetch(`${base}${p}`)).status, p).to.equal(401);
    });

    it('?token= once sets an HttpOnly cookie that opens the page afterwards', async () => {
      const first = await fetch(`${base}/?token=${TOKEN}`, { redirect: 'manual' });
      expect(first.status).to.equal(303);
      expect(first.headers.get('location')).to.equal('/');
      const setCookie = first.headers.get('set-cookie') ?? '';
      expect(setCookie).to.match(/^pingwarden_token=secret-token-123; HttpOnly/);
      const page = await fetch(`${base}/`, { headers: { Cookie: setCookie.split(';')[0] as string } });
      expect(page.status).to.equal(200);
      expect((await fetch(`${base}/`, { headers: { Cookie: 'pingwarden_token=nope' } })).status).to.equal(
        401,
      );
    });

    it('renders the page: title, overview, locations, escaped text, DOWN by word and shape', async () => {
      const html = await (await fetch(`${base}/`, { headers: auth })).text();
      expect(html).to.include('<title>Campus &lt;net&gt;</title>');
      expect(html).to.include('<strong id=ov>1 of 3 down</strong>');
      expect(html).to.include('Bldg 6 MDF (2, 1 down)');
      expect(html).to.include('Switch &lt;2&gt;');
      expect(html).to.include('■ DOWN');
      // Availability on the overview rows: what the book knows, dashes where it knows nothing yet.
      expect(html).to.include('<em>24h 97.50% 7d 99.25% 30d –</em>');
      expect(html.match(/<em>24h – 7d – 30d –<\/em>/g) ?? []).to.have.length(2);
      // Refreshes itself only without JS (with JS, events keep it current; a parsed refresh cannot be undone).
      expect(html).to.include('<noscript><meta http-equiv=refresh content=60></noscript>');
      expect(html).not.to.match(/(src|href)="?https?:/);
    });

    it('GET /api/v1/hosts/<host> has availability and outages; a bad window is 400; unknown host 404', async () => {
      const res = await fetch(`${base}/api/v1/hosts/198.18.0.2?since=7d`, { headers: auth });
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).to.include({
        host: '198.18.0.2',
        status: 'DOWN',
        window: '7d',
        availability_percent: 98.5,
      });
      expect(body['outages']).to.have.length(1);
      // The same fields as a host of /api/v1/status: the page's bar of recent cycles is not one of them.
      expect(body).not.to.have.property('bar');
      expect(body).not.to.have.property('kind');
      expect((await fetch(`${base}/api/v1/hosts/198.18.0.2?since=soon`, { headers: auth })).status).to.equal(
        400,
      );
      expect((await fetch(`${base}/api/v1/hosts/10.9.9.9`, { headers: auth })).status).to.equal(404);
    });

    it('badges: status and uptime as SVG', async () => {
      const status = await fetch(`${base}/badge/198.18.0.2.svg`, { headers: auth });
      expect(status.headers.get('content-type')).to.equal('image/svg+xml');
      const svg = await status.text();
      expect(svg).to.include('>DOWN</text>').and.include('#e53e3e');
      const uptime = await (
        await fetch(`${base}/badge/198.18.0.2/uptime.svg?window=30d`, { headers: auth })
      ).text();
      expect(uptime).to.include('>uptime 30d</text>').and.include('>98.50%</text>');
    });

    it('the API gives three decimals; the uptime badge of a host down a few seconds never says 100', async () => {
      const body = (await (
        await fetch(`${base}/api/v1/hosts/198.18.0.3`, { headers: auth })
      ).json()) as Record<string, unknown>;
      expect(body['availability_percent']).to.equal(99.997);
      const uptime = await (
        await fetch(`${base}/badge/198.18.0.3/uptime.svg?window=30d`, { headers: auth })
      ).text();
      expect(uptime).to.include('>99.99%</text>');
      const whole = await (await fetch(`${base}/badge/198.18.0.1/uptime.svg`, { headers: auth })).text();
      expect(whole).to.include('>100%</text>');
    });

    it('host page shows availability and outages', async () => {
      const html = await (await fetch(`${base}/host/198.18.0.2`, { headers: auth })).text();
      expect(html).to.include('<th>24 h</th><td>98.500%</td>');
      expect(html).to.include('2026-02-28T10:00:00.000Z');
      // No quality series wired: the chart is drawn from the cycles the board saw.
      expect(html).to.include('Latency and loss (last 1 cycles)');
      expect(html).to.include('<svg viewBox');
    });

    it('host page chart: an RTT line across cycles, a gap and a loss bar where the host was down', async () => {
      for (const status of ['UP', 'DOWN', 'UP', 'UP'] as const) {
        clock.advance(60_000);
        cycle(board, clock, targets, { '198.18.0.1': status }, [
          status === 'UP'
            ? ({
                host: '198.18.0.1',
                alive: true,
                rttMs: 2,
                quality: { sent: 4, received: 4, minMs: 1, avgMs: 2, maxMs: 3, mdevMs: 0.5 },
              } as ProbeResult)
            : ({ host: '198.18.0.1', alive: false, rttMs: null } as unknown as ProbeResult),
        ]);
      }
      const html = await (await fetch(`${base}/host/198.18.0.1`, { headers: auth })).text();
      expect(html).to.include('Latency and loss (last 5 cycles)');
      // UP (first cycle, 25 % loss), UP, DOWN, UP, UP: two runs of line around the gap.
      expect(html.match(/<polyline/g) ?? []).to.have.length(2);
      expect(html.match(/<rect [^>]*fill="#e53e3e"/g) ?? [], 'loss bars').to.have.length(2);
    });

    it('SSE: a snapshot first, then one event per cycle with what changed; Last-Event-ID catches up', async () => {
      const controller = new AbortController();
      const res = await fetch(`${base}/api/v1/events`, { headers: auth, signal: controller.signal });
      expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      const readUntil = async (pattern: RegExp) => {
        await waitFor(async () => {
          const { value } = await reader.read();
          text += new TextDecoder().decode(value);
          return pattern.test(text);
        }, 'SSE text');
      };
      await readUntil(/event: snapshot/);
      await waitFor(() => board.listenerCount() === 1, 'a listener');
      clock.advance(60_000);
      cycle(board, clock, targets, { '198.18.0.3': 'DOWN', '198.18.0.2': 'DOWN' });
      await readUntil(/event: cycle\ndata: .*\n\n/);
      const data = JSON.parse(/event: cycle\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as {
        overview: string;
        changed: { host: string; status: string }[];
      };
      expect(data.overview).to.equal('2 of 3 down');
      expect(data.changed.map((c) => `${c.host} ${c.status}`)).to.include('198.18.0.3 DOWN');
      // The rows the page puts in place carry the availability as the page drew it.
      const rows = (
        JSON.parse(/event: cycle\ndata: (.*)\n/.exec(text)?.[1] ?? '{}') as { rows: { html: string }[] }
      ).rows;
      expect(rows.map((r) => r.html).join('')).to.include('<em>24h 97.50%');
      controller.abort();
      await waitFor(() => board.listenerCount() === 0, 'no listener');

      clock.advance(60_000);
      cycle(board, clock, targets, {});
      const again = new AbortController();
      const res2 = await fetch(`${base}/api/v1/events`, {
        headers: { ...auth, 'Last-Event-ID': '2' },
        signal: again.signal,
      });
      const reader2 = (res2.body as ReadableStream<Uint8Array>).getReader();
      let text2 = '';
      await waitFor(async () => {
        text2 += new TextDecoder().decode((await reader2.read()).value);
        return /id: 3\nevent: cycle/.test(text2);
      }, 'the missed event');
      expect(text2).not.to.include('event: snapshot');
      again.abort();
    });

    it('SSE clients are bounded', async () => {
      const controllers = [new AbortController(), new AbortController()];
      for (const c of controllers) await fetch(`${base}/api/v1/events`, { headers: auth, signal: c.signal });
      expect((await fetch(`${base}/api/v1/events`, { headers: auth })).status).to.equal(503);
      for (const c of controllers) c.abort();
      await waitFor(() => board.listenerCount() === 0, 'no listener');
    });

    it('/metrics and /healthz still work; probes still need the token', async () => {
      expect((await fetch(`${base}/healthz`)).status).to.equal(200);
      expect((await fetch(`${base}/metrics`)).status).to.equal(401);
      expect((await fetch(`${base}/metrics`, { headers: auth })).status).to.equal(200);
    });

    it('push: the right key records a heartbeat; a wrong key is 403 and changes nothing; rate-limited', async () => {
      expect((await fetch(`${base}/push/nas?key=wrong-key-0123456789`)).status).to.equal(403);
      expect((await fetch(`${base}/push/unknown?key=${KEY}`)).status).to.equal(403);
      expect((await fetch(`${base}/push/nas`)).status).to.equal(403);
      expect(book.lookup('nas')).to.equal(undefined);
      expect((await fetch(`${base}/push/nas?key=${KEY}`)).status).to.equal(200);
      expect(book.lookup('nas')?.lastAt.toISOString()).to.equal('2026-03-01T12:00:00.000Z');
      expect((await fetch(`${base}/push/nas?key=${KEY}`, { method: 'POST', body: 'x' })).status).to.equal(
        200,
      );
      expect((await fetch(`${base}/push/nas?key=${KEY}`)).status).to.equal(200);
      const limited = await fetch(`${base}/push/nas?key=${KEY}`);
      expect(limited.status).to.equal(429);
      expect(Number(limited.headers.get('retry-after'))).to.be.greaterThan(0);
      expect((await fetch(`${base}/push/nas?key=${KEY}`, { method: 'DELETE' })).status).to.equal(405);
    });

    it('/metrics counts pushes by sensor and result, with the last accepted push; promtool accepts it', async function () {
      expect((await fetch(`${base}/push/nas?key=wrong-key-0123456789`)).status).to.equal(403);
      expect((await fetch(`${base}/push/made-up?key=${KEY}`)).status).to.equal(403);
      clock.advance(5_000);
      for (let i = 0; i < 3; i++) expect((await fetch(`${base}/push/nas?key=${KEY}`)).status).to.equal(200);
      expect((await fetch(`${base}/push/nas?key=${KEY}`)).status).to.equal(429);
      const body = await (await fetch(`${base}/metrics`, { headers: auth })).text();
      const lines = body.split('\n').filter((line) => line.startsWith('pingwarden_push_'));
      expect(lines).to.deep.equal([
        'pingwarden_push_heartbeats_total{sensor="nas",result="accepted"} 3',
        'pingwarden_push_heartbeats_total{sensor="nas",result="bad_key"} 1',
        'pingwarden_push_heartbeats_total{sensor="nas",result="rate_limited"} 1',
        // A name nobody configured is no label of its own: anyone could make names up.
        'pingwarden_push_heartbeats_total{sensor="",result="accepted"} 0',
        'pingwarden_push_heartbeats_total{sensor="",result="bad_key"} 1',
        'pingwarden_push_heartbeats_total{sensor="",result="rate_limited"} 0',
        `pingwarden_push_last_seen_timestamp_seconds{sensor="nas"} ${Date.parse('2026-03-01T12:00:05Z') / 1000}`,
      ]);
      const problems = await promtoolCheck(this, body);
      expect(problems).to.deep.equal([]);
    });
  });

  describe('status_public yes', () => {
    beforeEach(() => startWith({ statusPublic: true }));
    it('serves the page, the JSON and the badges without a token; not /metrics', async () => {
      for (const p of ['/', '/api/v1/status', '/badge/198.18.0.1.svg', '/api/v1/hosts/198.18.0.1'])
        expect((await fetch(`${base}${p}`)).status, p).to.equal(200);
      expect((await fetch(`${base}/metrics`)).status).to.equal(401);
    });
  });

  describe('TLS', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'pw-tls-'));
    });
    after(() => rm(dir, { recursive: true, force: true }));

    it('speaks HTTPS with a certificate made by openssl', async () => {
      const cert = await makeCertificate(dir, 'site', 30);
      const files = { cert: cert.certFile, key: path.join(dir, 'site.key') };
      await startWith({ tls: () => readTls(files) });
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(
          `${base}/api/v1/status`,
          { ca: cert.cert, headers: auth, servername: 'localhost' },
          (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body)).to.have.property('overview', '1 of 3 down');
      server.reloadTls();
    });

    it('check-config: a key that does not match the certificate, and a missing file, are reported', async () => {
      await makeCertificate(dir, 'a', 30);
      await makeCertificate(dir, 'b', 30);
      const settings = { ...DEFAULT_SETTINGS, httpTlsCert: 'a.crt', httpTlsKey: 'b.key' };
      const problems = checkTls(settings, dir).map((p) => p.message);
      expect(problems).to.deep.equal([
        `${dir}/settings.csv: http_tls_key ${dir}/b.key does not match the certificate ${dir}/a.crt`,
      ]);
      expect(checkTls({ ...settings, httpTlsKey: 'a.key' }, dir)).to.deep.equal([]);
      expect(
        checkTls({ ...settings, httpTlsCert: 'none.crt', httpTlsKey: 'a.key' }, dir).map((p) => p.message),
      ).to.deep.equal([`${dir}/settings.csv: http_tls_cert ${dir}/none.crt: no such file`]);
      // Started before: stop() in afterEach needs a server.
      await startWith();
    });
  });
});
