import type { IncomingHttpHeaders } from 'node:http';

import { CHECK_PARAMETERS, type CheckParameters } from '../../config/check-spec.js';

/**
 * Collects the deep-probe parameters of one request. Each may come as a header (as the seed's users send
 * them from Uptime Kuma: `-H "MinLatencyMs: 10"`) or as a query parameter (`?MinLatencyMs=10`); names are
 * case-insensitive and the query wins when both are given.
 *
 * The target may also come in the seed's way, as the `Host` header (`curl -H "Host: example.net"`), but
 * only when it is not simply the address the client used to reach this listener: every HTTP/1.1 request has
 * a Host header, and probing ourselves by accident would answer 200 for nothing.
 *
 * @param localHosts the names this listener is reached by (its address, with and without port)
 */
export function probeParameters(
  url: URL,
  headers: IncomingHttpHeaders,
  localHosts: ReadonlySet<string>,
): CheckParameters {
  const params: CheckParameters = {};
  const query = new Map<string, string>();
  for (const [key, value] of url.searchParams) query.set(key.toLowerCase(), value);
  for (const name of CHECK_PARAMETERS) {
    const lower = name.toLowerCase();
    const header = headers[lower];
    const value = query.get(lower) ?? (Array.isArray(header) ? header[0] : header);
    if (value !== undefined) params[name] = value;
  }
  if (params.Target === undefined) {
    const host = query.get('host') ?? headers.host;
    if (host !== undefined && !localHosts.has(host.toLowerCase())) params.Target = host;
  }
  return params;
}
