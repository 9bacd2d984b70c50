import { randomBytes } from 'node:crypto';

import type { Alert, AlertBatch, HostLabel } from '../monitor/alert.js';

/**
 * What one message tells people: every alert of one cycle (a digest), or a single alert. Composed once per
 * cycle and shared by every notifier; it is what the outbox keeps on disk until each notifier delivered it.
 */
export interface Notification {
  /**
   * Stable for the life of the message, across retries and restarts: the outbox file name, the email
   * Message-ID and the webhook idempotency key, so a duplicate from a crash between sending and marking it
   * sent can be recognised.
   */
  readonly id: string;
  /** When the cycle that found the events ran (the message may go out much later). */
  readonly composedAt: Date;
  /** One line: `3 of 12 hosts down: Cisco Router (10.1.1.254), ...`. */
  readonly overview: string;
  /** In the order the cycle found them; never empty. */
  readonly alerts: readonly Alert[];
  /**
   * email and sms: the addresses it goes to, fixed when it was queued (routes.csv), so a restart delivers
   * to the same people. Absent: the recipients of email_recipients.csv at the time of sending.
   */
  readonly recipients?: readonly string[];
}

/** Builds the notification for one destination's share of a cycle's alerts (see notify/routing/). */
export function composeDelivery(
  batch: Pick<AlertBatch, 'at'>,
  delivery: {
    readonly alerts: readonly Alert[];
    readonly overview: string;
    readonly recipients?: readonly string[];
  },
  id: string,
): Notification {
  return {
    id,
    composedAt: batch.at,
    overview: delivery.overview,
    alerts: delivery.alerts,
    ...(delivery.recipients !== undefined && { recipients: delivery.recipients }),
  };
}

/** How many down hosts the overview names before it says `and N more`. */
const OVERVIEW_NAMES = 5;

/** Builds the notification for one cycle's alerts. */
export function composeNotification(batch: AlertBatch, id: string = notificationId(batch.at)): Notification {
  return { id, composedAt: batch.at, overview: overviewLine(batch), alerts: batch.alerts };
}

/**
 * The line a digest opens with: `3 of 12 hosts down: Cisco Router (10.1.1.254), Switch (10.1.1.2), AP 3
 * (10.1.1.3)`, `51 of 52 hosts down: Core switch (10.1.1.254), and 50 unreachable behind it`, or
 * `all 12 hosts up`.
 */
export function overviewLine(batch: Pick<AlertBatch, 'hosts' | 'down' | 'unreachable'>): string {
  const total = batch.down.length + batch.unreachable;
  const hosts = `${batch.hosts} host${batch.hosts === 1 ? '' : 's'}`;
  if (total === 0) return batch.hosts === 1 ? 'the host is up' : `all ${hosts} up`;
  const names = batch.down.slice(0, OVERVIEW_NAMES).map(shortLabel);
  if (batch.down.length > OVERVIEW_NAMES) names.push(`${batch.down.length - OVERVIEW_NAMES} more`);
  if (batch.unreachable > 0) {
    names.push(`${batch.unreachable} unreachable behind ${batch.down.length === 1 ? 'it' : 'them'}`);
  }
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
  return `${total} of ${hosts} down: ${list}`;
}

/** `Cisco Router (10.1.1.254)`, or the bare host when it has no description. */
export function shortLabel(target: HostLabel): string {
  const description = target.description.replace(/\s+/g, ' ').trim();
  return description ? `${description} (${target.host})` : target.host;
}

/**
 * A new message id: the compose time in UTC (so ids sort in the order messages were composed) and random
 * hex, e.g. `20261122T140310123Z-3f9a0c1d`. Safe as a file name and in a Message-ID.
 */
export function notificationId(at: Date, random: string = randomBytes(4).toString('hex')): string {
  return `${at.toISOString().replace(/[-:.]/g, '')}-${random}`;
}
