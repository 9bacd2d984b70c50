import type { Clock } from '../../shared/clock.js';
import type { OrgPrefix } from '../../config/parse-orgs.js';
import type { Settings } from '../../config/types.js';
import { ChainedOrgLookup } from './chained-org-lookup.js';
import { IpinfoOrgLookup } from './ipinfo-org-lookup.js';
import { OfflineOrgLookup } from './offline-org-lookup.js';
import { noOrgLookup, type OrgLookup } from './org-lookup.js';

/**
 * The org source the settings ask for: orgs.csv when it exists, IPinfo when `ipinfo_token` is set, both
 * chained (orgs.csv first) when both are, and a source that always fails when neither is.
 */
export function buildOrgLookup(
  settings: Settings,
  prefixes: readonly OrgPrefix[] | null,
  clock: Clock,
): OrgLookup {
  const sources: OrgLookup[] = [];
  if (prefixes !== null) sources.push(new OfflineOrgLookup(prefixes));
  if (settings.ipinfoToken !== '') {
    sources.push(
      new IpinfoOrgLookup({
        token: settings.ipinfoToken,
        baseUrl: settings.ipinfoUrl,
        timeoutMs: settings.ipinfoTimeoutSeconds * 1000,
        cacheSeconds: settings.ipinfoCacheSeconds,
        clock,
      }),
    );
  }
  if (sources.length === 0) return noOrgLookup;
  return sources.length === 1 ? (sources[0] ?? noOrgLookup) : new ChainedOrgLookup(sources);
}
