import { formatDuration } from '../shared/format-duration.js';
import type { Alert, AlertKind, HostLabel, RecoveryInfo } from '../monitor/alert.js';
import type { TraceSnapshot } from '../shared/fault-evidence.js';

/** A message ready for any text channel: one subject line and a plain-text body. */
export interface MessageText {
  readonly subject: string;
  readonly text: string;
}

/** How times are shown in messages. */
export interface MessageTextOptions {
  /** IANA zone for local times, e.g. `Europe/Berlin`; default the system zone. */
  readonly timeZone?: string;
}

/** What the `pingwarden test-email` message tells the reader about the setup that sent it. */
export interface TestMessageDetails {
  /** `host:port` of the SMTP server. */
  readonly server: string;
  readonly from: string;
  readonly recipients: readonly string[];
  readonly sentAt: Date;
}

const SUBJECT_PREFIX = '[pingwarden]';

/**
 * Subject line of an alert email, e.g. `[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6 MDF 101`,
 * `... down for 1h 0m` (REMINDER) or `... after 12m 34s` (RESTORED). Durations show the two most
 * significant units so subjects stay short; the body has the full value.
 */
export function alertSubject(alert: Alert): string {
  const base = `${SUBJECT_PREFIX} ${alert.kind} ${targetLabel(alert.target)}`;
  switch (alert.kind) {
    case 'DOWN':
      // The fault layer goes on the body's first line, not here: subjects stay what mail filters match.
      return base;
    case 'REMINDER':
      return `${base} down for ${durationText(alert.durationMs, 2)}`;
    case 'ESCALATION':
      return `${base} down for ${durationText(alert.durationMs, 2)}, not acknowledged`;
    case 'RESTORED':
      return `${base} after ${durationText(alert.durationMs, 2)}`;
    case 'DEGRADED':
      return `${base}: ${degradedText(alert)}`;
    case 'QUALITY_RESTORED':
      return `${SUBJECT_PREFIX} QUALITY RESTORED ${targetLabel(alert.target)} after ${durationText(alert.durationMs, 2)}`;
    case 'FLAPPING':
      return `${base}: ${flapText(alert)}`;
    case 'FLAPPING_STOPPED':
      return `${SUBJECT_PREFIX} FLAPPING STOPPED ${targetLabel(alert.target)}: now ${alert.settledAs ?? 'UNKNOWN'} after ${durationText(alert.durationMs, 2)}`;
    case 'POWER_CYCLE':
    case 'NEEDS_PERSON':
    case 'LINK_BACK':
      return `${SUBJECT_PREFIX} ${RECOVERY_SUBJECT[alert.kind]}: ${recoverySentence(alert).replace(/\.$/, '')}`;
  }
}

const RECOVERY_SUBJECT = {
  POWER_CYCLE: 'Power cycle',
  NEEDS_PERSON: 'A person is needed',
  LINK_BACK: 'Link back',
} as const;

/**
 * The first line of a recovery message, e.g. `Modem power-cycled 2/2 times; the link is still down;
 * automatic recovery has stopped — a person is needed.` A dry run and a plug that did not answer are said
 * in it, since both mean nothing was really power-cycled. Empty for host alerts.
 */
export function recoverySentence(alert: Alert): string {
  const info = alert.recovery;
  if (!info) return '';
  const caveat = recoveryCaveat(info);
  switch (alert.kind) {
    case 'POWER_CYCLE':
      return `Power-cycling ${info.plug} (${info.cycles}/${info.max}): ${triggerText(info)} ${info.triggers.length === 1 ? 'is' : 'are'} down${caveat}.`;
    case 'NEEDS_PERSON':
      return (
        `${info.plug} power-cycled ${info.cycles}/${info.max} times${caveat}; the link is still down; ` +
        'automatic recovery has stopped — a person is needed.'
      );
    case 'LINK_BACK':
      return (
        `The link is back after ${durationText(alert.durationMs, 2)}: ${triggerText(info)} answer again; ` +
        `${info.plug} had been power-cycled ${info.cycles}/${info.max} times; automatic recovery is armed again.`
      );
    default:
      return '';
  }
}

function recoveryCaveat(info: RecoveryInfo): string {
  const parts: string[] = [];
  if (info.dryRun) parts.push('dry run (start --dry-run): the plug was not really switched');
  if (info.plugError !== undefined) parts.push(`the plug did not answer: ${oneLine(info.plugError)}`);
  return parts.length === 0 ? '' : ` (${parts.join('; ')})`;
}

function triggerText(info: RecoveryInfo): string {
  const names = info.triggers.map((label) => oneLine(label.description) || oneLine(label.host));
  if (names.length <= 1) return names.join('') || 'its trigger host';
  return `all ${names.length} trigger hosts (${names.join(', ')})`;
}

/** The opening line of a host alert's body. */
const HOST_INTRO = {
  DOWN: (label: string) => `${label} is DOWN: it stopped answering.`,
  REMINDER: (label: string) => `${label} is still DOWN.`,
  ESCALATION: (label: string, alert: Alert) =>
    `${label} has been DOWN for ${durationText(alert.durationMs, 2)} and nobody has acknowledged it (pingwarden ack): you are told as the next in line.`,
  RESTORED: (label: string) => `${label} is answering again.`,
  DEGRADED: (label: string, alert: Alert) => `${label} is DEGRADED: ${degradedText(alert)}.`,
  QUALITY_RESTORED: (label: string, alert: Alert) => `${label} is UP again: ${qualityText(alert)}.`,
  FLAPPING: (label: string, alert: Alert) =>
    `${label} is FLAPPING: ${flapText(alert)}. No DOWN or RESTORED message is sent for each change until it settles.`,
  FLAPPING_STOPPED: (label: string, alert: Alert) =>
    `${label} stopped flapping (now ${alert.settledAs ?? 'UNKNOWN'}).`,
  POWER_CYCLE: null,
  NEEDS_PERSON: null,
  LINK_BACK: null,
} as const satisfies Record<AlertKind, ((label: string, alert: Alert) => string) | null>;

/** Plain-text body of an alert email: who, where, since when (local and UTC), how long, attempts, RTT, why. */
export function alertBody(alert: Alert, options: MessageTextOptions = {}): string {
  const { target } = alert;
  const label = targetLabel(target);
  const hostIntro = HOST_INTRO[alert.kind];
  if (hostIntro === null) return recoveryBody(alert, options);
  // The fault layer goes on the first line: it is what an ISP's support line asks first.
  const fault = alert.kind === 'DOWN' && alert.fault ? ` ${sentence(oneLine(alert.fault.reason))}` : '';
  const intro = hostIntro(label, alert) + fault;

  const rows: [string, string][] = [['Host', oneLine(target.host)]];
  if (oneLine(target.description)) rows.push(['Description', oneLine(target.description)]);
  if (oneLine(target.location)) rows.push(['Location', oneLine(target.location)]);
  if (alert.kind === 'FLAPPING' || alert.kind === 'FLAPPING_STOPPED') {
    rows.push(
      ['Flapping since', formatLocalTime(alert.downSince, options.timeZone)],
      ['Flapping since (UTC)', formatUtcTime(alert.downSince)],
    );
    if (alert.kind === 'FLAPPING_STOPPED') rows.push(['Flapped for', durationText(alert.durationMs)]);
  } else if (alert.kind === 'DEGRADED' || alert.kind === 'QUALITY_RESTORED') {
    rows.push(
      ['Degraded since', formatLocalTime(alert.downSince, options.timeZone)],
      ['Degraded since (UTC)', formatUtcTime(alert.downSince)],
    );
    if (alert.kind === 'QUALITY_RESTORED') rows.push(['Degraded for', durationText(alert.durationMs)]);
  } else {
    rows.push(
      ['Down since', formatLocalTime(alert.downSince, options.timeZone)],
      ['Down since (UTC)', formatUtcTime(alert.downSince)],
    );
  }
  if (
    alert.kind === 'DEGRADED' ||
    alert.kind === 'QUALITY_RESTORED' ||
    alert.kind === 'FLAPPING' ||
    alert.kind === 'FLAPPING_STOPPED'
  ) {
    // No outage: the degraded or flapping time is above.
  } else if (alert.kind === 'RESTORED') {
    rows.push(
      ['Restored at', formatLocalTime(alert.at, options.timeZone)],
      ['Restored at (UTC)', formatUtcTime(alert.at)],
      ['Outage lasted', durationText(alert.durationMs)],
    );
  } else if (alert.kind === 'REMINDER' || alert.kind === 'ESCALATION' || alert.durationMs >= 1000) {
    // A fresh DOWN is detected as it happens ("Down for: 0s" says nothing); it has a duration only when
    // it was UNREACHABLE behind a parent first.
    rows.push(['Down for', durationText(alert.durationMs)]);
  }
  rows.push(['Attempts', String(alert.attempts)], ['Last RTT', formatRtt(alert.lastRttMs)]);
  if (alert.quality !== undefined) rows.push(['Link quality', qualityText(alert)]);
  const reason = oneLine(alert.reason ?? '');
  if (reason) rows.push(['Reason', reason]);

  if (alert.kind === 'DOWN' && alert.fault) rows.push(['Fault layer', alert.fault.layer ?? 'unknown']);

  const notes = (alert.notes ?? []).map(oneLine).filter((note) => note !== '');
  const notesText = notes.length === 0 ? '' : `\nNotes:\n${notes.map((note) => `- ${note}\n`).join('')}`;
  const traceText = alert.trace === undefined ? '' : `\n${traceLines(alert.trace, options)}`;
  return `${intro}\n\n${table(rows)}${notesText}${traceText}`;
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * A path snapshot as the message shows it, one hop a line:
 * `Path when it went down (traceroute to 198.18.64.250, 2026-... UTC; did not reach the host):` then
 * `  1  198.18.64.2  0.41 ms` ... `  3  *`.
 */
export function traceLines(trace: TraceSnapshot, options: MessageTextOptions = {}): string {
  const when = trace.phase === 'down' ? 'when it went down' : 'when it was restored';
  const reached = trace.reachedTarget ? 'reached the host' : 'did not reach the host';
  const head = `Path ${when} (traceroute to ${oneLine(trace.target)}, ${formatLocalTime(trace.at, options.timeZone)}; ${reached}):`;
  const width = String(trace.hops.at(-1)?.ttl ?? 1).length;
  const hops = trace.hops.map((hop) => {
    const ttl = String(hop.ttl).padStart(width + 2);
    if (hop.address === null) return `${ttl}  *`;
    return `${ttl}  ${hop.address}  ${formatRtt(hop.rttMs)}`;
  });
  return `${head}\n${hops.length === 0 ? '  (no hops)' : hops.join('\n')}\n`;
}

/**
 * `35 % loss, avg 412 ms over 15 packets`: the pooled quality window an alert quotes; `no packets` when the
 * alert carries none.
 */
export function qualityText(alert: Alert): string {
  const quality = alert.quality;
  if (quality === undefined) return 'no packets';
  const avg = quality.avgMs === null ? 'no replies' : `avg ${formatMs(quality.avgMs)} ms`;
  return `${formatMs(quality.lossPercent)} % loss, ${avg} over ${quality.packets} packets`;
}

/**
 * Why a host is DEGRADED: its pooled quality, or the prober's warning when it measured none (a certificate
 * close to expiry).
 */
export function degradedText(alert: Alert): string {
  return alert.quality === undefined && alert.reason !== undefined ? alert.reason : qualityText(alert);
}

/** `34.4 % state changes over the last 20 results`. */
function flapText(alert: Alert): string {
  return `${formatMs(alert.flapPercent ?? 0)} % state changes over the last 20 results`;
}

/** Whole numbers as they are, others with one decimal. */
function formatMs(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Body of a recovery message: its sentence, the trigger hosts, since when the link is down, the notes. */
function recoveryBody(alert: Alert, options: MessageTextOptions): string {
  const info = alert.recovery;
  const rows: [string, string][] = [];
  if (info) {
    rows.push(['Plug', oneLine(info.plug)], ['Power cycles', `${info.cycles} of ${info.max} allowed`]);
    for (const [index, trigger] of info.triggers.entries()) {
      rows.push([index === 0 ? 'Trigger hosts' : '', targetLabel(trigger)]);
    }
  }
  rows.push(
    ['Link down since', formatLocalTime(alert.downSince, options.timeZone)],
    ['Link down since (UTC)', formatUtcTime(alert.downSince)],
  );
  if (alert.kind === 'LINK_BACK') {
    rows.push(
      ['Link back at', formatLocalTime(alert.at, options.timeZone)],
      ['Outage lasted', durationText(alert.durationMs)],
    );
  } else {
    rows.push(['Down for', durationText(alert.durationMs)]);
  }
  if (info?.dryRun) rows.push(['Dry run', 'yes: pingwarden start --dry-run never switches plugs']);
  if (info?.plugError !== undefined) rows.push(['Plug error', oneLine(info.plugError)]);
  const notes = (alert.notes ?? []).map(oneLine).filter((note) => note !== '');
  const notesText = notes.length === 0 ? '' : `\nNotes:\n${notes.map((note) => `- ${note}\n`).join('')}`;
  return `${recoverySentence(alert)}\n\n${table(rows)}${notesText}`;
}

/** Subject and body of an alert email. */
export function alertText(alert: Alert, options: MessageTextOptions = {}): MessageText {
  return { subject: alertSubject(alert), text: alertBody(alert, options) };
}

/** Subject and body of the message `pingwarden test-email` sends. */
export function testMessageText(details: TestMessageDetails, options: MessageTextOptions = {}): MessageText {
  const rows: [string, string][] = [
    ['Sent at', formatLocalTime(details.sentAt, options.timeZone)],
    ['Sent at (UTC)', formatUtcTime(details.sentAt)],
    ['SMTP server', details.server],
    ['From', details.from],
    ['To', details.recipients.join(', ')],
  ];
  return {
    subject: `${SUBJECT_PREFIX} Test email`,
    text:
      'This is a test message from pingwarden (pingwarden test-email).\n' +
      'If you can read it, alerts sent by email will reach this address.\n\n' +
      table(rows),
  };
}

/** `Cisco Router (10.1.1.254) — Bldg 6 MDF 101`; parts that are empty in hosts.csv are left out. */
export function targetLabel(target: HostLabel): string {
  const host = oneLine(target.host);
  const description = oneLine(target.description);
  const location = oneLine(target.location);
  const name = description ? `${description} (${host})` : host;
  return location ? `${name} — ${location}` : name;
}

/**
 * Local wall-clock time with its zone, `2026-11-22 14:05:09 CET`. The zone is the common abbreviation where
 * English has one (EST, CET, UTC) and the offset otherwise (`GMT+9`), so the reader never has to guess.
 *
 * @throws RangeError for an unknown `timeZone`.
 */
export function formatLocalTime(date: Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${zoneName(date, part('timeZoneName'), timeZone)}`;
}

/** ISO 8601 in UTC to the second, `2026-11-22T13:05:09Z`: sub-second digits only add noise in a message. */
export function formatUtcTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `0.42 ms`, or `none` when no reply was ever seen. */
export function formatRtt(ms: number | null): string {
  return ms === null || !Number.isFinite(ms) ? 'none' : `${Number(ms.toFixed(2))} ms`;
}

/**
 * en-US knows American abbreviations (EST) and writes European zones as offsets (GMT+1); en-GB is the
 * other way round. Asking both gives the name people on either side use.
 */
function zoneName(date: Date, usName: string, timeZone: string | undefined): string {
  if (!/^GMT[+-]/.test(usName)) return usName;
  const gbName = new Intl.DateTimeFormat('en-GB', { timeZone, timeZoneName: 'short' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  return gbName ?? usName;
}

/** A message must still go out when a bug upstream produced a non-number: say so instead of throwing. */
function durationText(ms: number, units?: number): string {
  return Number.isFinite(ms) ? formatDuration(ms, units === undefined ? {} : { units }) : 'unknown time';
}

/** hosts.csv cells may hold quoted line breaks; in a subject they would break the header. */
function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 3;
  return (
    rows.map(([label, value]) => `${(label ? `${label}:` : '').padEnd(width)}${value}`).join('\n') + '\n'
  );
}
