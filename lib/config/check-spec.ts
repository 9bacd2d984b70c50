import { validateHostAddress } from './host-address.js';
import { parseCidrList, type Cidr } from './cidr-list.js';
import { parseOrgPatternList, type OrgPattern } from './org-pattern.js';
import { parseProbeSource, type ProbeSource } from './probe-source.js';

/** Which deep probe to run: a burst of pings, or a traceroute (which can also check the path). */
export type DeepProbeKind = 'ping' | 'traceroute';

/** What to probe and which checks must pass: one HTTP request, one `pingwarden probe`, one hosts.csv row. */
export interface CheckSpec {
  readonly kind: DeepProbeKind;
  /** Validated like a hosts.csv host: never an option or a shell word. */
  readonly target: string;
  readonly source: ProbeSource | null;
  /** Echo requests for `ping`, probes per hop for `traceroute`. */
  readonly count: number;
  /** Every reply must take at least this long (proves the slow backup link carried it). */
  readonly minLatencyMs: number | null;
  /** Every reply must take at most this long. */
  readonly maxLatencyMs: number | null;
  /** Each range must contain at least one hop. */
  readonly routeInclude: readonly Cidr[];
  /** No hop may be inside any of these ranges. */
  readonly routeExclude: readonly Cidr[];
  /** Each pattern must match at least one hop's name or owner. */
  readonly orgInclude: readonly OrgPattern[];
  /** No hop's name or owner may match any of these. */
  readonly orgExclude: readonly OrgPattern[];
}

/** The parameter names, exactly as the seed's headers spell them; queries and the CLI use the same. */
export const CHECK_PARAMETERS = [
  'Target',
  'Source',
  'Count',
  'MinLatencyMs',
  'MaxLatencyMs',
  'RouteIncludeCsv',
  'RouteExcludeCsv',
  'HopsMustIncludeOrg',
  'HopsMustExcludeOrg',
] as const;

/** One of {@link CHECK_PARAMETERS}. */
export type CheckParameter = (typeof CHECK_PARAMETERS)[number];

/** Raw text values by parameter name; absent or empty means "not asked for". */
export type CheckParameters = Partial<Record<CheckParameter, string>>;

/** Default and largest {@link CheckSpec.count}. */
export const DEFAULT_COUNT = 3;
export const MAX_COUNT = 20;
const MAX_LATENCY_LIMIT_MS = 60_000;

/** A {@link CheckSpec}, or every problem with the parameters (each naming the parameter). */
export type CheckSpecParse =
  | { readonly ok: true; readonly spec: CheckSpec }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates request parameters into a {@link CheckSpec}. Route and org checks need the hops, so they are
 * refused for `ping` rather than silently ignored.
 */
export function parseCheckSpec(kind: DeepProbeKind, params: CheckParameters): CheckSpecParse {
  const problems: string[] = [];
  const value = (name: CheckParameter): string | undefined => {
    const text = params[name]?.trim();
    return text === undefined || text === '' ? undefined : text;
  };
  const bad = (name: CheckParameter, problem: string) => problems.push(`${name} ${problem}`);

  const target = value('Target');
  if (target === undefined) bad('Target', 'is missing (send a Target header or ?Target=host)');
  else {
    const problem = validateHostAddress(target);
    if (problem !== null) bad('Target', `${JSON.stringify(target)} ${problem}`);
  }

  let source: ProbeSource | null = null;
  const sourceText = value('Source');
  if (sourceText !== undefined) {
    const parsed = parseProbeSource(sourceText);
    if (typeof parsed === 'string') bad('Source', `${JSON.stringify(sourceText)} ${parsed}`);
    else source = parsed;
  }

  const number = (name: CheckParameter, min: number, max: number, integer: boolean): number | null => {
    const text = value(name);
    if (text === undefined) return null;
    const parsed = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : NaN;
    if (Number.isNaN(parsed) || parsed < min || parsed > max || (integer && !Number.isInteger(parsed))) {
      bad(
        name,
        `must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(text)}`,
      );
      return null;
    }
    return parsed;
  };
  const count = number('Count', 1, MAX_COUNT, true) ?? DEFAULT_COUNT;
  const minLatencyMs = number('MinLatencyMs', 0, MAX_LATENCY_LIMIT_MS, false);
  const maxLatencyMs = number('MaxLatencyMs', 0, MAX_LATENCY_LIMIT_MS, false);
  if (minLatencyMs !== null && maxLatencyMs !== null && minLatencyMs > maxLatencyMs) {
    problems.push(`MinLatencyMs (${minLatencyMs}) is greater than MaxLatencyMs (${maxLatencyMs})`);
  }

  const list = <T>(name: CheckParameter, parse: (text: string) => T[] | string): T[] => {
    const text = value(name);
    if (text === undefined) return [];
    if (kind === 'ping') {
      bad(name, 'needs the hops: use /traceroute');
      return [];
    }
    const parsed = parse(text);
    if (typeof parsed === 'string') {
      bad(name, parsed);
      return [];
    }
    return parsed;
  };
  const routeInclude = list('RouteIncludeCsv', parseCidrList);
  const routeExclude = list('RouteExcludeCsv', parseCidrList);
  const orgInclude = list('HopsMustIncludeOrg', parseOrgPatternList);
  const orgExclude = list('HopsMustExcludeOrg', parseOrgPatternList);

  if (problems.length > 0 || target === undefined) return { ok: false, problems };
  return {
    ok: true,
    spec: {
      kind,
      target,
      source,
      count,
      minLatencyMs,
      maxLatencyMs,
      routeInclude,
      routeExclude,
      orgInclude,
      orgExclude,
    },
  };
}
