import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { parseDestination, unusableReason, type Destination } from './destination.js';
import { parseQuietSpan, type QuietHours } from './quiet-hours.js';
import type { Route } from './route.js';
import type { Target } from './target.js';
import { parseTargetSelector, SELECTOR_FORMS, unmatchedReason } from './target-selector.js';
import { parseTimeZone, type TimeZone } from './time-zone.js';
import type { Settings } from './types.js';

/** The routes of routes.csv and every problem found in it. */
export interface ParsedRoutes {
  readonly routes: readonly Route[];
  readonly errors: readonly ConfigError[];
}

/** What routes.csv is checked against: the targets, the settings and whether email is set up. */
export interface RouteContext {
  readonly targets: readonly Target[];
  readonly settings: Settings;
  readonly smtpConfigured: boolean;
}

const FORMAT =
  'expected "match,destinations[,options]" (e.g. "location:Building 7,b7-admin@example.com sms:5551234@txt.example ntfy,quiet=22:00-07:00")';

const OPTIONS = ['quiet', 'tz'] as const;

/**
 * Parses routes.csv: rows of `match,destinations[,options]`.
 *
 * - match: a host of hosts.csv (or `sensor:NAME`), `location:NAME` or `*`, as in maintenance.csv; one that
 *   names no configured target is an error.
 * - destinations and options: every cell after the match, split at spaces; a word with `=` is an option
 *   (`quiet=22:00-07:00`, `tz=Europe/Berlin`), any other a destination (an email address, `sms:ADDRESS`,
 *   `default` or a channel name). A channel that is not set up is an error, so alerts never vanish into it.
 *
 * An optional first row whose first cell is `match` is a header.
 */
export function parseRoutes(text: string, file: string, context: RouteContext): ParsedRoutes {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const routes: Route[] = [];
  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && /^match$/i.test(cells[0] ?? '')) return;
    if (cells.some(hasLineBreak)) return problem('line breaks are not allowed in routes.csv');
    const [matchText = '', ...rest] = cells;
    let usable = true;
    const selector = parseTargetSelector(matchText);
    if (selector === null) {
      problem(`missing match (${SELECTOR_FORMS})`);
      usable = false;
    } else {
      const unmatched = unmatchedReason(selector, context.targets);
      if (unmatched !== null) {
        problem(unmatched);
        usable = false;
      }
    }
    const destinations: Destination[] = [];
    const options = new Map<string, string>();
    for (const word of rest
      .join(' ')
      .split(/\s+/)
      .filter((w) => w !== '')) {
      const option = /^([^=]+)=(.*)$/.exec(word);
      if (option) {
        const key = option[1]!.toLowerCase();
        if (!(OPTIONS as readonly string[]).includes(key)) {
          problem(
            `unknown option ${JSON.stringify(option[1])}: expected ${OPTIONS.map((o) => `${o}=`).join(' or ')}`,
          );
          usable = false;
        } else if (options.has(key)) {
          problem(`option ${key}= is given twice`);
          usable = false;
        } else options.set(key, option[2]!);
        continue;
      }
      const destination = parseDestination(word);
      if (typeof destination === 'string') {
        problem(destination);
        usable = false;
        continue;
      }
      const unusable = unusableReason(destination, context.settings, context.smtpConfigured);
      if (unusable !== null) {
        problem(unusable);
        usable = false;
      }
      destinations.push(destination);
    }
    if (destinations.length === 0 && usable) {
      problem(`no destinations (${FORMAT})`);
      usable = false;
    }
    const quiet = quietOf(options, problem);
    if (quiet === undefined) usable = false;
    if (usable && selector !== null && quiet !== undefined) {
      routes.push({ selector, destinations, quiet, line });
    }
  });
  errors.sort((a, b) => a.line - b.line);
  return { routes, errors };
}

/** The quiet hours of a row's options; null when none; undefined after reporting a problem. */
function quietOf(
  options: ReadonlyMap<string, string>,
  problem: (message: string) => void,
): QuietHours | null | undefined {
  const span = options.get('quiet');
  const zoneText = options.get('tz');
  let zone: TimeZone = { kind: 'local' };
  if (zoneText !== undefined) {
    const parsed = parseTimeZone(zoneText);
    if (parsed === null) {
      problem(
        `invalid tz=${zoneText}: expected local, UTC, an offset such as +02:00 or an IANA zone such as Europe/Berlin`,
      );
      return undefined;
    }
    if (span === undefined) {
      problem('tz= is only used with quiet= (the quiet hours it reads)');
      return undefined;
    }
    zone = parsed;
  }
  if (span === undefined) return null;
  const parsed = parseQuietSpan(span);
  if (typeof parsed === 'string') {
    problem(parsed);
    return undefined;
  }
  return { ...parsed, zone, text: span };
}
