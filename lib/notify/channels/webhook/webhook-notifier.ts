import { webhookTemplateEngine } from '../../../config/webhook-template.js';
import { DeliveryError, errorMessage } from '../../../shared/errors.js';
import { formatDuration } from '../../../shared/format-duration.js';
import type { AlertKind, HostLabel, RecoveryInfo } from '../../../monitor/alert.js';
import { traceToJson, type FaultLayer, type TraceJson } from '../../../shared/fault-evidence.js';
import { recoverySentence } from '../../alert-text.js';
import type { Notification } from '../../notification.js';
import { wasQueued, type DeliveryContext, type Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link WebhookNotifier} is built from. */
export interface WebhookNotifierOptions {
  /** The URL in force (`webhook_url`); empty turns the webhook off. */
  readonly url: () => string;
  /** One extra header, `Name: value` (`webhook_header`), e.g. `Authorization: Bearer abc123`; empty: none. */
  readonly header: () => string;
  /**
   * The text of `webhook-template.hbs` in force (checked at load), or undefined for the JSON payload. It is
   * rendered with Handlebars over {@link WebhookPayload} plus the phone-sized `title`, `message`, `urgent`
   * and `priority` (`high` or `default`) the push channels send.
   */
  readonly template?: () => string | undefined;
  /** Default: Node's fetch. */
  readonly fetch?: typeof fetch;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/** One event in the {@link WebhookPayload}. */
export interface WebhookEvent {
  readonly kind: AlertKind;
  readonly host: string;
  readonly description: string;
  readonly location: string;
  /** When the event was detected, ISO 8601 UTC. */
  readonly at: string;
  /** Start of the outage, ISO 8601 UTC. */
  readonly downSince: string;
  readonly durationMs: number;
  /** `12m 34s`. */
  readonly duration: string;
  readonly attempts: number;
  readonly lastRttMs: number | null;
  readonly reason: string | null;
  readonly unreachableChildren: readonly HostLabel[];
  /** Loss and average RTT pooled over the quality window (RESTORED, DEGRADED, QUALITY_RESTORED), else null. */
  readonly quality: {
    readonly packets: number;
    readonly lossPercent: number;
    readonly avgMs: number | null;
  } | null;
  /** POWER_CYCLE, NEEDS_PERSON, LINK_BACK: the plug, its cycles and the message's first line; else null. */
  readonly recovery: (RecoveryInfo & { readonly message: string }) | null;
  /** DOWN: where the break most likely is (`LAN`, `gateway`, `modem-WAN`, `ISP`, `remote`); else null. */
  readonly faultLayer: FaultLayer | null;
  /** DOWN: why that layer, in one line (also when the layer is unknown); else null. */
  readonly faultReason: string | null;
  /** DOWN, RESTORED: the path snapshot taken as the outage began or ended; null when none was taken. */
  readonly trace: TraceJson | null;
}

/** The JSON body POSTed for every message (documented in the README). */
export interface WebhookPayload {
  /** The message id: the same on every retry, also sent as the `Idempotency-Key` header. */
  readonly id: string;
  readonly source: 'pingwarden';
  readonly overview: string;
  readonly composedAt: string;
  readonly sentAt: string;
  /** 1 for the first try; more means it waited in the outbox. */
  readonly attempt: number;
  /** Held back by failed deliveries (its own or of a message ahead of it): `sentAt` is late. */
  readonly queued: boolean;
  readonly events: readonly WebhookEvent[];
}

/**
 * POSTs every message as JSON ({@link WebhookPayload}) with an `Idempotency-Key` header, so a receiver can
 * drop a repeat. 2xx counts as delivered; 429 waits for Retry-After; anything else is retried by the outbox.
 */
export class WebhookNotifier implements Notifier {
  readonly name = 'webhook';

  constructor(private readonly options: WebhookNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const payload = webhookPayload(notification, context);
    const template = this.options.template?.();
    const body = template === undefined ? undefined : renderWebhookTemplate(template, notification, context);
    await postJson(this.options.url(), body?.text ?? payload, {
      what: 'webhook',
      raw: body !== undefined,
      headers: {
        'idempotency-key': notification.id,
        ...(body && { 'content-type': body.contentType }),
        ...headerOf(this.options.header()),
      },
      timeoutMs: this.options.timeoutMs ?? 10_000,
      now: context.now,
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
  }
}

/** The JSON body for a notification. */
export function webhookPayload(notification: Notification, context: DeliveryContext): WebhookPayload {
  return {
    id: notification.id,
    source: 'pingwarden',
    overview: notification.overview,
    composedAt: notification.composedAt.toISOString(),
    sentAt: context.now.toISOString(),
    attempt: context.attempt,
    queued: wasQueued(context),
    events: notification.alerts.map((alert) => ({
      kind: alert.kind,
      host: alert.target.host,
      description: alert.target.description,
      location: alert.target.location,
      at: alert.at.toISOString(),
      downSince: alert.downSince.toISOString(),
      durationMs: alert.durationMs,
      duration: Number.isFinite(alert.durationMs) ? formatDuration(alert.durationMs) : 'unknown',
      attempts: alert.attempts,
      lastRttMs: alert.lastRttMs,
      reason: alert.reason ?? null,
      quality: alert.quality ?? null,
      unreachableChildren: (alert.unreachableChildren ?? []).map(({ host, description, location }) => ({
        host,
        description,
        location,
      })),
      recovery: alert.recovery ? { ...alert.recovery, message: recoverySentence(alert) } : null,
      faultLayer: alert.fault?.layer ?? null,
      faultReason: alert.fault?.reason ?? null,
      trace: alert.trace ? traceToJson(alert.trace) : null,
    })),
  };
}

/** `Authorization: Bearer x` → `{ Authorization: 'Bearer x' }`; settings.csv checked the form. */
function headerOf(line: string): Record<string, string> {
  const colon = line.indexOf(':');
  if (colon <= 0) return {};
  return { [line.slice(0, colon).trim()]: line.slice(colon + 1).trim() };
}

/**
 * The body `webhook-template.hbs` makes for a notification. It goes out as `application/json` when the result
 * parses as JSON (Home Assistant, ntfy's JSON publishing), else as `text/plain; charset=utf-8`. Values are
 * not HTML-escaped; `{{json overview}}` writes a quoted JSON string.
 *
 * @throws DeliveryError when rendering fails (the outbox keeps the message and says why)
 */
export function renderWebhookTemplate(
  template: string,
  notification: Notification,
  context: DeliveryContext,
): { contentType: string; text: string } {
  const push = pushText(notification);
  const data = {
    ...webhookPayload(notification, context),
    ...push,
    priority: push.urgent ? 'high' : 'default',
  };
  let text: string;
  try {
    text = webhookTemplateEngine().compile(template, { noEscape: true })(data);
  } catch (error) {
    throw new DeliveryError(`webhook template failed: ${errorMessage(error)}`);
  }
  return { contentType: isJson(text) ? 'application/json' : 'text/plain; charset=utf-8', text };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
