import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { Clock } from '../../shared/clock.js';
import type { HostStatus } from '../../monitor/host-state.js';
import type { ChartPoint, StatusBoard, StatusEvent } from './status-board.js';
import { percentText } from './availability-book.js';
import { chartSection } from './latency-chart.js';
import { StatusAssets, UPLOT_SCRIPT_PATH, UPLOT_STYLE_PATH } from './status-assets.js';
import {
  badge,
  escapeHtml,
  overview,
  renderStatusPage,
  row,
  STATUS_LOOK,
  statusStyles,
} from './status-page.js';

/** One outage as the API tells it. */
export interface HostOutage {
  readonly start: string;
  readonly end: string | null;
  readonly duration_seconds: number;
  readonly power_cycles: number;
}

/** What the history says about one host within a window (built by app/ from the report functions). */
export interface HostHistory {
  readonly availability_percent: number | null;
  readonly outages: readonly HostOutage[];
}

/** Reads one host's history since a time; null when the history is not kept. */
export type HostHistorySource = (host: string, since: Date) => Promise<HostHistory | null>;

/**
 * The link quality series (logs/quality/) as chart points for one host since a time; null or empty when it
 * holds nothing for the host, and the page falls back to the RTTs of the cycles it saw itself.
 */
export interface QualitySource {
  series(host: string, since: Date): Promise<readonly ChartPoint[] | null>;
}

/** What the status routes are built from. */
export interface StatusRoutesDeps {
  readonly board: StatusBoard;
  readonly clock: Clock;
  readonly title: () => string;
  /** How often the page reloads itself without JS (the cycle interval). */
  readonly refreshSeconds: () => number;
  readonly history?: HostHistorySource;
  readonly quality?: QualitySource;
  /** Most SSE clients at once; more get 503 (a forgotten tab must not cost memory). */
  readonly maxEventClients?: number;
}

const DAY_MS = 86_400_000;

/** Three decimals, as the status JSON and the report give availability. */
const roundTo3 = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 1000);

/** Paths the status routes answer; the listener checks the token (or `status_public`) before. */
export function isStatusPath(path: string): boolean {
  return (
    path === '/' ||
    path === '/api/v1/status' ||
    path === '/api/v1/events' ||
    path.startsWith('/api/v1/hosts/') ||
    path.startsWith('/host/') ||
    path.startsWith('/badge/') ||
    path.startsWith('/assets/')
  );
}

/** `30d`, `24h`, `90m` → milliseconds; null when not understood. */
export function parseWindow(text: string): number | null {
  const match = /^([0-9]{1,4})([mhd])$/.exec(text);
  if (!match) return null;
  const unit = { m: 60_000, h: 3_600_000, d: DAY_MS }[match[2] as 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/**
 * The read-only status routes: `GET /` (the page), `/host/<host>`, `/api/v1/status`, `/api/v1/hosts/<host>`,
 * `/api/v1/events` (SSE) and `/badge/...svg`. Nothing here changes state.
 */
export class StatusRoutes {
  private clients = 0;
  private readonly assets = new StatusAssets();

  constructor(private readonly deps: StatusRoutesDeps) {}

  /** How many SSE clients are connected. */
  eventClients(): number {
    return this.clients;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === '/') return this.page(req, res);
    if (path === '/api/v1/status') return sendJson(res, 200, this.status());
    if (path === '/api/v1/events') return this.events(req, res, url);
    if (path.startsWith('/api/v1/hosts/')) return this.hostJson(res, url, decode(path.slice(14)));
    if (path.startsWith('/host/')) return this.hostPage(res, decode(path.slice(6)));
    if (path.startsWith('/badge/')) return this.badge(res, url, path.slice(7));
    if (this.assets.has(path)) return this.asset(req, res, path);
    sendJson(res, 404, { error: `no such path: ${path}` });
  }

  private status() {
    const { board } = this.deps;
    const list = board.list();
    const strip = ({ bar: _bar, kind: _kind, ...rest }: (typeof list)[number]) => rest;
    return {
      generated_at: board.lastCycleAt()?.toISOString() ?? null,
      overview: overview(board.counts()),
      counts: board.counts(),
      hosts: list.filter((t) => t.kind === 'host').map(strip),
      sensors: list.filter((t) => t.kind === 'sensor').map(strip),
    };
  }

  private page(req: IncomingMessage, res: ServerResponse): void {
    const { board, clock } = this.deps;
    const html = renderStatusPage({
      title: this.deps.title(),
      targets: board.list(),
      counts: board.counts(),
      generatedAt: board.lastCycleAt(),
      now: clock.now(),
      refreshSeconds: this.deps.refreshSeconds(),
      eventId: board.lastEventId(),
    });
    sendHtml(res, 200, html, acceptsGzip(req));
  }

  private async history(host: string, windowMs: number): Promise<HostHistory | null> {
    if (!this.deps.history) return null;
    return this.deps.history(host, new Date(this.deps.clock.now().getTime() - windowMs));
  }

  private async hostJson(res: ServerResponse, url: URL, host: string): Promise<void> {
    const target = this.deps.board.get(host);
    if (!target) return sendJson(res, 404, { error: `no such host: ${host}` });
    const sinceText = url.searchParams.get('since') ?? '30d';
    const windowMs = parseWindow(sinceText);
    if (windowMs === null)
      return sendJson(res, 400, { error: `since=${sinceText} is not a window such as 24h, 7d or 30d` });
    const history = await this.history(target.host, windowMs);
    const status: Record<string, unknown> = { ...target };
    // What kind of target it is shows in the path already; the bar is the page's.
    delete status['kind'];
    delete status['bar'];
    sendJson(res, 200, {
      ...status,
      window: sinceText,
      availability_percent: roundTo3(history?.availability_percent ?? null),
      outages: history?.outages ?? [],
    });
  }

  private async hostPage(res: ServerResponse, host: string): Promise<void> {
    const target = this.deps.board.get(host);
    if (!target) return sendHtml(res, 404, `<!doctype html><title>not found</title><p>No such host.</p>`);
    const now = this.deps.clock.now();
    const windows = [
      ['24 h', DAY_MS],
      ['7 d', 7 * DAY_MS],
      ['30 d', 30 * DAY_MS],
    ] as const;
    const histories = await Promise.all(windows.map(([, ms]) => this.history(target.host, ms)));
    const availability = windows
      .map(([name], i) => {
        const value = histories[i]?.availability_percent;
        return `<tr><th>${name}</th><td>${value === null || value === undefined ? '–' : `${value.toFixed(3)}%`}</td></tr>`;
      })
      .join('');
    const outages = (histories[2]?.outages ?? [])
      .map(
        (o) =>
          `<tr><td>${escapeHtml(o.start)}</td><td>${o.end === null ? 'ongoing' : escapeHtml(o.end)}</td><td>${o.duration_seconds}s</td><td>${o.power_cycles}</td></tr>`,
      )
      .join('');
    const title = `${target.host} · ${this.deps.title()}`;
    const stored = await this.deps.quality?.series(target.host, new Date(now.getTime() - DAY_MS));
    const fromSeries = stored !== undefined && stored !== null && stored.length > 0;
    const points = fromSeries ? stored : this.deps.board.recentPoints(target.host);
    const chart =
      `<h2>Latency and loss (${fromSeries ? 'last 24 h, quality series' : `last ${points.length} cycles`})</h2>` +
      chartSection(points, { scriptPath: UPLOT_SCRIPT_PATH, stylePath: UPLOT_STYLE_PATH });
    sendHtml(
      res,
      200,
      `<!doctype html><html lang=en><head><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1">` +
        `<meta http-equiv=refresh content=${this.deps.refreshSeconds()}><title>${escapeHtml(title)}</title>` +
        `<style>${statusStyles()}table{border-collapse:collapse}td,th{padding:2px 6px;border-bottom:1px solid var(--line);text-align:left}</style></head><body>` +
        `<p><a href="/">← ${escapeHtml(this.deps.title())}</a></p><ul>${row(target, now)}</ul>` +
        `<h2>Availability</h2><table>${availability}</table>` +
        `<h2>Outages (30 d)</h2><table><tr><th>start</th><th>end</th><th>duration</th><th>power cycles</th></tr>${outages}</table>` +
        `${chart}</body></html>`,
    );
  }

  private async asset(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    let asset;
    try {
      asset = await this.assets.get(path);
    } catch (error) {
      return sendJson(res, 500, { error: `cannot read ${path} from node_modules: ${String(error)}` });
    }
    const gzip = acceptsGzip(req);
    res.writeHead(200, {
      'Content-Type': asset.type,
      // The version is in the path: a new uPlot is a new path.
      'Cache-Control': 'public, max-age=604800, immutable',
      ...(gzip && { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }),
    });
    res.end(gzip ? asset.gzipped : asset.body);
  }

  private async badge(res: ServerResponse, url: URL, rest: string): Promise<void> {
    let match = /^(.+)\/uptime\.svg$/.exec(rest);
    if (match) {
      const host = decode(match[1] as string);
      const target = this.deps.board.get(host);
      if (!target) return sendSvg(res, 404, badge('uptime', 'unknown host', '#9f9f9f'));
      const windowText = url.searchParams.get('window') ?? '30d';
      const windowMs = parseWindow(windowText);
      if (windowMs === null) return sendSvg(res, 400, badge('uptime', 'bad window', '#9f9f9f'));
      const history = await this.history(target.host, windowMs);
      const percent = history?.availability_percent ?? null;
      const colour =
        percent === null ? '#9f9f9f' : percent >= 99.9 ? '#4c1' : percent >= 99 ? '#dfb317' : '#e05d44';
      return sendSvg(
        res,
        200,
        badge(`uptime ${windowText}`, percent === null ? 'n/a' : percentText(percent), colour),
      );
    }
    match = /^(.+)\.svg$/.exec(rest);
    if (!match) return sendJson(res, 404, { error: `no such badge: ${rest}` });
    const target = this.deps.board.get(decode(match[1] as string));
    if (!target) return sendSvg(res, 404, badge('status', 'unknown host', '#9f9f9f'));
    const status: HostStatus = target.status;
    sendSvg(res, 200, badge(target.host, status, STATUS_LOOK[status].colour));
  }

  private events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const max = this.deps.maxEventClients ?? 32;
    if (this.clients >= max) {
      res.setHeader('Retry-After', '30');
      return sendJson(res, 503, { error: `too many event clients (at most ${max})` });
    }
    const { board } = this.deps;
    this.clients++;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\n\n`);
    // Last-Event-ID on a reconnect; `?since=` from the page, which knows the event it was drawn with.
    const last = Number(req.headers['last-event-id'] ?? url.searchParams.get('since') ?? '');
    if (
      Number.isInteger(last) &&
      last >= 0 &&
      last <= board.lastEventId() &&
      (last > 0 || board.lastEventId() === 0)
    ) {
      const missed = board.eventsSince(last);
      if (missed === null) this.send(res, 'snapshot', board.lastEventId(), this.status());
      else for (const event of missed) this.sendCycle(res, event);
    } else this.send(res, 'snapshot', board.lastEventId(), this.status());
    const unsubscribe = board.subscribe((event) => this.sendCycle(res, event));
    // Comments keep proxies from closing an idle stream and let a dead client be noticed.
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    keepAlive.unref();
    res.once('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      this.clients--;
    });
  }

  private sendCycle(res: ServerResponse, event: StatusEvent): void {
    const now = this.deps.clock.now();
    this.send(res, 'cycle', event.id, {
      at: event.at,
      overview: overview(event.counts),
      counts: event.counts,
      changed: event.changed.map(({ bar: _bar, ...rest }) => rest),
      rows: event.changed.map((t) => ({ host: t.host, html: row(t, now) })),
      removed: event.removed,
    });
  }

  private send(res: ServerResponse, type: string, id: number, data: unknown): void {
    res.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}

function sendHtml(res: ServerResponse, code: number, html: string, gzip = false): void {
  // 1,000 rows are ~300 KB of HTML but ~15 KB gzipped: worth it on a phone.
  const body = gzip ? gzipSync(html) : html;
  res.writeHead(code, {
    ...(gzip && { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' }),
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    // Self-contained: the page may load nothing from anywhere else.
    'Content-Security-Policy':
      "default-src 'none'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
  });
  res.end(body);
}

function sendSvg(res: ServerResponse, code: number, svg: string): void {
  res.writeHead(code, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'no-cache, max-age=0' });
  res.end(svg);
}
