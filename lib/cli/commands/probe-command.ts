import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { loadOrgs } from '../../config/load-orgs.js';
import { parseSettings } from '../../config/parse-settings.js';
import { DEFAULT_SETTINGS } from '../../config/settings-table.js';
import type { Config } from '../../config/types.js';
import { ConfigErrors, PingwardenError } from '../../shared/errors.js';
import { wireDeepProber } from '../../app/monitor-wiring.js';
import { parseCheckSpec, type CheckParameter, type CheckParameters } from '../../config/check-spec.js';
import { formatProbeReport } from '../../probe/route/probe-report-text.js';

/** The options of `pingwarden probe`, as commander gives them. */
export interface ProbeCommandOptions {
  readonly config: string;
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
 * @throws {PingwardenError} for bad options, {@link ConfigErrors} for bad settings.csv or orgs.csv
 */
export async function runProbeCommand(options: ProbeCommandOptions): Promise<ProbeCommandResult> {
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
    throw new PingwardenError(messages.join('\npingwarden: '));
  }
  const config = await readProbeConfig(options.config);
  const prober = wireDeepProber(config, await loadOrgs(options.config));
  const report = await prober.probe(parsed.spec);
  return {
    output: options.json ? JSON.stringify(report, null, 2) : formatProbeReport(report),
    healthy: report.verdict === 'healthy',
  };
}

/** Settings from `dir`/settings.csv when it exists, else the defaults; hosts.csv is not needed here. */
async function readProbeConfig(dir: string): Promise<Config> {
  const file = path.join(dir, 'settings.csv');
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== 'ENOENT' &&
      (error as NodeJS.ErrnoException).code !== 'ENOTDIR'
    ) {
      throw new PingwardenError(
        `${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }
  let settings = DEFAULT_SETTINGS;
  if (text !== null) {
    const parsed = parseSettings(text, file);
    if (parsed.errors.length > 0) throw new ConfigErrors(parsed.errors);
    settings = parsed.settings;
  }
  return { targets: [], settings, smtp: null, warnings: [] };
}
