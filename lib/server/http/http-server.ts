import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

import type { Clock } from '../../shared/clock.js';
import { errorMessage, PingwardenError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import { parseCheckSpec, type DeepProbeKind } from '../../config/check-spec.js';
import type { DeepProbeRunner } from '../../probe/route/deep-probe-result.js';
import { listenFailure } from '../listen-failure.js';
import { isStatusPath, type StatusRoutes } from '../status/status-routes.js';
import type { PushRoutes } from '../status/push-routes.js';
import type { PingwardenMetrics } from './metrics.js';
import { probeParameters } from './probe-parameters.js';
import { RateLimiter } from './rate-limiter.js';
import { Semaphore } from './semaphore.js';

export type { DeepProbeRunner };

/** How the listener is set up (from settings.csv). */
export interface HttpServerOptions {
  readonly listen: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  /** Empty: no token needed. */
  readonly token: string;
  readonly maxConcurrentProbes: number;
  readonly maxQueuedProbes: number;
  readonly rateLimitPerMinute: number;
  /** `status_public`: the page, the status JSON and the badges need no token. */
  readonly statusPublic?: boolean;
  /** PEM cert and key (`http_tls_cert`, `http_tls_key`): the listener speaks HTTPS. */
  readonly tls?: () => { readonly cert: Buffer; readonly key: Buffer };
}

/** What the listener is built from. */
export interface HttpServerDeps {
  readonly prober: DeepProbeRunner;
  readonly metrics: PingwardenMetrics;
  readonly clock: Clock;
  readonly log: Log;
  /** What /healthz reports besides "ok", e.g. the time of the last cycle. */
  readonly health?: () => Record<string, unknown>;
  /** The status page, API, SSE and badges; absent: not served. */
  readonly status?: StatusRoutes;
  /** HTTP push heartbeats (`/push/<sensor>`); absent: not served. */
  readonly push?: PushRoutes;
}

/** The cookie `?token=` sets, so a browser sends the token once. */
const TOKEN_COOKIE = 'pingwarden_token';

const PROBE_PATHS: Readonly<Record<string, DeepProbeKind>> = { '/ping': 'ping', '/traceroute': 'traceroute' };

/**
 * The optional HTTP listener: `GET /ping` and `GET /traceroute` (deep probes for Uptime Kuma, curl and other
 * monitors), `GET /metrics` (Prometheus) and `GET /healthz`. Probes run a bounded number at a time and are
 * rate-limited per client; /metrics and /healthz never wait for them.
 */
export class HttpServer {
  private server: Server | null = null;
  /** Open connections and how many requests each is serving. */
  private readonly sockets = new Map<Socket, number>();
  private readonly slots: Semaphore;
  private readonly limiter: RateLimiter;
  private readonly tokenDigest: Buffer | null;
  /** Aborted on stop, so running probes end with their processes. */
  private stopping = new AbortController();
  private tlsServer: import('node:tls').Server | null = null;

  /** Re-reads the certificate and key (SIGHUP); new connections use them. Throws when they do not load. */
  reloadTls(): void {
    const tls = this.options.tls?.();
    if (tls && this.tlsServer) this.tlsServer.setSecureContext({ cert: tls.cert, key: tls.key });
  }

  constructor(
    private readonly options: HttpServerOptions,
    private readonly deps: HttpServerDeps,
  ) {
    this.slots = new Semaphore(options.maxConcurrentProbes, options.maxQueuedProbes);
    this.limiter = new RateLimiter(options.rateLimitPerMinute, deps.clock);
    this.tokenDigest = options.token === '' ? null : digest(options.token);
  }

  /** Starts listening; resolves to the bound address. Rejects with a FaultError naming address:port and the reason when it cannot bind. */
  async start(): Promise<AddressInfo> {
    this.stopping = new AbortController();
    const handler = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        const message = errorMessage(error);
        this.deps.log.error('http request failed', { path: req.url, error: message });
        // A PingwardenError (traceroute not installed...) is worth telling the caller; a bug is not.
        if (!res.headersSent)
          sendJson(res, 500, { error: error instanceof PingwardenError ? message : 'internal error' });
        else res.destroy();
      });
    };
    const tls = this.options.tls?.();
    const server: Server = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key }, handler)
      : createServer(handler);
    this.tlsServer = tls ? (server as unknown as import('node:tls').Server) : null;
    // Node's closeIdleConnections() leaves alone a connection that has not sent a request yet (clients
    // open spare ones), so stop() tracks requests per socket itself.
    server.on('connection', (socket: Socket) => {
      this.sockets.set(socket, 0);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      this.sockets.set(socket, (this.sockets.get(socket) ?? 0) + 1);
      res.once('close', () => {
        if (this.sockets.has(socket))
          this.sockets.set(socket, Math.max(0, (this.sockets.get(socket) ?? 1) - 1));
      });
    });
    // A client that never finishes its headers must not hold a socket for ever.
    server.headersTimeout = 10_000;
    server.requestTimeout = 120_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.listen, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw listenFailure(
        this.options.listen,
        this.options.port,
        error,
        'see http_listen, http_port in settings.csv',
      );
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.deps.log.info('http listening', { address: address.address, port: address.port });
    return address;
  }

  /** Stops accepting requests, ends running probes, closes every connection. Safe to call twice. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    this.stopping.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Requests still waiting end as their probes are aborted, and their connections turn idle one by one:
    // close those as they do, and whatever is left after two seconds.
    this.closeIdleSockets();
    const sweep = setInterval(() => this.closeIdleSockets(), 20);
    const timer = setTimeout(() => server.closeAllConnections(), 2_000);
    await closed;
    clearInterval(sweep);
    clearTimeout(timer);
  }

  private closeIdleSockets(): void {
    for (const [socket, active] of this.sockets) if (active === 0) socket.destroy();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://pingwarden.invalid');
    const kind = PROBE_PATHS[url.pathname];
    const push = this.deps.push;
    if (push && url.pathname.startsWith('/push/')) return push.handle(req, res, url);
    const status = this.deps.status && isStatusPath(url.pathname) ? this.deps.status : null;
    const known =
      kind !== undefined || status !== null || url.pathname === '/metrics' || url.pathname === '/healthz';
    if (!known) return sendJson(res, 404, { error: `no such path: ${url.pathname}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(res, 405, { error: `${req.method ?? ''} is not allowed; use GET` });
    }
    if (url.pathname === '/healthz') {
      return sendJson(res, 200, { status: 'ok', ...(this.deps.health?.() ?? {}) });
    }
    const publicPath = status !== null && this.options.statusPublic === true;
    if (!publicPath && !this.authorized(req, url)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pingwarden"');
      return sendJson(res, 401, {
        error: 'missing or wrong token (Authorization: Bearer <token> or ?token=)',
      });
    }
    if (status !== null) {
      // `?token=` once: keep it in an HttpOnly cookie and drop it from the address bar.
      if (this.tokenDigest !== null && url.searchParams.has('token') && req.method === 'GET') {
        const clean = new URL(url);
        clean.searchParams.delete('token');
        res.writeHead(303, {
          'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(url.searchParams.get('token') ?? '')}; HttpOnly; SameSite=Strict; Path=/${this.tlsServer ? '; Secure' : ''}`,
          Location: `${clean.pathname}${clean.search}`,
        });
        res.end();
        return;
      }
      return status.handle(req, res, url);
    }
    if (url.pathname === '/metrics') {
      const { contentType, body } = await this.deps.metrics.exposition();
      res.writeHead(200, { 'Content-Type': contentType });
      res.end(body);
      return;
    }
    if (kind !== undefined) await this.probe(kind, req, res, url);
  }

  private async probe(
    kind: DeepProbeKind,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const { metrics, prober, log } = this.deps;
    const endpoint = url.pathname;
    const answer = (code: number, body: unknown) => {
      metrics.httpProbeRequests.inc({ endpoint, code: String(code) });
      // While stopping, a kept-alive connection would hold stop() up until the last-resort timer.
      if (this.stopping.signal.aborted) res.setHeader('Connection', 'close');
      sendJson(res, code, body);
    };
    const parsed = parseCheckSpec(kind, probeParameters(url, req.headers, localHosts(req)));
    if (!parsed.ok) return answer(400, { verdict: 'bad-request', problems: parsed.problems });

    const client = req.socket.remoteAddress ?? 'unknown';
    const retryAfter = this.limiter.take(client);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      return answer(429, {
        error: `rate limit of ${this.options.rateLimitPerMinute} probes per minute reached`,
      });
    }

    // A client that hangs up stops its probe: nobody is left to read the answer.
    const gone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const signal = AbortSignal.any([gone.signal, this.stopping.signal]);
    // Stopping: say so at once rather than leave the client to a closed connection.
    const stopping = () => answer(503, { error: 'pingwarden is stopping' });
    const release = await this.slotFor(signal);
    if (!release) {
      if (this.stopping.signal.aborted) return stopping();
      if (signal.aborted) return;
      return answer(429, { error: 'too many probes waiting; try again later' });
    }
    metrics.httpProbesActive.inc();
    try {
      const report = await prober.probe(parsed.spec, signal);
      if (this.stopping.signal.aborted) return stopping();
      if (signal.aborted) return;
      log.debug('http probe', {
        endpoint,
        target: report.target,
        verdict: report.verdict,
        ms: report.durationMs,
      });
      answer(report.verdict === 'healthy' ? 200 : 503, report);
    } finally {
      metrics.httpProbesActive.dec();
      release();
    }
  }

  private async slotFor(signal: AbortSignal): Promise<(() => void) | null> {
    this.deps.metrics.httpProbesQueued.inc();
    try {
      return await this.slots.acquire(signal);
    } finally {
      this.deps.metrics.httpProbesQueued.dec();
    }
  }

  private authorized(req: IncomingMessage, url: URL): boolean {
    if (this.tokenDigest === null) return true;
    const header = req.headers.authorization;
    const bearer = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
    const given = bearer ?? url.searchParams.get('token') ?? cookie(req.headers.cookie, TOKEN_COOKIE);
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    return given !== null && timingSafeEqual(digest(given), this.tokenDigest);
  }
}

function cookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** How clients may name this listener in a Host header: its address, with or without the port. */
function localHosts(req: IncomingMessage): Set<string> {
  const address = req.socket.localAddress ?? '';
  const port = req.socket.localPort;
  const names = new Set<string>();
  // A listener on "::" sees IPv4 clients at IPv4-mapped addresses; their Host header has the plain form.
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  for (const name of [plain.includes(':') ? `[${plain}]` : plain, 'localhost']) {
    names.add(name.toLowerCase());
    names.add(`${name.toLowerCase()}:${port}`);
  }
  return names;
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
