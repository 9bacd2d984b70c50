import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import { loadOrgs, orgsFingerprint } from '../config/load-orgs.js';
import type { OrgPrefix } from '../config/parse-orgs.js';
import type { Settings } from '../config/types.js';
import { execCommand } from '../probe/command-runner.js';
import { buildOrgLookup } from '../probe/orgs/build-org-lookup.js';
import { ConfigFollowingProber } from '../probe/route/config-following-prober.js';
import { DeepProber } from '../probe/route/deep-probe.js';

/** The deep prober (HTTP /ping, /traceroute, `pingwarden probe`, route checks) with the configured org source. */
export function buildDeepProber(
  settings: Settings,
  orgPrefixes: readonly OrgPrefix[] | null,
  clock: Clock,
): DeepProber {
  return new DeepProber({
    run: execCommand,
    orgs: buildOrgLookup(settings, orgPrefixes, clock),
    clock,
    timeoutSeconds: settings.timeoutSeconds,
    maxHops: settings.probeMaxHops,
    resolveHopNames: settings.probeResolveHopNames,
    icmp: settings.probeTracerouteIcmp,
  });
}

/** The daemon's deep prober: rebuilt when the settings in force or orgs.csv change. */
export function buildFollowingDeepProber(input: {
  readonly settings: () => Settings;
  readonly configDir: string;
  readonly clock: Clock;
  readonly log: Log;
}): ConfigFollowingProber {
  const { configDir, clock } = input;
  return new ConfigFollowingProber({
    settings: input.settings,
    orgsStamp: () => orgsFingerprint(configDir),
    loadOrgs: () => loadOrgs(configDir),
    build: (settings, prefixes) => buildDeepProber(settings, prefixes, clock),
    log: input.log,
  });
}
