import type { HostLabel, Target } from './target.js';

/**
 * Which targets a maintenance window, a snooze or an ack names: one host (as written in hosts.csv, or
 * `sensor:NAME`), every host of a location (`location:NAME`), or all of them (`*`).
 */
export type TargetSelector =
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'location'; readonly location: string }
  | { readonly kind: 'all' };

/** What a selector may look like, for messages. */
export const SELECTOR_FORMS = 'a host from hosts.csv, location:NAME or *';

/** Reads a selector; null when the text is empty. */
export function parseTargetSelector(text: string): TargetSelector | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (trimmed === '*') return { kind: 'all' };
  const location = /^location:(.*)$/i.exec(trimmed);
  if (location) {
    const name = location[1]!.trim();
    return name === '' ? null : { kind: 'location', location: name };
  }
  return { kind: 'host', host: trimmed };
}

/** The selector as a person writes it. */
export function formatTargetSelector(selector: TargetSelector): string {
  switch (selector.kind) {
    case 'all':
      return '*';
    case 'location':
      return `location:${selector.location}`;
    case 'host':
      return selector.host;
  }
}

/** Whether `selector` names `target`. Host names and locations are compared case-insensitively. */
export function selects(selector: TargetSelector, target: Target): boolean {
  if (selector.kind === 'host' && target.id.toLowerCase() === selector.host.toLowerCase()) return true;
  return selectsLabel(selector, target.label);
}

/**
 * Whether `selector` names the host an alert is about (alerts carry the label, not the target): by its
 * host as written or its location, case-insensitively.
 */
export function selectsLabel(selector: TargetSelector, label: HostLabel): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'location':
      return label.location.toLowerCase() === selector.location.toLowerCase();
    case 'host':
      return label.host.toLowerCase() === selector.host.toLowerCase();
  }
}

/**
 * Why `selector` names nothing in `targets` (a host not in hosts.csv, a location no host has), or null when
 * it names at least one target.
 */
export function unmatchedReason(selector: TargetSelector, targets: readonly Target[]): string | null {
  if (targets.some((target) => selects(selector, target))) return null;
  switch (selector.kind) {
    case 'all':
      return 'no hosts are configured';
    case 'location':
      return `no host in hosts.csv has the location ${JSON.stringify(selector.location)}`;
    case 'host':
      return `unknown host ${JSON.stringify(selector.host)}: it is not in hosts.csv or sensors.csv`;
  }
}
