import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';

import type { HttpCheck, TargetOf } from '../../config/target.js';
import { describeNetworkError, type CheckOutcome } from '../service-check-run.js';
import { ServiceProber } from '../service-prober.js';
import { certificateExpiry, judgeExpiry } from '../tls/certificate-expiry.js';
import { trustOptions } from '../tls/tls-prober.js';

/** How much of a body `keyword:` / `not-keyword:` look at. */
export const KEYWORD_BODY_LIMIT = 1024 * 1024;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * `http://` and `https://` rows: a GET (or `method:HEAD`) that follows up to `max-redirects` redirects and
 * passes when the final status is 2xx/3xx (or one of `status:`), the first MB of the body contains
 * `keyword:` and not `not-keyword:`, and, with `cert-days:N`, the server's certificate is valid N more days.
 * The RTT is the time to the final answer's headers. Each check opens its own connection (no keep-alive:
 * a check every few minutes would find a pooled socket closed anyway, and the cycle measures the real thing).
 */
export class HttpProber extends ServiceProber<'http'> {
  private readonly httpAgent = new HttpAgent({ keepAlive: false, maxSockets: Infinity });
  // No TLS session reuse: a resumed session shows no peer certificate, and cert-days must read it each time.
  private readonly httpsAgent = new HttpsAgent({
    keepAlive: false,
    maxSockets: Infinity,
    maxCachedSessions: 0,
  });

  protected async checkOnce({ check }: TargetOf<'http'>, timeoutMs: number): Promise<CheckOutcome> {
    const started = performance.now();
    // A timer of our own, cleared when the check ends, rather than AbortSignal.timeout: that one outlives the
    // check, and with a thousand checks a cycle a thousand stray timers would pile up.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await this.followRedirects(check, controller.signal, timeoutMs, started);
    } finally {
      clearTimeout(timer);
      // A body nobody reads (no keyword) or one cut at 1 MB must not keep streaming after the verdict.
      controller.abort();
    }
  }

  private async followRedirects(
    check: HttpCheck,
    deadline: AbortSignal,
    timeoutMs: number,
    started: number,
  ): Promise<CheckOutcome> {
    let url = new URL(check.url);
    let expiresAt: Date | null = null;
    let sawCertificate = false;
    for (let redirects = 0; ; redirects += 1) {
      let answer: Answer;
      try {
        answer = await this.fetchOnce(url, check, deadline);
      } catch (error) {
        const timedOut = deadline.aborted;
        return {
          ok: false,
          reason: timedOut
            ? `no answer within ${timeoutMs / 1000} s`
            : describeNetworkError(error, timeoutMs),
        };
      }
      if (answer.certificateExpiry !== undefined && !sawCertificate) {
        // The row's own host decides cert-days, not a host it redirects to.
        sawCertificate = true;
        expiresAt = answer.certificateExpiry;
      }
      const location = answer.location;
      if (REDIRECTS.has(answer.status) && location !== null && redirects < check.maxRedirects) {
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          return { ok: false, reason: `HTTP ${answer.status}: redirect to an invalid location` };
        }
        if (next.protocol !== 'http:' && next.protocol !== 'https:') {
          return { ok: false, reason: `HTTP ${answer.status}: redirect to ${next.protocol} is not followed` };
        }
        url = next;
        continue;
      }
      const rttMs = performance.now() - started;
      const statusOk =
        check.statuses === null
          ? answer.status >= 200 && answer.status < 400
          : check.statuses.includes(answer.status);
      if (!statusOk) {
        const tooMany =
          REDIRECTS.has(answer.status) && location !== null
            ? ` (more than max-redirects:${check.maxRedirects})`
            : '';
        return { ok: false, reason: `HTTP ${answer.status}${tooMany}` };
      }
      if (check.keyword !== null && !(answer.body ?? '').includes(check.keyword)) {
        return { ok: false, reason: `keyword '${check.keyword}' not found` };
      }
      if (check.notKeyword !== null && (answer.body ?? '').includes(check.notKeyword)) {
        return { ok: false, reason: `keyword '${check.notKeyword}' found (not-keyword)` };
      }
      if (url.protocol === 'https:' || new URL(check.url).protocol === 'https:') {
        const expiry = judgeExpiry(expiresAt, check.certDays, this.options.clock.now());
        if (expiry !== null && 'reason' in expiry) return expiry;
        if (expiry !== null) return { ok: true, rttMs, warning: expiry.warning };
      }
      return { ok: true, rttMs };
    }
  }

  private fetchOnce(url: URL, check: HttpCheck, deadline: AbortSignal): Promise<Answer> {
    const https = url.protocol === 'https:';
    const wantBody = check.method === 'GET' && (check.keyword !== null || check.notKeyword !== null);
    return new Promise<Answer>((resolve, reject) => {
      const request = (https ? httpsRequest : httpRequest)(url, {
        method: check.method,
        agent: https ? this.httpsAgent : this.httpAgent,
        signal: deadline,
        headers: { 'user-agent': 'pingwarden', accept: '*/*' },
        ...(https && trustOptions(url.hostname.replace(/^\[|\]$/g, ''), check.tls)),
      });
      // `on`, not `once`: an abort after the verdict may still emit, and an unheard 'error' would crash.
      request.on('error', reject);
      request.once('response', (response: IncomingMessage) => {
        const base = {
          status: response.statusCode ?? 0,
          location: typeof response.headers.location === 'string' ? response.headers.location : null,
          ...(https && {
            certificateExpiry: certificateExpiry((response.socket as TLSSocket).getPeerCertificate?.()),
          }),
        };
        if (!wantBody || REDIRECTS.has(base.status)) {
          response.resume();
          resolve({ ...base, body: null });
          return;
        }
        readBody(response, KEYWORD_BODY_LIMIT).then((body) => resolve({ ...base, body }), reject);
      });
      request.end();
    });
  }
}

interface Answer {
  readonly status: number;
  readonly location: string | null;
  readonly body: string | null;
  /** https only: the peer certificate's expiry (null: none sent). */
  readonly certificateExpiry?: Date | null;
}

/** The first `limit` bytes of the body as UTF-8; the rest is not waited for. */
function readBody(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        response.removeAllListeners('end');
        response.destroy();
        done();
      }
    });
    response.once('end', done);
    response.on('error', (error) => (size >= limit ? undefined : reject(error)));
  });
}
