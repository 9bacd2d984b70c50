/** One monitored host: a row of hosts.csv. */
export interface HostEntry {
  /** IPv4/IPv6 literal or DNS name, validated so it can never be read as an option or a shell word. */
  readonly host: string;
  readonly description: string;
  readonly location: string;
  /** `key:value` tokens of the optional 4th column; every key has been checked against the known ones. */
  readonly options: ReadonlyMap<string, string>;
  /** 1-based line in hosts.csv, for messages that point the user back at the row. */
  readonly line: number;
}

/** Every tunable from settings.csv, with its default filled in. */
export interface Settings {
  readonly intervalSeconds: number;
  readonly attempts: number;
  readonly timeoutSeconds: number;
  /** 0 turns reminders off. */
  readonly realertSeconds: number;
  /** Empty: use the SMTP username. */
  readonly fromAddress: string;
  readonly logRetentionDays: number;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  readonly maxConcurrentProbes: number;
  readonly smtpAllowSelfSigned: boolean;
  readonly smtpTimeoutSeconds: number;
  /** Probe backend: one `ping` per host, fping for the whole list, or fping above the threshold. */
  readonly pinger: 'ping' | 'fping' | 'auto';
  /** With `pinger` auto, fping is used for more hosts than this. */
  readonly fpingThreshold: number;
  /** Least time between two echo requests fping sends, in milliseconds. */
  readonly fpingIntervalMs: number;
}

/** Where and how to send email; absent from {@link Config} when server_info.csv does not exist. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly from: string;
  readonly recipients: readonly string[];
  readonly allowSelfSigned: boolean;
  readonly timeoutSeconds: number;
}

/** A complete, validated configuration. */
export interface Config {
  readonly hosts: readonly HostEntry[];
  readonly settings: Settings;
  readonly smtp: SmtpConfig | null;
  /** Not errors, but worth telling the user once (e.g. creds.csv readable by others). */
  readonly warnings: readonly string[];
}
