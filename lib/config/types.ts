import type { Destination } from './destination.js';
import type { MaintenanceWindow } from './maintenance-window.js';
import type { Route } from './route.js';
import type { SensorEntry } from './sensor-entry.js';
import type { Target } from './target.js';

/** A row of hosts.csv as read, before its options become a {@link Target}. */
export interface HostRow {
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
  /** An outage still unacknowledged this long is told to `escalate_to`; 0 = no escalation. */
  readonly escalateAfterSeconds: number;
  /** `escalate_to` as written: space-separated destinations (see config/destination.ts). */
  readonly escalateTo: string;
  /** Echo requests per host per cycle; 1 stops at the first reply. */
  readonly packets: number;
  readonly packetIntervalMs: number;
  /** Cycles pooled to judge DEGRADED. */
  readonly qualityWindow: number;
  /** 0 = off. */
  readonly degradedLossPercent: number;
  /** 0 = off. */
  readonly degradedRttMs: number;
  readonly alertDegraded: boolean;
  /** Email the report of each finished week or month (`report_schedule`); off by default. */
  readonly reportSchedule: 'off' | 'weekly' | 'monthly';
  /** Failed cycles in a row before DOWN. */
  readonly downAfterCycles: number;
  /** Answering cycles in a row before RESTORED. */
  readonly upAfterCycles: number;
  /** 0 = flap detection off. */
  readonly flapHighPercent: number;
  readonly flapLowPercent: number;
  /** Empty: use the SMTP username. */
  readonly fromAddress: string;
  readonly logRetentionDays: number;
  readonly logLevel: 'error' | 'warn' | 'info' | 'debug';
  readonly maxConcurrentProbes: number;
  /** tcp/http/dns/tls checks in flight at once, across those four kinds. */
  readonly maxConcurrentChecks: number;
  readonly smtpAllowSelfSigned: boolean;
  readonly smtpTimeoutSeconds: number;
  /** Longest quiet time between two outage-history records while the monitor runs. */
  readonly historyAliveSeconds: number;
  /** Days the link quality series keeps every cycle's sample before only the hourly rollups remain. */
  readonly qualityRawDays: number;
  /** UDP port for sensor heartbeats; 0 = no listener. */
  readonly heartbeatPort: number;
  /** Address the heartbeat listener binds to. */
  readonly heartbeatListen: string;
  /** How far a heartbeat's timestamp may be from the monitor's clock. */
  readonly heartbeatMaxSkewSeconds: number;
  /** How long a power-cycled plug stays off. */
  readonly cycleOffSeconds: number;
  /** How long to wait for the trigger hosts to answer after the plug is on again. */
  readonly cycleBootWaitSeconds: number;
  /** How often the trigger hosts are probed during the boot wait. */
  readonly cyclePollSeconds: number;
  /** The most consecutive power cycles in one outage. */
  readonly cycleMaxPerOutage: number;
  /** The minimum time between the starts of two power cycles of one plug. */
  readonly cycleMinGapSeconds: number;
  readonly cycleAnnounce: boolean;
  /** Plug name of the outage lamp; empty: no lamp. */
  readonly indicatorLamp: string;
  /** Where Kasa discovery broadcasts (an IPv4 address). */
  readonly kasaDiscoveryBroadcast: string;
  /** Space-separated IPv4 addresses that discovery also asks directly (unicast); may be empty. */
  readonly kasaDiscoveryHosts: string;
  /** How long discovery listens for answers. */
  readonly kasaDiscoverySeconds: number;
  /** How long one command to a plug may take. */
  readonly kasaTimeoutSeconds: number;
  /** Tries per plug command before it counts as failed. */
  readonly kasaAttempts: number;
  /** Longest wait between two delivery attempts of a queued message. */
  readonly outboxRetryMaxSeconds: number;
  /** A message not delivered after this long is dropped (with a log line). */
  readonly outboxExpireHours: number;
  /** `once`: seconds to keep retrying alerts the outbox cannot store before exiting 1. */
  readonly onceHeldRetrySeconds: number;
  /** Discord webhook URL; empty: no Discord. */
  readonly discordWebhook: string;
  /** ntfy topic URL; empty = off. */
  readonly ntfyUrl: string;
  /** ntfy access token; empty = none. */
  readonly ntfyToken: string;
  /** Telegram bot token; empty = off. */
  readonly telegramBotToken: string;
  /** Telegram chat id or @channel. */
  readonly telegramChatId: string;
  /** Telegram Bot API base URL. */
  readonly telegramApiUrl: string;
  /** `pushover_app_token`. */
  readonly pushoverAppToken: string;
  /** `pushover_user_key`. */
  readonly pushoverUserKey: string;
  /** `pushover_api_url`. */
  readonly pushoverApiUrl: string;
  /** `gotify_url`. */
  readonly gotifyUrl: string;
  /** `gotify_token`. */
  readonly gotifyToken: string;
  /** `slack_webhook`. */
  readonly slackWebhook: string;
  /** `teams_webhook`. */
  readonly teamsWebhook: string;
  /** `matrix_homeserver`. */
  readonly matrixHomeserver: string;
  /** `matrix_room_id`. */
  readonly matrixRoomId: string;
  /** `matrix_access_token`. */
  readonly matrixAccessToken: string;
  /** Generic JSON webhook URL; empty: no webhook. */
  readonly webhookUrl: string;
  /** One extra request header for the webhook, `Name: value` (e.g. a token); empty: none. */
  readonly webhookHeader: string;
  /** Probe backend: one `ping` per host, fping for the whole list, or fping above the threshold. */
  readonly pinger: 'ping' | 'fping' | 'auto';
  /** With `pinger` auto, fping is used for more hosts than this. */
  readonly fpingThreshold: number;
  /** Least time between two echo requests fping sends, in milliseconds. */
  readonly fpingIntervalMs: number;
  /** HTTP listener (deep probes, metrics); 0 = off. */
  readonly httpPort: number;
  readonly httpListen: string;
  /** Empty: no token needed. */
  readonly httpToken: string;
  readonly httpMaxConcurrentProbes: number;
  readonly httpMaxQueuedProbes: number;
  /** Per client address; 0 = unlimited. */
  readonly httpRateLimitPerMinute: number;
  /** `maintenance_time_zone`: how maintenance.csv times are read (see config/time-zone.ts). */
  readonly maintenanceTimeZone: string;
  readonly statusTitle: string;
  readonly statusPublic: boolean;
  readonly httpTlsCert: string;
  readonly httpTlsKey: string;
  readonly pushRateLimitPerMinute: number;
  readonly probeMaxHops: number;
  readonly probeResolveHopNames: boolean;
  /** traceroute -I (ICMP echo) instead of UDP probes. */
  readonly probeTracerouteIcmp: boolean;
  /** Path snapshots of outages (issue 17): `traceroute -m` of each. */
  readonly traceMaxHops: number;
  /** Path snapshots per probe cycle at most; 0 turns them off. */
  readonly traceMaxPerCycle: number;
  /** A path snapshot is killed after this long; the DOWN alert waits for it at most this long. */
  readonly traceTimeoutSeconds: number;
  /** The monitor's default gateway for the fault layer; empty: read from the routing table. */
  readonly gatewayAddress: string;
  /** Empty: IPinfo is not asked. */
  readonly ipinfoToken: string;
  readonly ipinfoUrl: string;
  readonly ipinfoTimeoutSeconds: number;
  readonly ipinfoCacheSeconds: number;
}

/** Where and how to send email; absent from {@link Config} when server_info.csv does not exist. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly username: string | null;
  readonly password: string | null;
  readonly from: string;
  readonly recipients: readonly string[];
  /** `sms:` addresses of email_recipients.csv (email-to-SMS gateways); absent = none. */
  readonly smsRecipients?: readonly string[];
  readonly allowSelfSigned: boolean;
  readonly timeoutSeconds: number;
}

/** A row of kasa.csv: a plug reached at a fixed address, without discovery. */
export interface KasaPlugEntry {
  /** The name hosts.csv (`cycle:NAME`) and `indicator_lamp` use; matched case-insensitively. */
  readonly name: string;
  /** IPv4 address of the plug. */
  readonly address: string;
  readonly line: number;
}

/** A complete, validated configuration. */
export interface Config {
  /** Everything monitored: the rows of hosts.csv, then the sensors of sensors.csv, in file order. */
  readonly targets: readonly Target[];
  readonly settings: Settings;
  readonly smtp: SmtpConfig | null;
  /** The sensors of sensors.csv (also in {@link Config.targets} with heartbeat checks); absent means none. */
  readonly sensors?: readonly SensorEntry[];
  /** Not errors, but worth telling the user once (e.g. creds.csv readable by others). */
  readonly warnings: readonly string[];
  /** Plugs with fixed addresses from kasa.csv; absent or empty when there is no kasa.csv. */
  readonly kasaPlugs?: readonly KasaPlugEntry[];
  /** The text of `webhook-template.hbs`, checked at load; absent when there is no such file. */
  readonly webhookTemplateText?: string;
  /** The windows of maintenance.csv; absent or empty when there is none. */
  readonly maintenance?: readonly MaintenanceWindow[];
  /** The rows of routes.csv; absent or empty: every alert goes to the default list. */
  readonly routes?: readonly Route[];
  /** `escalate_to`, parsed; absent or empty when no escalation is set up. */
  readonly escalateTo?: readonly Destination[];
}
