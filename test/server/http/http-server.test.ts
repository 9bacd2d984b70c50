import { expect } from 'chai';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MissingToolError } from '../../../lib/shared/errors.js';
import type { CheckSpec } from '../../../lib/config/check-spec.js';
import type { DeepProbeReport } from '../../../lib/probe/route/deep-probe-result.js';
import {
  HttpServer,
  type DeepProbeRunner,
  type HttpServerOptions,
} from '../../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { waitFor } from '../../support/wait-for.js';

const TOKEN = 'secret-token-123';

/** A prober that answers healthy unless the target is "dead.example", and can be held to test queueing. */
class ScriptedProber implements DeepProbeRunner {
  readonly specs: CheckSpec[] = [];
  running = 0;
  maxRunning = 0;
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }
  releaseAll(): void {
    this.openGate?.();
    this.gate = null;
  }

  async probe(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeReport> {
    this.specs.push(spec);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.gate) {
        const aborted = new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve()));
        await Promise.race([this.gate, aborted]);
      }
      const dead = spec.target === 'dead.example';
      return {
        verdict: dead ? 'unhealthy' : 'healthy',
        kind: spec.kind,
        target: spec.target,
        source: null,
        destination: '198.18.9.9',
        checks: [
          {
            check: 'reachable',
            passed: !dead,
            reason: dead ? 'failed: no reply from dead.example' : 'answered 3 of 3',
          },
        ],
        rttsMs: dead ? [] : [1, 2, 3],
        hops: [],
        startedAt: '2026-01-01T00:00:00.000Z',
        durationMs: 5,
      };
    } finally {
      this.running--;
    }
  }
}

describe('HttpServer', () => {
  let server: HttpServer;
  let prober: ScriptedProber;
  let metrics: PingwardenMetrics;
  let base: string;

  async function startWith(options: Partial<HttpServerOptions> = {}): Promise<void> {
    prober = new ScriptedProber();
    metrics = new PingwardenMetrics({ defaultMetrics: false });
    server = new HttpServer(
      {
        listen: '127.0.0.1',
        port: 0,
        token: TOKEN,
        maxConcurrentProbes: 4,
        maxQueuedProbes: 100,
        rateLimitPerMinute: 0,
        ...options,
      },
      { prober, metrics, clock: new FakeClock(), log: new FakeLog() },
    );
    const address: AddressInfo = await server.start();
    base = `http://127.0.0.1:${address.port}`;
  }

  afterEach(async () => {
    prober.releaseAll();
    await server.stop();
  });

  const auth = { Authorization: `Bearer ${TOKEN}` };

  describe('status codes', () => {
    beforeEach(() => startWith());
    const cases: [string, string, Record<string, string>, number][] = [
      ['healthy target', '/ping', { ...auth, Target: '198.18.9.9' }, 200],
      ['dead target', '/ping', { ...auth, Target: 'dead.example' }, 503],
      ['missing target', '/ping', auth, 400],
      ['target that is an option', '/ping', { ...auth, Target: '-f' }, 400],
      ['route check on /ping', '/ping', { ...auth, Target: 'h', RouteIncludeCsv: '10.0.0.0/8' }, 400],
      ['no token', '/ping', { Target: '198.18.9.9' }, 401],
      ['wrong token', '/ping', { Authorization: 'Bearer nope', Target: '198.18.9.9' }, 401],
      ['unknown path', '/pong', auth, 404],
      ['unknown path without token', '/admin', {}, 404],
      ['metrics without token', '/metrics', {}, 401],
      ['metrics with token', '/metrics', auth, 200],
      ['healthz is always open', '/healthz', {}, 200],
      ['traceroute', '/traceroute', { ...auth, Target: 'h', RouteIncludeCsv: '10.0.0.0/8' }, 200],
    ];
    for (const [name, path, headers, code] of cases) {
      it(`${name} → ${code}`, async () => {
        const response = await fetch(`${base}${path}`, { headers });
        await response.text();
        expect(response.status).to.equal(code);
      });
    }

    it('takes the parameters and the token from the query', async () => {
      const response = await fetch(
        `${base}/traceroute?target=198.18.9.9&Source=eth1&MinLatencyMs=10&RouteExcludeCsv=192.0.2.0/24&token=${TOKEN}`,
      );
      expect(response.status).to.equal(200);
      const spec = prober.specs[0];
      expect([spec?.kind, spec?.target, spec?.minLatencyMs, spec?.routeExclude[0]?.text]).to.deep.equal([
        'traceroute',
        '198.18.9.9',
        10,
        '192.0.2.0/24',
      ]);
      expect(spec?.source).to.deep.equal({ kind: 'interface', name: 'eth1' });
    });

    it("accepts the seed's Host header as the target, but not its own address", async () => {
      // fetch() drops a Host header; node:http sends it as given, as curl -H does.
      const code = await new Promise<number | undefined>((resolve, reject) => {
        request(`${base}/ping`, { headers: { ...auth, Host: '198.18.9.9' } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
          .on('error', reject)
          .end();
      });
      expect(code).to.equal(200);
      expect(prober.specs.map((s) => s.target)).to.deep.equal(['198.18.9.9']);
      const own = await fetch(`${base}/ping`, { headers: auth });
      expect(own.status).to.equal(400);
      expect(await own.json()).to.deep.equal({
        verdict: 'bad-request',
        problems: ['Target is missing (send a Target header or ?Target=host)'],
      });
    });

    it('answers with the verdict, each check with its reason, and the RTTs', async () => {
      const response = await fetch(`${base}/ping`, { headers: { ...auth, Target: 'dead.example' } });
      const body = (await response.json()) as DeepProbeReport;
      expect(body.verdict).to.equal('unhealthy');
      expect(body.checks).to.deep.equal([
        { check: 'reachable', passed: false, reason: 'failed: no reply from dead.example' },
      ]);
      expect(body.rttsMs).to.deep.equal([]);
    });

    it('counts requests by endpoint and code in /metrics', async () => {
      await fetch(`${base}/ping`, { headers: { ...auth, Target: 'dead.example' } }).then((r) => r.text());
      const text = await fetch(`${base}/metrics`, { headers: auth }).then((r) => r.text());
      expect(text).to.include('pingwarden_http_probe_requests_total{endpoint="/ping",code="503"} 1');
    });
  });

  describe('without a token', () => {
    beforeEach(() => startWith({ token: '' }));
    it('needs none', async () => {
      const response = await fetch(`${base}/ping?Target=198.18.9.9`);
      expect(response.status).to.equal(200);
    });
  });

  describe('safety', () => {
    it('runs at most maxConcurrentProbes at once, queues the rest, and keeps /healthz and /metrics answering', async () => {
      await startWith({ maxConcurrentProbes: 3 });
      prober.hold();
      const requests = Array.from({ length: 50 }, (_, i) =>
        fetch(`${base}/ping?Target=198.18.9.${i + 1}&token=${TOKEN}`).then((r) => r.status),
      );
      await waitFor(() => prober.running === 3, 'three probes running');
      // The probes are all stuck; the other endpoints must not be.
      expect((await fetch(`${base}/healthz`)).status).to.equal(200);
      const scrape = await fetch(`${base}/metrics`, { headers: auth }).then((r) => r.text());
      expect(scrape).to.match(/^pingwarden_http_probes_active 3$/m);
      expect(scrape).to.match(/^pingwarden_http_probes_queued 47$/m);
      prober.releaseAll();
      const codes = await Promise.all(requests);
      expect(codes.filter((c) => c === 200).length).to.equal(50);
      expect(prober.maxRunning).to.equal(3);
    });

    it('answers 429 when the queue is full', async () => {
      await startWith({ maxConcurrentProbes: 1, maxQueuedProbes: 2 });
      prober.hold();
      const requests = Array.from({ length: 5 }, () =>
        fetch(`${base}/ping?Target=198.18.9.9&token=${TOKEN}`).then((r) => r.status),
      );
      await waitFor(() => prober.running === 1, 'one probe running');
      await waitFor(async () => {
        const scrape = await fetch(`${base}/metrics`, { headers: auth }).then((r) => r.text());
        return scrape.includes(`pingwarden_http_probe_requests_total{endpoint="/ping",code="429"} 2`);
      }, 'two requests refused');
      prober.releaseAll();
      expect((await Promise.all(requests)).sort()).to.deep.equal([200, 200, 200, 429, 429]);
    });

    it('rate-limits each client and says when to retry', async () => {
      await startWith({ rateLimitPerMinute: 3 });
      const codes: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${base}/ping?Target=198.18.9.9&token=${TOKEN}`);
        await response.text();
        codes.push(response.status);
        retryAfter ??= response.headers.get('retry-after');
      }
      expect(codes).to.deep.equal([200, 200, 200, 429, 429]);
      expect(retryAfter).to.equal('20');
    });

    it('stops a probe whose client hung up, and stop() ends waiting requests', async () => {
      await startWith({ maxConcurrentProbes: 1 });
      prober.hold();
      const controller = new AbortController();
      const first = fetch(`${base}/ping?Target=198.18.9.9&token=${TOKEN}`, {
        signal: controller.signal,
      }).catch((error: unknown) => error);
      await waitFor(() => prober.running === 1, 'probe running');
      controller.abort();
      await first;
      await waitFor(() => prober.running === 0, 'probe aborted');
      prober.hold();
      const waiting = fetch(`${base}/ping?Target=198.18.9.9&token=${TOKEN}`).then((r) => r.status);
      await waitFor(() => prober.running === 1, 'second probe running');
      const stopStarted = Date.now();
      await server.stop();
      // Not held up by the waiting request, nor by spare connections the client opened.
      expect(Date.now() - stopStarted).to.be.below(1_000);
      expect(await waiting).to.equal(503);
      expect(prober.running).to.equal(0);
    });
  });

  it('says clearly when it cannot bind', async () => {
    await startWith();
    const port = Number(new URL(base).port);
    const second = new HttpServer(
      {
        listen: '127.0.0.1',
        port,
        token: '',
        maxConcurrentProbes: 1,
        maxQueuedProbes: 1,
        rateLimitPerMinute: 0,
      },
      { prober, metrics, clock: new FakeClock(), log: new FakeLog() },
    );
    const error = await second.start().catch((e: unknown) => e);
    expect((error as Error).message).to.equal(
      `cannot listen on 127.0.0.1:${port} (http_listen, http_port): EADDRINUSE`,
    );
  });
});

describe('HttpServer when the probe tool is missing', () => {
  it('answers 500 with the reason', async () => {
    const log = new FakeLog();
    const server = new HttpServer(
      {
        listen: '127.0.0.1',
        port: 0,
        token: '',
        maxConcurrentProbes: 1,
        maxQueuedProbes: 1,
        rateLimitPerMinute: 0,
      },
      {
        prober: { probe: () => Promise.reject(new MissingToolError('traceroute', 'traceroute')) },
        metrics: new PingwardenMetrics({ defaultMetrics: false }),
        clock: new FakeClock(),
        log,
      },
    );
    const { port } = await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/traceroute?Target=192.0.2.1`);
      expect(response.status).to.equal(500);
      expect(await response.json()).to.deep.equal({
        error: 'traceroute not found in PATH: install it with "apt-get install traceroute"',
      });
      expect(log.matching('ERROR http request failed')).to.have.length(1);
    } finally {
      await server.stop();
    }
  });
});
