import { formatDuration } from '../../../shared/format-duration.js';
import { isBadNews, type Alert } from '../../../monitor/alert.js';
import { degradedText, formatUtcTime, qualityText, recoverySentence, targetLabel } from '../../alert-text.js';
import type { Notification } from '../../notification.js';
import { shortLabel } from '../../notification.js';
import { wasQueued, type DeliveryContext, type Notifier } from '../../notifier.js';
import { postJson } from '../post-json.js';

/** What {@link DiscordNotifier} is built from. */
export interface DiscordNotifierOptions {
  /** The webhook URL in force (`discord_webhook`, or `watch --discord-webhook`); empty turns Discord off. */
  readonly url: () => string;
  /** Default: Node's fetch. */
  readonly fetch?: typeof fetch;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/** Embed colours: red while down, green when back (as the original single-target monitor did). */
export const DISCORD_RED = 0xe02b2b;
export const DISCORD_GREEN = 0x2ecc71;
/** Embed colour of DEGRADED: answering, badly. */
export const DISCORD_AMBER = 0xf39c12;

/** Discord's limits for one webhook message. */
const MAX_EMBEDS = 10;
const MAX_FIELD = 1024;
const MAX_CONTENT = 2000;

/** Discord message payload (the parts we use). */
export interface DiscordPayload {
  readonly username: string;
  readonly content?: string;
  readonly embeds: readonly DiscordEmbed[];
  readonly allowed_mentions: { readonly parse: readonly string[] };
}

/** One Discord embed (the parts we use). */
export interface DiscordEmbed {
  readonly title: string;
  readonly description?: string;
  readonly color: number;
  readonly timestamp?: string;
  readonly fields?: readonly { readonly name: string; readonly value: string; readonly inline?: boolean }[];
  readonly footer?: { readonly text: string };
}

/**
 * Posts each message to a Discord webhook as coloured embeds, one per event: red `Cisco Router
 * (10.1.1.254) is DOWN`, green `... is UP` with `was down for 12m 34s`. A digest puts its overview in the
 * message text. On 429 it rejects with the wait Discord gave (`retry_after`), which the outbox honours.
 */
export class DiscordNotifier implements Notifier {
  readonly name = 'discord';

  constructor(private readonly options: DiscordNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    await postJson(this.options.url(), discordPayload(notification, context), {
      what: 'discord webhook',
      timeoutMs: this.options.timeoutMs ?? 10_000,
      now: context.now,
      ...(this.options.fetch && { fetch: this.options.fetch }),
      retryAfterFromBody: (body) => {
        const seconds = (body as { retry_after?: unknown } | null)?.retry_after;
        return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
      },
    });
  }
}

/** The webhook payload for a notification: exported for tests and the README example. */
export function discordPayload(notification: Notification, context: DeliveryContext): DiscordPayload {
  const alerts = notification.alerts;
  const shown = alerts.length > MAX_EMBEDS ? alerts.slice(0, MAX_EMBEDS - 1) : alerts;
  const embeds = shown.map((alert) => embedOf(alert));
  if (shown.length < alerts.length) {
    const rest = alerts.slice(shown.length);
    embeds.push({
      title: `… and ${rest.length} more events`,
      description: clip(rest.map((a) => `${a.kind} ${shortLabel(a.target)}`).join('\n'), 4000),
      color: rest.some(isBadNews) ? DISCORD_RED : DISCORD_GREEN,
    });
  }
  const lines: string[] = [];
  if (alerts.length > 1) lines.push(`**${capitalise(notification.overview)}**`);
  if (wasQueued(context)) {
    const waited = Math.max(0, context.now.getTime() - notification.composedAt.getTime());
    lines.push(
      `_Queued ${formatDuration(waited, { units: 2 })} (attempt ${context.attempt}); event times are the real ones._`,
    );
  }
  return {
    username: 'pingwarden',
    ...(lines.length > 0 && { content: clip(lines.join('\n'), MAX_CONTENT) }),
    embeds,
    // Host descriptions are user text: never let one ping @everyone.
    allowed_mentions: { parse: [] },
  };
}

function embedOf(alert: Alert): DiscordEmbed {
  const name = shortLabel(alert.target);
  const since = `<t:${Math.floor(alert.downSince.getTime() / 1000)}:f> (${formatUtcTime(alert.downSince)})`;
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  const location = alert.target.location.replace(/\s+/g, ' ').trim();
  if (location) fields.push({ name: 'Location', value: clip(location, MAX_FIELD), inline: true });
  if (alert.reason) fields.push({ name: 'Reason', value: clip(alert.reason, MAX_FIELD), inline: true });
  const children = alert.unreachableChildren ?? [];
  if (children.length > 0) {
    fields.push({
      name: `Unreachable behind it (${children.length})`,
      value: listWithin(
        children.map((child) => `${targetLabel(child)} is UNREACHABLE`),
        MAX_FIELD,
      ),
    });
  }
  const duration = formatDuration(alert.durationMs);
  const common = { timestamp: alert.at.toISOString(), ...(fields.length > 0 && { fields }) };
  switch (alert.kind) {
    case 'DOWN':
      return {
        title: clip(`${name} is DOWN`, 256),
        description: `down since ${since}`,
        color: DISCORD_RED,
        ...common,
      };
    case 'REMINDER':
      return {
        title: clip(`${name} is still DOWN`, 256),
        description: `down for ${duration}, since ${since}`,
        color: DISCORD_RED,
        ...common,
      };
    case 'ESCALATION':
      return {
        title: clip(`${name} is DOWN, not acknowledged`, 256),
        description: `down for ${duration}, since ${since}; nobody has acknowledged it`,
        color: DISCORD_RED,
        ...common,
      };
    case 'RESTORED':
      return {
        title: clip(`${name} is UP`, 256),
        description: `was down for ${duration}, since ${since}`,
        color: DISCORD_GREEN,
        ...common,
      };
    case 'DEGRADED':
      return {
        title: clip(`${name} is DEGRADED`, 256),
        description: degradedText(alert),
        color: DISCORD_AMBER,
        ...common,
      };
    case 'FLAPPING':
      return {
        title: clip(`${name} is FLAPPING`, 256),
        description: `${alert.flapPercent ?? 0} % state changes over the last 20 results, since ${since}`,
        color: DISCORD_AMBER,
        ...common,
      };
    case 'FLAPPING_STOPPED':
      return {
        title: clip(`${name} stopped flapping (now ${alert.settledAs ?? 'UNKNOWN'})`, 256),
        description: `flapped for ${duration}, since ${since}`,
        color: alert.settledAs === 'DOWN' ? DISCORD_RED : DISCORD_GREEN,
        ...common,
      };
    case 'QUALITY_RESTORED':
      return {
        title: clip(`${name} quality restored`, 256),
        description: `${qualityText(alert)}; was degraded for ${duration}, since ${since}`,
        color: DISCORD_GREEN,
        ...common,
      };
    case 'POWER_CYCLE':
    case 'NEEDS_PERSON':
    case 'LINK_BACK':
      return {
        title: clip(RECOVERY_TITLE[alert.kind](alert.recovery?.plug ?? name), 256),
        description: clip(`${recoverySentence(alert)}\nlink down since ${since}`, 4000),
        color: alert.kind === 'LINK_BACK' ? DISCORD_GREEN : DISCORD_RED,
        ...common,
      };
  }
}

const RECOVERY_TITLE = {
  POWER_CYCLE: (plug: string) => `Power-cycling ${plug}`,
  NEEDS_PERSON: (plug: string) => `A person is needed: ${plug} could not bring the link back`,
  LINK_BACK: (plug: string) => `Link back (${plug})`,
} as const;

/** Lines joined with newlines, cut to `max` characters with `… and N more` when they do not fit. */
function listWithin(lines: readonly string[], max: number): string {
  let out = '';
  for (const [index, line] of lines.entries()) {
    const more = `… and ${lines.length - index} more`;
    const next = out ? `${out}\n${line}` : line;
    const reserve = index < lines.length - 1 ? more.length + 1 : 0;
    if (next.length + reserve > max) return out ? `${out}\n${more}` : clip(more, max);
    out = next;
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
