import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { hostIdentity, validateHostAddress } from './host-address.js';
import { DEFAULT_SETTINGS, SETTINGS_TABLE } from './settings-table.js';
import type { Target } from './target.js';
import type { Config } from './types.js';

/** What `pingwarden watch` was given on the command line. */
export interface WatchArguments {
  readonly hosts: readonly string[];
  /** `--interval` as typed; default {@link WATCH_DEFAULT_INTERVAL_SECONDS}. */
  readonly interval?: string;
  /** `--discord-webhook` as typed. */
  readonly discordWebhook?: string;
  /** `--attempts` as typed; default: derived from the interval ({@link watchProbeTiming}). */
  readonly attempts?: string;
  /** `--timeout` (seconds) as typed; default: derived from the interval. */
  readonly timeout?: string;
}

/**
 * Echo requests and timeout for `watch` when not given: the daemon's defaults (3 × 2 s) when they fit in
 * the interval with a second to spare, else 1 s timeouts and as many attempts (at most 3) as fit. A down
 * host takes attempts × timeout to probe, so `watch 1.1.1.1 --interval 2` with the defaults would log an
 * overrun at every cycle of an outage.
 */
export function watchProbeTiming(intervalSeconds: number): { attempts: number; timeoutSeconds: number } {
  const budget = Math.max(1, intervalSeconds - 1);
  const { attempts, timeoutSeconds } = DEFAULT_SETTINGS;
  if (attempts * timeoutSeconds <= budget) return { attempts, timeoutSeconds };
  return { attempts: Math.min(attempts, budget), timeoutSeconds: 1 };
}

/** `watch` probes every minute unless told otherwise: quicker feedback than the daemon's 5-minute default. */
export const WATCH_DEFAULT_INTERVAL_SECONDS = 60;

/** Where `watch` problems are said to be, as `config/hosts.csv` is for the daemon. */
export const WATCH_SOURCE = 'command line';

/**
 * The configuration `pingwarden watch HOST... [--interval N] [--discord-webhook URL]` stands for: the hosts
 * from the command line, checked exactly like hosts.csv rows (`command line:2: invalid host "-f": ...`,
 * counting hosts from 1), and the default for every other setting. No email: `watch` needs no files.
 *
 * @throws ConfigErrors listing every problem
 */
export function watchConfig(args: WatchArguments): Config {
  const errors: ConfigError[] = [];
  const targets: Target[] = [];
  const firstOf = new Map<string, number>();
  args.hosts.forEach((host, index) => {
    const line = index + 1;
    const problem = validateHostAddress(host);
    if (problem !== null) {
      errors.push(new ConfigError(WATCH_SOURCE, line, `invalid host ${JSON.stringify(host)}: ${problem}`));
      return;
    }
    const first = firstOf.get(hostIdentity(host));
    if (first !== undefined) {
      errors.push(
        new ConfigError(
          WATCH_SOURCE,
          line,
          `duplicate host ${JSON.stringify(host)} (first given as host ${first})`,
        ),
      );
      return;
    }
    firstOf.set(hostIdentity(host), line);
    targets.push({
      id: host,
      label: { host, description: '', location: '' },
      check: { kind: 'icmp' },
      parent: null,
      cyclePlug: null,
      lamp: null,
      line,
    });
  });
  if (args.hosts.length === 0)
    errors.push(new ConfigError(WATCH_SOURCE, 0, 'name at least one host to watch'));

  let intervalSeconds = WATCH_DEFAULT_INTERVAL_SECONDS;
  if (args.interval !== undefined) {
    const spec = SETTINGS_TABLE.intervalSeconds;
    const parsed = spec.parse(args.interval.trim());
    if (parsed.ok) intervalSeconds = parsed.value;
    else
      errors.push(
        new ConfigError(WATCH_SOURCE, 0, `--interval must be ${spec.allowed}, got "${args.interval}"`),
      );
  }
  const derived = watchProbeTiming(intervalSeconds);
  const numberOption = (
    option: string,
    text: string | undefined,
    spec: { allowed: string; parse: (text: string) => { ok: true; value: number } | { ok: false } },
    fallback: number,
  ): number => {
    if (text === undefined) return fallback;
    const parsed = spec.parse(text.trim());
    if (parsed.ok) return parsed.value;
    errors.push(new ConfigError(WATCH_SOURCE, 0, `${option} must be ${spec.allowed}, got "${text}"`));
    return fallback;
  };
  const attempts = numberOption('--attempts', args.attempts, SETTINGS_TABLE.attempts, derived.attempts);
  const timeoutSeconds = numberOption(
    '--timeout',
    args.timeout,
    SETTINGS_TABLE.timeoutSeconds,
    derived.timeoutSeconds,
  );
  const warnings: string[] = [];
  if (attempts * timeoutSeconds >= intervalSeconds) {
    warnings.push(
      `--attempts ${attempts} × --timeout ${timeoutSeconds}s is not shorter than --interval ${intervalSeconds}s: ` +
        'cycles with a down host will overrun the interval',
    );
  }

  let discordWebhook = '';
  if (args.discordWebhook !== undefined) {
    const spec = SETTINGS_TABLE.discordWebhook;
    const parsed = spec.parse(args.discordWebhook.trim());
    if (parsed.ok) discordWebhook = parsed.value;
    // The URL holds a token: say what is wrong without repeating it.
    else errors.push(new ConfigError(WATCH_SOURCE, 0, `--discord-webhook must be ${spec.allowed}`));
  }

  if (errors.length > 0) throw new ConfigErrors(errors);
  return {
    targets,
    settings: { ...DEFAULT_SETTINGS, intervalSeconds, attempts, timeoutSeconds, discordWebhook },
    smtp: null,
    warnings,
  };
}
