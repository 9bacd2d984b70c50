import { PATH_OPTIONS, ROUTE_CHECK_OPTIONS, type RouteCheckOption } from '../../config/route-check-options.js';
import { parseCheckSpec, type CheckParameters, type CheckSpecParse } from '../../config/check-spec.js';

/**
 * The deep probe a hosts.csv row asks for through its route-check options, or null when it has none (then
 * the row is pinged as usual). `count` is the `attempts` setting: echo requests, or probes per hop.
 */
export function routeCheckSpec(
  host: string,
  options: ReadonlyMap<string, string>,
  count: number,
): CheckSpecParse | null {
  const params: CheckParameters = { Target: host, Count: String(count) };
  let any = false;
  for (const [key, parameter] of Object.entries(ROUTE_CHECK_OPTIONS) as [
    RouteCheckOption,
    keyof CheckParameters,
  ][]) {
    const value = options.get(key);
    if (value === undefined) continue;
    params[parameter] = value;
    any = true;
  }
  if (!any) return null;
  const needsHops = PATH_OPTIONS.some((key) => options.has(key));
  return parseCheckSpec(needsHops ? 'traceroute' : 'ping', params);
}
