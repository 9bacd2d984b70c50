import { DeliveryError, errorMessage, RateLimitedError } from '../../shared/errors.js';
import { parseRetryAfter } from '../parse-retry-after.js';

/** How {@link postJson} sends. */
export interface PostJsonOptions {
  /** `discord`, `webhook`: starts every error message. */
  readonly what: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default: Node's fetch. Tests may pass their own. */
  readonly fetch?: typeof fetch;
  /** Give up on a request after this long. */
  readonly timeoutMs: number;
  /** For an HTTP-date Retry-After. */
  readonly now: Date;
  /**
   * How long a 429 asks to wait, from its parsed JSON body (Discord puts `retry_after` there); when it
   * gives null the Retry-After header is used.
   */
  readonly retryAfterFromBody?: (body: unknown) => number | null;
  /** Send `body` (a string) as-is instead of as JSON; set `content-type` in `headers` (ntfy takes plain text). */
  readonly raw?: boolean;
  /** Default POST; Matrix sends a message with PUT (its transaction id makes a retry idempotent). */
  readonly method?: 'POST' | 'PUT';
}

/** When a 429 names no time, wait this long rather than hammering the server. */
const DEFAULT_RETRY_AFTER_MS = 5000;

/**
 * POSTs (or PUTs) `body` as JSON and resolves when the server answered 2xx. A 429 rejects with a
 * {@link RateLimitedError} carrying the wait the server asked for; anything else rejects with a
 * {@link DeliveryError} such as `webhook failed: HTTP 500 Internal Server Error: <start of the reply>`, with
 * `status` set when the server answered. Messages never contain the URL (it may hold a token), and the
 * underlying error is not kept as `cause` for the same reason: some of fetch's errors quote the URL.
 */
export async function postJson(url: string, body: unknown, options: PostJsonOptions): Promise<void> {
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method: options.method ?? 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'pingwarden', ...options.headers },
      body: options.raw === true && typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new DeliveryError(`${options.what} failed: ${networkProblem(error, options.timeoutMs)}`);
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return;
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (response.status === 429) {
    const fromBody = options.retryAfterFromBody?.(parseJson(text)) ?? null;
    const waitMs =
      fromBody ?? parseRetryAfter(response.headers.get('retry-after'), options.now) ?? DEFAULT_RETRY_AFTER_MS;
    throw new RateLimitedError(`${options.what} rate limited (${status}); retry in ${waitMs} ms`, waitMs, {
      status: response.status,
    });
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  throw new DeliveryError(`${options.what} failed: ${status}${snippet ? `: ${snippet}` : ''}`, {
    status: response.status,
  });
}

/** undici says `fetch failed` and keeps the real reason (ECONNREFUSED, a timeout) in `cause`. */
function networkProblem(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return errorMessage(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
