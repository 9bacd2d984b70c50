import { buildDeepProber } from '../../app/build-deep-prober.js';
import type { AppDeps } from '../../app/deps.js';
import { loadSettingsAndOrgs } from '../../config/load-config.js';
import { UserError } from '../../shared/errors.js';
import { parseCheckSpec, type CheckParameter, type CheckParameters } from '../../config/check-spec.js';
import { formatProbeReport } from '../../probe/route/probe-report-text.js';

/** The options of `pingwarden probe`, as commander gives them. */
export interface ProbeCommandOptions {
  readonly config: string;
  readonly logs: string;
  readonly target?: string;
  readonly source?: string;
  readonly count?: string;
  readonly minLatencyMs?: string;
  readonly maxLatencyMs?: string;
  readonly routeInclude?: string;
  readonly routeExclude?: string;
  readonly hopOrgInclude?: string;
  readonly hopOrgExclude?: string;
  readonly traceroute?: boolean;
  readonly json?: boolean;
}

/** Each check parameter's command-line flag, for messages. */
const FLAGS: Readonly<Record<CheckParameter, string>> = {
  Target: '--target',
  Source: '--source',
  Count: '--count',
  MinLatencyMs: '--min-latency-ms',
  MaxLatencyMs: '--max-latency-ms',
  RouteIncludeCsv: '--route-include',
  RouteExcludeCsv: '--route-exclude',
  HopsMustIncludeOrg: '--hop-org-include',
  HopsMustExcludeOrg: '--hop-org-exclude',
};

/** The result of `pingwarden probe`: what to print and the exit code (0 healthy, 1 unhealthy). */
export interface ProbeCommandResult {
  readonly output: string;
  readonly healthy: boolean;
}

/**
 * `pingwarden probe`: the HTTP endpoint's checks from a terminal. Runs a traceroute when a route or org
 * check is asked for (or `--traceroute`), else a ping. Settings (timeout, hops, IPinfo) and orgs.csv come
 * from the config folder when it has them.
 *
 * @throws {UserError} for bad options, ConfigErrors for bad settings.csv or orgs.csv
 */
export async function runProbeCommand(
  deps: AppDeps,
  options: ProbeCommandOptions,
): Promise<ProbeCommandResult> {
  const params: CheckParameters = {
    Target: options.target,
    Source: options.source,
    Count: options.count,
    MinLatencyMs: options.minLatencyMs,
    MaxLatencyMs: options.maxLatencyMs,
    RouteIncludeCsv: options.routeInclude,
    RouteExcludeCsv: options.routeExclude,
    HopsMustIncludeOrg: options.hopOrgInclude,
    HopsMustExcludeOrg: options.hopOrgExclude,
  };
  const wantsPath = [
    options.routeInclude,
    options.routeExclude,
    options.hopOrgInclude,
    options.hopOrgExclude,
  ].some((value) => value !== undefined);
  const parsed = parseCheckSpec(options.traceroute || wantsPath ? 'traceroute' : 'ping', params);
  if (!parsed.ok) {
    const messages = parsed.problems.map((problem) => {
      const name = Object.keys(FLAGS).find((key) => problem.startsWith(`${key} `)) as
        CheckParameter | undefined;
      return name ? `${FLAGS[name]}${problem.slice(name.length)}` : problem;
    });
    // One `pingwarden: ` line per problem, as the CLI prints the first.
    throw new UserError(messages.join('\npingwarden: '));
  }
  const { settings, orgs } = await loadSettingsAndOrgs(deps.paths.configDir);
  const prober = buildDeepProber(settings, orgs, deps.clock);
  const report = await prober.probe(parsed.spec);
  return {
    output: options.json ? JSON.stringify(report, null, 2) : formatProbeReport(report),
    healthy: report.verdict === 'healthy',
  };
}
