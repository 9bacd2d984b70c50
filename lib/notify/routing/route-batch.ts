import type { Destination } from '../../config/destination.js';
import type { Route } from '../../config/route.js';
import { isQuietAt } from '../../config/quiet-hours.js';
import { selectsLabel } from '../../config/target-selector.js';
import { IS_URGENT, type Alert, type AlertBatch, type HostLabel } from '../../monitor/alert.js';
import { overviewLine } from '../notification.js';

/** Who may be told, as the configuration in force says. */
export interface RoutingTable {
  /** The rows of routes.csv, in file order; empty: every alert goes to the default list. */
  readonly routes: readonly Route[];
  /** `escalate_to`; empty: escalations go to the default list. */
  readonly escalateTo: readonly Destination[];
  /** The addresses of email_recipients.csv: `email` and `default` mean them. */
  readonly recipients: { readonly email: readonly string[]; readonly sms: readonly string[] };
  /** The push channels `default` means (notifier names, e.g. `ntfy`), in delivery order. */
  readonly channels: readonly string[];
  /** Every monitored host, to say in a route's overview how many of *its* hosts are down. */
  readonly targets: readonly HostLabel[];
}

/** One message of a cycle for one notifier: the alerts it tells and, for email and sms, to whom. */
export interface Delivery {
  /** `email`, `sms` (the short form, by email) or a push channel's name. */
  readonly notifier: string;
  /** In the order the cycle found them; never empty. */
  readonly alerts: readonly Alert[];
  /** The digest's first line, counted over the hosts this message's destinations hear about. */
  readonly overview: string;
  /** email and sms: the addresses, all in one message; absent for push channels. */
  readonly recipients?: readonly string[];
}

/** An alert that a route's quiet hours kept from that route's destinations. */
export interface QuietedAlert {
  readonly alert: Alert;
  readonly route: Route;
}

/** A cycle's alerts, split by destination. */
export interface RoutedBatch {
  readonly deliveries: readonly Delivery[];
  readonly quieted: readonly QuietedAlert[];
}

/**
 * Splits one cycle's alerts by destination, one digest per destination: every destination gets one message
 * holding all the alerts meant for it.
 *
 * - An alert goes to the destinations of every routes.csv row that matches its host. A host no row matches
 *   goes to the default list (every address of email_recipients.csv and every channel); a matched host
 *   reaches the default list only through a row that names `default`.
 * - ESCALATION goes to `escalate_to` only.
 * - A row's quiet hours keep its non-urgent alerts ({@link IS_URGENT}: reminders, DEGRADED, quality
 *   restored, power cycle starts) from its destinations while they last; they are dropped, not held.
 * - Email addresses that get the same alerts share one message (all in To:, as before routing), and so do
 *   sms: addresses.
 */
export function routeBatch(batch: AlertBatch, table: RoutingTable): RoutedBatch {
  const book = new DestinationBook(table);
  const quieted: QuietedAlert[] = [];
  /** Per destination key, the indexes of its alerts. */
  const alertsOf = new Map<string, number[]>();
  batch.alerts.forEach((alert, index) => {
    const keys = new Set<string>();
    if (alert.kind === 'ESCALATION') {
      book.expand(table.escalateTo.length > 0 ? table.escalateTo : DEFAULT, keys);
    } else {
      const matching = table.routes.filter((route) => selectsLabel(route.selector, alert.target));
      if (matching.length === 0) book.expand(DEFAULT, keys);
      for (const route of matching) {
        if (route.quiet !== null && !IS_URGENT[alert.kind] && isQuietAt(route.quiet, batch.at)) {
          quieted.push({ alert, route });
        } else book.expand(route.destinations, keys);
      }
    }
    for (const key of keys) alertsOf.set(key, [...(alertsOf.get(key) ?? []), index]);
  });

  const scopes = scopesOf(table, book);
  /** Addresses grouped by notifier and the exact alerts they get. */
  const groups = new Map<string, { notifier: string; keys: string[]; indexes: number[] }>();
  for (const [key, indexes] of alertsOf) {
    const notifier = book.notifierOf(key);
    const groupKey = `${notifier}|${indexes.join(',')}`;
    const group = groups.get(groupKey) ?? { notifier, keys: [], indexes };
    group.keys.push(key);
    groups.set(groupKey, group);
  }
  const order = ['email', 'sms', ...table.channels];
  const deliveries = [...groups.values()]
    .sort((a, b) => order.indexOf(a.notifier) - order.indexOf(b.notifier))
    .map((group): Delivery => {
      const alerts = group.indexes.map((index) => batch.alerts[index]!);
      const scope = new Set(group.keys.flatMap((key) => [...(scopes.get(key) ?? [])]));
      return {
        notifier: group.notifier,
        alerts,
        overview: scopedOverview(batch, alerts, scope, table.targets.length),
        ...(book.isAddress(group.notifier) && { recipients: group.keys.map((key) => book.addressOf(key)) }),
      };
    });
  return { deliveries, quieted };
}

const DEFAULT: readonly Destination[] = [{ kind: 'default' }];

/**
 * Destination keys: `email:ADDRESS` and `sms:ADDRESS` (lower case, so one address is one destination
 * however it is spelled) and `channel:NAME`.
 */
class DestinationBook {
  private readonly spelling = new Map<string, string>();

  constructor(private readonly table: RoutingTable) {}

  /** Adds the keys `destinations` stand for to `keys`. */
  expand(destinations: readonly Destination[], keys: Set<string>): void {
    for (const destination of destinations) {
      switch (destination.kind) {
        case 'default':
          this.addRecipients(keys);
          for (const channel of this.table.channels) keys.add(`channel:${channel}`);
          break;
        case 'channel':
          if (destination.channel === 'email') this.addRecipients(keys);
          else keys.add(`channel:${destination.channel}`);
          break;
        case 'email':
        case 'sms':
          keys.add(this.addressKey(destination.kind, destination.address));
          break;
      }
    }
  }

  notifierOf(key: string): string {
    const [kind, ...rest] = key.split(':');
    return kind === 'channel' ? rest.join(':') : kind!;
  }

  isAddress(notifier: string): boolean {
    return notifier === 'email' || notifier === 'sms';
  }

  /** The address of an `email:` or `sms:` key as it was first written. */
  addressOf(key: string): string {
    return this.spelling.get(key) ?? key.slice(key.indexOf(':') + 1);
  }

  private addRecipients(keys: Set<string>): void {
    for (const address of this.table.recipients.email) keys.add(this.addressKey('email', address));
    for (const address of this.table.recipients.sms) keys.add(this.addressKey('sms', address));
  }

  private addressKey(kind: 'email' | 'sms', address: string): string {
    const key = `${kind}:${address.toLowerCase()}`;
    if (!this.spelling.has(key)) this.spelling.set(key, address);
    return key;
  }
}

/** Per destination key, the hosts whose alerts it hears about (quiet hours and escalation aside). */
function scopesOf(table: RoutingTable, book: DestinationBook): Map<string, Set<string>> {
  const scopes = new Map<string, Set<string>>();
  for (const label of table.targets) {
    const keys = new Set<string>();
    const matching = table.routes.filter((route) => selectsLabel(route.selector, label));
    if (matching.length === 0) book.expand(DEFAULT, keys);
    for (const route of matching) book.expand(route.destinations, keys);
    for (const key of keys) scopes.set(key, (scopes.get(key) ?? new Set()).add(label.host.toLowerCase()));
  }
  return scopes;
}

/**
 * The digest's first line for destinations that hear about `scope` only: `1 of 3 hosts down: ...` counts
 * their hosts, not every host. Destinations that hear about every host (or, like an escalation-only address,
 * about none in particular) get the cycle's own overview. Hosts unreachable behind a down one are counted
 * from the alerts, which list them.
 */
function scopedOverview(
  batch: AlertBatch,
  alerts: readonly Alert[],
  scope: ReadonlySet<string>,
  targetCount: number,
): string {
  if (scope.size === 0 || scope.size >= targetCount) return overviewLine(batch);
  const down = batch.down.filter((label) => scope.has(label.host.toLowerCase()));
  const unreachable = alerts
    .filter((alert) => alert.kind === 'DOWN' || alert.kind === 'REMINDER')
    .reduce((sum, alert) => sum + (alert.unreachableChildren?.length ?? 0), 0);
  return overviewLine({ hosts: scope.size, down, unreachable });
}
