import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { OrgAnswer, OrgLookup } from './org-lookup.js';

/** What an {@link IpinfoOrgLookup} needs. */
export interface IpinfoOptions {
  readonly token: string;
  /** `https://ipinfo.io` in production; tests point it at a local server. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  /** How long an answer (found or unknown, never a failure) is reused. */
  readonly cacheSeconds: number;
  readonly clock: Clock;
  /** The HTTP client; `fetch` unless a test passes another. */
  readonly fetch?: typeof fetch;
}

/**
 * Asks IPinfo (`GET {baseUrl}/{ip}/org?token=...` would do, but the JSON form also says "bogon" for private
 * addresses) who owns an address. Answers are cached; failures (timeout, HTTP error, bad JSON) are not, so
 * the next probe asks again.
 */
export class IpinfoOrgLookup implements OrgLookup {
  readonly name = 'ipinfo';
  private readonly cache = new Map<string, { answer: OrgAnswer; until: number }>();
  private readonly inFlight = new Map<string, Promise<OrgAnswer>>();

  constructor(private readonly options: IpinfoOptions) {}

  lookup(address: string, signal?: AbortSignal): Promise<OrgAnswer> {
    const now = this.options.clock.now().getTime();
    const cached = this.cache.get(address);
    if (cached && cached.until > now) return Promise.resolve(cached.answer);
    // Twenty concurrent probes through the same gateway ask once.
    let pending = this.inFlight.get(address);
    if (!pending) {
      pending = this.ask(address, signal).finally(() => this.inFlight.delete(address));
      this.inFlight.set(address, pending);
    }
    return pending;
  }

  private async ask(address: string, signal?: AbortSignal): Promise<OrgAnswer> {
    const { token, baseUrl, timeoutMs, cacheSeconds, clock } = this.options;
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(address)}/json`);
    const timeout = AbortSignal.timeout(timeoutMs);
    const abort = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let answer: OrgAnswer;
    try {
      const response = await (this.options.fetch ?? fetch)(url, {
        headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
        signal: abort,
      });
      if (!response.ok) {
        await response.body?.cancel();
        return { status: 'failed', reason: `ipinfo answered HTTP ${response.status}` };
      }
      const body: unknown = await response.json();
      answer = readAnswer(body);
      if (answer.status === 'failed') return answer;
    } catch (error) {
      if (timeout.aborted)
        return { status: 'failed', reason: `ipinfo did not answer within ${timeoutMs} ms` };
      return {
        status: 'failed',
        reason: `ipinfo: ${errorMessage(error)}`,
      };
    }
    this.cache.set(address, { answer, until: clock.now().getTime() + cacheSeconds * 1000 });
    return answer;
  }
}

function readAnswer(body: unknown): OrgAnswer {
  if (typeof body !== 'object' || body === null)
    return { status: 'failed', reason: 'ipinfo sent no JSON object' };
  const record = body as Record<string, unknown>;
  if (record.bogon === true) return { status: 'unknown' };
  if (typeof record.org === 'string' && record.org.trim() !== '')
    return { status: 'found', org: record.org.trim() };
  return { status: 'unknown' };
}
