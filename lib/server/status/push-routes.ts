import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import type { SensorEntry } from '../../config/sensor-entry.js';
import type { HeartbeatLedger } from '../../probe/heartbeat/heartbeat-book.js';
import { RateLimiter } from '../http/rate-limiter.js';

/** What the push route is built from. */
export interface PushRoutesDeps {
  /** The same book the UDP listener writes: a push is one more heartbeat of the sensor. */
  readonly book: HeartbeatLedger;
  /** sensors.csv as loaded now (follows reloads). */
  readonly sensors: () => readonly SensorEntry[];
  readonly clock: Clock;
  readonly log: Log;
  /** Pushes accepted per sensor per minute (bursts up to as many). */
  readonly perMinute: number;
}

/** How a push ended, the `result` label of `pingwarden_push_heartbeats_total`. */
export type PushResult = 'accepted' | 'bad_key' | 'rate_limited';

/** Push counts per sensor and result, and when each sensor's last push was accepted, for /metrics. */
export interface PushCounters {
  /** Keyed by sensor name; `""` holds pushes naming no configured sensor (a made-up name is no label). */
  readonly pushes: ReadonlyMap<string, Readonly<Record<PushResult, number>>>;
  /** Milliseconds since the epoch of each sensor's last accepted push. */
  readonly lastSeen: ReadonlyMap<string, number>;
}

/**
 * `GET|POST /push/<sensor>?key=<key>`: a heartbeat for routers that only have wget or curl. The key is the
 * sensor's key from sensors.csv, compared in constant time; a wrong or missing key is 403 and records nothing.
 */
export class PushRoutes {
  private readonly limiter: RateLimiter;
  private readonly pushes = new Map<string, Record<PushResult, number>>();
  private readonly lastSeen = new Map<string, number>();

  constructor(private readonly deps: PushRoutesDeps) {
    this.limiter = new RateLimiter(deps.perMinute, deps.clock);
  }

  /**
   * Pushes since start per sensor of sensors.csv as loaded now (a sensor removed from it drops out) and
   * result, with the time of each sensor's last accepted push.
   */
  counters(): PushCounters {
    const sensors = this.deps.sensors();
    const names = new Set(sensors.map((sensor) => sensor.name));
    const pushes = new Map([...this.pushes].filter(([name]) => name === '' || names.has(name)));
    // Every sensor that may push is listed from the start, at 0, so rate() and increase() work.
    for (const sensor of sensors)
      if (sensor.key !== null && !pushes.has(sensor.name))
        pushes.set(sensor.name, { accepted: 0, bad_key: 0, rate_limited: 0 });
    const lastSeen = new Map([...this.lastSeen].filter(([name]) => names.has(name)));
    return { pushes, lastSeen };
  }

  private count(sensor: string, result: PushResult): void {
    let counts = this.pushes.get(sensor);
    if (!counts) this.pushes.set(sensor, (counts = { accepted: 0, bad_key: 0, rate_limited: 0 }));
    counts[result]++;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, POST');
      return send(res, 405, `${req.method ?? ''} is not allowed; use GET or POST\n`);
    }
    // A POST body (MikroTik sends one) is read and ignored, so the connection stays usable.
    req.resume();
    const name = safeDecode(url.pathname.slice('/push/'.length));
    const sensor = this.deps.sensors().find((entry) => entry.name === name);
    const given = url.searchParams.get('key') ?? bearer(req.headers.authorization);
    // An unknown sensor answers like a wrong key: the route tells nobody which names exist.
    if (!sensor || sensor.key === null || given === null || !sameSecret(given, sensor.key)) {
      this.count(sensor ? sensor.name : '', 'bad_key');
      this.deps.log.warn('push refused', { sensor: name, source: req.socket.remoteAddress ?? '' });
      return send(res, 403, 'wrong or missing key\n');
    }
    const retryAfter = this.limiter.take(sensor.name);
    if (retryAfter > 0) {
      this.count(sensor.name, 'rate_limited');
      res.setHeader('Retry-After', String(retryAfter));
      return send(res, 429, `too many pushes for ${sensor.name}; try again in ${retryAfter}s\n`);
    }
    const { book, clock, log } = this.deps;
    const first = book.lookup(sensor.name) === undefined;
    const now = clock.now();
    book.record(sensor.name, now, 'PING', null);
    this.count(sensor.name, 'accepted');
    this.lastSeen.set(sensor.name, now.getTime());
    if (first)
      log.info('sensor heard', { sensor: sensor.name, source: req.socket.remoteAddress ?? '', via: 'push' });
    else log.debug('heartbeat', { sensor: sensor.name, via: 'push' });
    send(res, 200, 'ok\n');
  }
}

function sameSecret(given: string, expected: string): boolean {
  // Digests have one length, so the comparison takes the same time whatever the key's length.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function bearer(header: string | undefined): string | null {
  return header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
