import type { CheckSpec } from './check-spec.js';

/** The host as a person knows it: address (or `sensor:NAME`) plus the description and location. */
export interface HostLabel {
  readonly host: string;
  readonly description: string;
  readonly location: string;
}

/**
 * Every way pingwarden can check a target. A new kind is one entry here, one member of {@link Check}, its
 * config parser, and one prober in the registry (probe/prober-registry.ts); the compiler finds the rest.
 */
export const CHECK_KINDS = ['icmp', 'route', 'heartbeat', 'tcp', 'http', 'dns', 'tls'] as const;

/** One of {@link CHECK_KINDS}. */
export type CheckKind = (typeof CHECK_KINDS)[number];

/** How one target is checked, with every option already parsed into typed values. */
export type Check =
  /** Echo requests to the host (ping or fping): alive at the first reply. */
  | { readonly kind: 'icmp' }
  /** A deep probe (ping burst or traceroute) whose checks must all pass: `via:`, `hop-org:`, `max-rtt:`... */
  | { readonly kind: 'route'; readonly spec: CheckSpec }
  /** A remote sensor of sensors.csv: alive while its heartbeats arrive within `downSeconds`. */
  | { readonly kind: 'heartbeat'; readonly sensor: string; readonly downSeconds: number }
  /** `tcp://HOST:PORT`: alive when a TCP connection is accepted; RTT = connect time. */
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  /** `http://...` / `https://...`: a request whose answer must pass every condition of {@link HttpCheck}. */
  | HttpCheck
  /** `dns://SERVER[:PORT]/NAME?type=A`: the server answers NAME (with `expect:` among the answers). */
  | DnsCheck
  /** `tls://HOST:PORT`: a TLS handshake that verifies (or `insecure:yes`), and `cert-days:` left. */
  | {
      readonly kind: 'tls';
      readonly host: string;
      readonly port: number;
      readonly tls: TlsTrust;
      readonly certDays: number | null;
    };

/** How a TLS peer is trusted: the system's CAs, the PEM of a `ca:` file, or not verified (`insecure:yes`). */
export interface TlsTrust {
  readonly insecure: boolean;
  /** The `ca:` option: its path as written (relative to the config folder) and, once loaded, its PEM text. */
  readonly ca: { readonly file: string; readonly pem: string | null } | null;
}

/** The methods an http(s) row may use (`method:`). */
export const HTTP_METHODS = ['GET', 'HEAD'] as const;

/** An http(s) row, every option parsed. */
export interface HttpCheck {
  readonly kind: 'http';
  /** The URL as written, credentials included (never logged: the target id is the masked form). */
  readonly url: string;
  readonly method: (typeof HTTP_METHODS)[number];
  /** `status:200,204`; null: any 2xx or 3xx (after following redirects). */
  readonly statuses: readonly number[] | null;
  /** `keyword:TEXT`: must occur in the body's first MB. */
  readonly keyword: string | null;
  /** `not-keyword:TEXT`: must not occur in the body's first MB. */
  readonly notKeyword: string | null;
  /** `max-redirects:N` (default 5); 0: a redirect is the answer. */
  readonly maxRedirects: number;
  readonly tls: TlsTrust;
  /** `cert-days:N`: an https certificate expiring in less than N days fails the check. */
  readonly certDays: number | null;
}

/** The record types a dns row may ask for. */
export const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT'] as const;

/** One of {@link DNS_TYPES}. */
export type DnsType = (typeof DNS_TYPES)[number];

/** A dns row: ask `server` for `name`'s records of `type`. */
export interface DnsCheck {
  readonly kind: 'dns';
  /** An IP address: the resolver is told to ask only this server. */
  readonly server: string;
  readonly port: number;
  readonly name: string;
  readonly type: DnsType;
  /** `expect:VALUE`: one of the answers must equal it (addresses compared canonically). */
  readonly expect: string | null;
}

/** The {@link Check} of kind `K`. */
export type CheckOf<K extends CheckKind> = Extract<Check, { readonly kind: K }>;

/** One monitored thing: a row of hosts.csv or sensors.csv, parsed once when the config is loaded. */
export interface Target {
  /** Identity in states, history, metrics and reports: the host as written, or `sensor:NAME`. */
  readonly id: string;
  readonly label: HostLabel;
  readonly check: Check;
  /** The id of the target this one sits behind (`parent:`), checked to be listed; null: none. */
  readonly parent: string | null;
  /** The Kasa plug to power-cycle when this and every other trigger of the plug is DOWN (`cycle:`). */
  readonly cyclePlug: string | null;
  /** `lamp:yes` / `lamp:no`; null when the row does not say (see `lampTargets`). */
  readonly lamp: boolean | null;
  /** 1-based line in its file, for messages that point the user back at the row. */
  readonly line: number;
  /**
   * This target's own DEGRADED thresholds (`degraded-loss:PCT`, `degraded-rtt:MS`), each overriding its
   * setting (`degraded_loss_percent`, `degraded_rtt_ms`); 0 turns that one off. Absent: the settings'.
   */
  readonly degraded?: DegradedOverrides;
}

/** The thresholds a hosts.csv row sets for itself; a missing one is the setting's. */
export interface DegradedOverrides {
  readonly lossPercent?: number;
  readonly rttMs?: number;
}

/** A {@link Target} whose check is of kind `K`. */
export type TargetOf<K extends CheckKind> = Target & { readonly check: CheckOf<K> };

/** Whether `target` is checked by kind `kind` (narrows its type). */
export function hasCheck<K extends CheckKind>(target: Target, kind: K): target is TargetOf<K> {
  return target.check.kind === kind;
}
