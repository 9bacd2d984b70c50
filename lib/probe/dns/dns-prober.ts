import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';

import type { DnsCheck, TargetOf } from '../../config/target.js';
import type { CheckOutcome } from '../service-check-run.js';
import { ServiceProber } from '../service-prober.js';

/**
 * `dns://SERVER/NAME?type=A` rows: that one server (never the system resolver) answers NAME with records of
 * the type, one of them equal to `expect:` when given. The RTT is the time to the answer. A server that
 * answers "no such name" is DOWN too: for a monitored name that is the outage.
 */
export class DnsProber extends ServiceProber<'dns'> {
  protected checkOnce(target: TargetOf<'dns'>, timeoutMs: number): Promise<CheckOutcome> {
    return queryOnce(target.check, timeoutMs);
  }
}

/** One query, settled within `timeoutMs` (the resolver's own timeout, one try). */
export async function queryOnce(check: DnsCheck, timeoutMs: number): Promise<CheckOutcome> {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  resolver.setServers([
    isIP(check.server) === 6 ? `[${check.server}]:${check.port}` : `${check.server}:${check.port}`,
  ]);
  const started = performance.now();
  const what = `DNS ${check.type} ${check.name}`;
  let answers: string[];
  // c-ares may wait past its own timeout (it backs off); cancelling makes `timeout_seconds` a hard limit.
  const timer = setTimeout(() => resolver.cancel(), timeoutMs);
  try {
    answers = await resolve(resolver, check);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException)?.code;
    const why =
      code === 'ECANCELLED' ? `no answer within ${timeoutMs / 1000} s` : describeDnsError(error, timeoutMs);
    return { ok: false, reason: `${what}: ${why}` };
  } finally {
    clearTimeout(timer);
  }
  const rttMs = performance.now() - started;
  if (answers.length === 0) return { ok: false, reason: `${what}: no records` };
  if (check.expect !== null) {
    const wanted = canonical(check.expect);
    if (!answers.some((answer) => canonical(answer) === wanted)) {
      const got = answers.slice(0, 5).join(', ') + (answers.length > 5 ? ', ...' : '');
      return { ok: false, reason: `${what}: answered ${got}, expected ${check.expect}` };
    }
  }
  return { ok: true, rttMs };
}

async function resolve(resolver: Resolver, check: DnsCheck): Promise<string[]> {
  switch (check.type) {
    case 'A':
      return resolver.resolve4(check.name);
    case 'AAAA':
      return resolver.resolve6(check.name);
    case 'CNAME':
      return resolver.resolveCname(check.name);
    case 'NS':
      return resolver.resolveNs(check.name);
    case 'MX':
      return (await resolver.resolveMx(check.name)).map((mx) => mx.exchange);
    case 'TXT':
      return (await resolver.resolveTxt(check.name)).map((chunks) => chunks.join(''));
  }
}

/** Addresses in canonical form (`0:0::1` is `::1`), names without case or trailing dot. */
function canonical(value: string): string {
  if (isIP(value) === 6) return new URL(`http://[${value}]/`).hostname;
  const lower = value.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

function describeDnsError(error: unknown, timeoutMs: number): string {
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  const words: Record<string, string> = {
    ENOTFOUND: 'no such name (NXDOMAIN)',
    ENODATA: 'no records of this type',
    ESERVFAIL: 'server failure (SERVFAIL)',
    EREFUSED: 'query refused (REFUSED)',
    ETIMEOUT: `no answer within ${timeoutMs / 1000} s`,
    ECONNREFUSED: 'connection refused',
    EBADRESP: 'malformed answer',
    EFORMERR: 'the server could not read the query (FORMERR)',
    ENOTIMP: 'the server does not implement this query (NOTIMP)',
  };
  return words[code] ?? (error instanceof Error ? error.message : String(error));
}
