import { parseCheckSpec, type CheckParameter, type CheckParameters, type CheckSpec } from './check-spec.js';
import { parseCidrList } from './cidr-list.js';
import { parseOrgPatternList } from './org-pattern.js';
import { parseProbeSource } from './probe-source.js';

/**
 * The hosts.csv option keys that turn a row into a route-checked host, and the deep-probe parameter each
 * one fills (the same names as the HTTP headers). Lists are comma-separated inside one token, since a
 * key may appear only once per row:
 *
 * - `via:198.51.100.0/24,192.0.2.1`  the path passes through at least one of these ranges (RouteIncludeCsv)
 * - `not-via:192.168.0.0/24`         no hop is inside any of these ranges (RouteExcludeCsv)
 * - `hop-org:*.hargray.net,AS12345`  some hop's name or owner matches one of these (HopsMustIncludeOrg)
 * - `not-hop-org:AS64501`            no hop's name or owner matches any of these (HopsMustExcludeOrg)
 * - `min-rtt:10` / `max-rtt:250`     every reply takes at least / at most this many ms (Min/MaxLatencyMs)
 * - `source:eth1`                    probe from this interface or local address (Source)
 *
 * The first four need the hops, so such a row is probed with traceroute; a row with only the others gets a
 * deep ping. A failing check makes the host DOWN, with the failed checks as the alert's reason.
 */
export const ROUTE_CHECK_OPTIONS = {
  via: 'RouteIncludeCsv',
  'not-via': 'RouteExcludeCsv',
  'hop-org': 'HopsMustIncludeOrg',
  'not-hop-org': 'HopsMustExcludeOrg',
  'min-rtt': 'MinLatencyMs',
  'max-rtt': 'MaxLatencyMs',
  source: 'Source',
} as const;

/** One of {@link ROUTE_CHECK_OPTIONS}' keys. */
export type RouteCheckOption = keyof typeof ROUTE_CHECK_OPTIONS;

/** Options that need traceroute's hops. */
export const PATH_OPTIONS: readonly RouteCheckOption[] = ['via', 'not-via', 'hop-org', 'not-hop-org'];

const problemOf = <T>(parsed: T | string): string | null => (typeof parsed === 'string' ? parsed : null);

function milliseconds(text: string): string | null {
  return /^[0-9]{1,5}(\.[0-9]+)?$/.test(text) && Number(text) <= 60_000
    ? null
    : `must be a number of milliseconds from 0 to 60000, got ${JSON.stringify(text)}`;
}

/**
 * The value check of each route-check key, for the hosts.csv option registry (host-options.ts, which
 * imports this file; the validator type is spelled out so the two do not import each other).
 */
export const ROUTE_CHECK_VALIDATORS: ReadonlyMap<RouteCheckOption, (value: string) => string | null> =
  new Map<RouteCheckOption, (value: string) => string | null>([
    ['via', (value) => problemOf(parseCidrList(value))],
    ['not-via', (value) => problemOf(parseCidrList(value))],
    ['hop-org', (value) => problemOf(parseOrgPatternList(value))],
    ['not-hop-org', (value) => problemOf(parseOrgPatternList(value))],
    ['min-rtt', milliseconds],
    ['max-rtt', milliseconds],
    ['source', (value) => problemOf(parseProbeSource(value))],
  ]);

/** hosts.csv option names for the deep-probe parameters, for messages about a row. */
const OPTION_OF_PARAMETER: Partial<Record<CheckParameter, RouteCheckOption>> = Object.fromEntries(
  Object.entries(ROUTE_CHECK_OPTIONS).map(([option, parameter]) => [parameter, option]),
);

/**
 * The deep probe a hosts.csv row asks for through its route-check options, or null when it has none (then
 * the row is pinged as usual). `count` is the `attempts` setting: echo requests, or probes per hop.
 * Problems that span options (`min-rtt:` above `max-rtt:`) come back worded with the option names.
 */
export function routeCheckOf(
  host: string,
  options: ReadonlyMap<string, string>,
  count: number,
): { readonly spec: CheckSpec } | { readonly problems: readonly string[] } | null {
  // Most rows have no options at all: nothing to look for (10,000 rows of hosts.csv are read at every start).
  if (options.size === 0) return null;
  const params: CheckParameters = { Target: host, Count: String(count) };
  let any = false;
  for (const [key, parameter] of Object.entries(ROUTE_CHECK_OPTIONS) as [
    RouteCheckOption,
    CheckParameter,
  ][]) {
    const value = options.get(key);
    if (value === undefined) continue;
    params[parameter] = value;
    any = true;
  }
  if (!any) return null;
  const needsHops = PATH_OPTIONS.some((key) => options.has(key));
  const parsed = parseCheckSpec(needsHops ? 'traceroute' : 'ping', params);
  if (parsed.ok) return { spec: parsed.spec };
  return { problems: parsed.problems.map(withOptionNames) };
}

function withOptionNames(problem: string): string {
  return problem.replace(
    /\b(MinLatencyMs|MaxLatencyMs|RouteIncludeCsv|RouteExcludeCsv|HopsMust\w+|Source)\b/g,
    (name) => {
      const option = OPTION_OF_PARAMETER[name as CheckParameter];
      return option === undefined ? name : `option "${option}"`;
    },
  );
}
