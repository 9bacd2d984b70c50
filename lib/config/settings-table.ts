import { isIP } from 'node:net';

import { parseDestinations } from './destination.js';
import { validateEmailAddress } from './email-address.js';
import { parseTimeZone } from './time-zone.js';
import type { Settings } from './types.js';

/** The outcome of reading one settings.csv value. */
export type SettingParse<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/** When an edited setting takes effect; see {@link SettingSpec.reload}. */
export type SettingReload = 'live' | 'restart';

/** One tunable of settings.csv: its key, default, what it accepts, and how to read it. */
export interface SettingSpec<F extends keyof Settings> {
  /** The key as written in settings.csv. */
  readonly key: string;
  /** The {@link Settings} field it fills. */
  readonly field: F;
  readonly default: Settings[F];
  /** What the value may be, for messages and docs: `an integer from 1 to 86400`. */
  readonly allowed: string;
  /** One line for docs. */
  readonly description: string;
  /**
   * When an edit takes effect: `live` at the next cycle after the reload, `restart` only when pingwarden
   * starts again (the value was used to build something long-lived: a socket, the log, a pool).
   */
  readonly reload: SettingReload;
  /** The value is a credential: messages say that it changed, never what it is. */
  readonly secret?: true;
  /** Reads the trimmed cell text; anything it refuses is reported with {@link SettingSpec.allowed}. */
  readonly parse: (text: string) => SettingParse<Settings[F]>;
}

/** Any row of {@link SETTINGS_TABLE}. */
export type AnySettingSpec = { [F in keyof Settings]: SettingSpec<F> }[keyof Settings];

type SettingKind<T> = Pick<SettingSpec<keyof Settings>, 'allowed'> & {
  readonly parse: (text: string) => SettingParse<T>;
};

function integer(min: number, max: number): SettingKind<number> {
  return {
    allowed: `an integer from ${min} to ${max}`,
    parse: (text) => {
      if (!/^[0-9]{1,10}$/.test(text)) return { ok: false };
      const value = Number(text);
      return value >= min && value <= max ? { ok: true, value } : { ok: false };
    },
  };
}

function oneOf<T extends string>(values: readonly T[]): SettingKind<T> {
  return {
    allowed: `one of ${values.join(', ')}`,
    parse: (text) => {
      const value = values.find((v) => v === text.toLowerCase());
      return value === undefined ? { ok: false } : { ok: true, value };
    },
  };
}

function yesNo(): SettingKind<boolean> {
  return {
    allowed: 'true/false, yes/no or 1/0',
    parse: (text) => {
      const lower = text.toLowerCase();
      if (['true', 'yes', '1'].includes(lower)) return { ok: true, value: true };
      if (['false', 'no', '0'].includes(lower)) return { ok: true, value: false };
      return { ok: false };
    },
  };
}

function titleText(): SettingKind<string> {
  return {
    allowed: 'text of 1 to 100 characters',
    parse: (text) =>
      text.length >= 1 && text.length <= 100 && !/\p{Cc}/u.test(text)
        ? { ok: true, value: text }
        : { ok: false },
  };
}

function pathOrEmpty(): SettingKind<string> {
  return {
    allowed: 'a file path, or empty',
    parse: (text) =>
      text.length <= 4096 && !/\p{Cc}/u.test(text) ? { ok: true, value: text } : { ok: false },
  };
}

function timeZone(): SettingKind<string> {
  return {
    allowed: 'local, UTC, an offset such as +02:00, or an IANA zone such as Europe/Berlin',
    parse: (text) => (parseTimeZone(text) === null ? { ok: false } : { ok: true, value: text }),
  };
}

function ipLiteral(): SettingKind<string> {
  return {
    allowed: 'an IPv4 or IPv6 address (0.0.0.0 or :: for every interface)',
    parse: (text) => (isIP(text) === 0 ? { ok: false } : { ok: true, value: text }),
  };
}

function ipv4(): SettingKind<string> {
  return {
    allowed: 'an IPv4 address',
    parse: (text) => (isIP(text) === 4 ? { ok: true, value: text } : { ok: false }),
  };
}

function ipv4OrEmpty(): SettingKind<string> {
  return {
    allowed: 'an IPv4 address, or empty',
    parse: (text) => (text === '' || isIP(text) === 4 ? { ok: true, value: text } : { ok: false }),
  };
}

function ipv4List(): SettingKind<string> {
  return {
    allowed: 'IPv4 addresses separated by spaces, or empty',
    parse: (text) => {
      const words = text.split(/\s+/).filter((word) => word !== '');
      return words.every((word) => isIP(word) === 4) ? { ok: true, value: words.join(' ') } : { ok: false };
    },
  };
}

function plugNameOrEmpty(): SettingKind<string> {
  return {
    allowed: 'a plug name (kasa.csv name, Kasa alias or IPv4 address) of at most 64 characters, or empty',
    parse: (text) => (text.length <= 64 && !/\p{Cc}/u.test(text) ? { ok: true, value: text } : { ok: false }),
  };
}

function emailOrEmpty(): SettingKind<string> {
  return {
    allowed: 'an email address, or empty',
    parse: (text) =>
      text === '' || validateEmailAddress(text) === null ? { ok: true, value: text } : { ok: false },
  };
}

function httpUrlOrEmpty(): SettingKind<string> {
  return {
    allowed: 'an http:// or https:// URL, or empty',
    parse: (text) => (text === '' || isHttpUrl(text) ? { ok: true, value: text } : { ok: false }),
  };
}

function destinationsOrEmpty(): SettingKind<string> {
  return {
    allowed: 'space-separated email addresses, sms:ADDRESS, default or channel names, or empty',
    parse: (text) =>
      text.length <= 4096 && parseDestinations(text).problems.length === 0
        ? { ok: true, value: text }
        : { ok: false },
  };
}

function headerOrEmpty(): SettingKind<string> {
  return {
    allowed: 'a header line "Name: value", or empty',
    // A header name is an HTTP token; the value must not break the request line (no control characters).
    parse: (text) =>
      text === '' || /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\p{Cc}]+$/u.test(text)
        ? { ok: true, value: text }
        : { ok: false },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function tokenOrEmpty(minLength: number): SettingKind<string> {
  const pattern = new RegExp(`^[\\x21\\x23-\\x2b\\x2d-\\x7e]{${minLength},256}$`);
  return {
    allowed: `empty, or ${minLength} to 256 printable characters without spaces, quotes or commas`,
    parse: (text) => (text === '' || pattern.test(text) ? { ok: true, value: text } : { ok: false }),
  };
}

function httpUrl(): SettingKind<string> {
  return {
    allowed: 'an http:// or https:// URL',
    parse: (text) => {
      try {
        const url = new URL(text);
        return ['http:', 'https:'].includes(url.protocol) ? { ok: true, value: text } : { ok: false };
      } catch {
        return { ok: false };
      }
    },
  };
}

/**
 * Every key of settings.csv, in the order docs list them, keyed by the {@link Settings} field it fills.
 * This is the single source for defaults, validation and documentation: add a tunable by adding a field to
 * {@link Settings} and a row here (the compiler insists on both).
 */
export const SETTINGS_TABLE: { readonly [F in keyof Settings]: SettingSpec<F> } = {
  intervalSeconds: {
    key: 'interval_seconds',
    field: 'intervalSeconds',
    reload: 'live',
    default: 300,
    ...integer(1, 86400),
    description: 'Time between the starts of two probe cycles.',
  },
  attempts: {
    key: 'attempts',
    field: 'attempts',
    reload: 'live',
    default: 3,
    ...integer(1, 20),
    description: 'Echo requests per host per cycle before it counts as not answering.',
  },
  timeoutSeconds: {
    key: 'timeout_seconds',
    field: 'timeoutSeconds',
    reload: 'live',
    default: 2,
    ...integer(1, 60),
    description: 'How long to wait for each echo reply.',
  },
  packets: {
    key: 'packets',
    field: 'packets',
    reload: 'live',
    default: 5,
    ...integer(1, 100),
    description:
      'Echo requests every host gets per cycle, for loss and RTT spread; 1 = stop at the first reply.',
  },
  packetIntervalMs: {
    key: 'packet_interval_ms',
    field: 'packetIntervalMs',
    reload: 'live',
    default: 200,
    ...integer(10, 60000),
    description: 'Time between two of those echo requests to one host (fping -p, ping -i).',
  },
  qualityWindow: {
    key: 'quality_window',
    field: 'qualityWindow',
    reload: 'live',
    default: 3,
    ...integer(1, 100),
    description: 'Cycles whose packets are pooled to judge loss and RTT (DEGRADED).',
  },
  degradedLossPercent: {
    key: 'degraded_loss_percent',
    field: 'degradedLossPercent',
    reload: 'live',
    default: 20,
    ...integer(0, 100),
    description:
      'A host is DEGRADED when its pooled loss reaches this percentage; 0 = off (hosts.csv degraded-loss:PCT overrides).',
  },
  degradedRttMs: {
    key: 'degraded_rtt_ms',
    field: 'degradedRttMs',
    reload: 'live',
    default: 0,
    ...integer(0, 600000),
    description:
      'A host is DEGRADED when its pooled average RTT reaches this many ms; 0 = off (hosts.csv degraded-rtt:MS overrides).',
  },
  downAfterCycles: {
    key: 'down_after_cycles',
    field: 'downAfterCycles',
    reload: 'live',
    default: 1,
    ...integer(1, 100),
    description:
      'Failed cycles in a row before a host is DOWN (the outage is still dated from the first failed attempt).',
  },
  upAfterCycles: {
    key: 'up_after_cycles',
    field: 'upAfterCycles',
    reload: 'live',
    default: 1,
    ...integer(1, 100),
    description: 'Answering cycles in a row before a DOWN host is RESTORED.',
  },
  flapHighPercent: {
    key: 'flap_high_percent',
    field: 'flapHighPercent',
    reload: 'live',
    default: 30,
    ...integer(0, 100),
    description:
      'A host is FLAPPING when its weighted share of state changes over the last 20 results exceeds this; 0 = off.',
  },
  flapLowPercent: {
    key: 'flap_low_percent',
    field: 'flapLowPercent',
    reload: 'live',
    default: 25,
    ...integer(0, 100),
    description: 'FLAPPING ends when that share falls below this.',
  },
  alertDegraded: {
    key: 'alert_degraded',
    field: 'alertDegraded',
    reload: 'live',
    default: true,
    ...yesNo(),
    description: 'Send DEGRADED and "quality restored" messages (the status is kept and shown either way).',
  },
  reportSchedule: {
    key: 'report_schedule',
    field: 'reportSchedule',
    reload: 'live',
    default: 'off',
    ...oneOf(['off', 'weekly', 'monthly'] as const),
    description:
      'Email the report of each finished week (Monday to Monday, UTC) or calendar month to the recipients: summary in the body, HTML report attached.',
  },
  realertSeconds: {
    key: 'realert_seconds',
    field: 'realertSeconds',
    reload: 'live',
    default: 3600,
    ...integer(0, 2592000),
    description: 'Time between reminders while a host stays down; 0 turns reminders off.',
  },
  escalateAfterSeconds: {
    key: 'escalate_after_seconds',
    field: 'escalateAfterSeconds',
    reload: 'live',
    default: 0,
    ...integer(0, 2592000),
    description:
      'An outage still not acknowledged (`pingwarden ack`) this long after it began is told once to `escalate_to`; 0 turns escalation off.',
  },
  escalateTo: {
    key: 'escalate_to',
    field: 'escalateTo',
    reload: 'live',
    default: '',
    ...destinationsOrEmpty(),
    description:
      'Who hears of an escalation: space-separated email addresses, `sms:ADDRESS`, channel names (`ntfy`, `email`, ...) or `default`.',
  },
  fromAddress: {
    key: 'from_address',
    field: 'fromAddress',
    reload: 'live',
    default: '',
    ...emailOrEmpty(),
    description:
      'From address of alert emails; empty means the SMTP username, which must then be an address.',
  },
  logRetentionDays: {
    key: 'log_retention_days',
    field: 'logRetentionDays',
    reload: 'restart',
    default: 30,
    ...integer(1, 3650),
    description: 'Days of rotated log files to keep (the outage history is never deleted).',
  },
  logLevel: {
    key: 'log_level',
    field: 'logLevel',
    reload: 'restart',
    default: 'info',
    ...oneOf(['error', 'warn', 'info', 'debug'] as const),
    description: 'Least severe log level written.',
  },
  maxConcurrentProbes: {
    key: 'max_concurrent_probes',
    field: 'maxConcurrentProbes',
    reload: 'restart',
    default: 64,
    ...integer(1, 1024),
    description: 'Hosts probed at the same time.',
  },
  maxConcurrentChecks: {
    key: 'max_concurrent_checks',
    field: 'maxConcurrentChecks',
    reload: 'restart',
    default: 64,
    ...integer(1, 4096),
    description:
      'tcp://, http(s)://, dns:// and tls:// checks in flight at once (one pool for the four kinds; they run beside the ping batch).',
  },
  smtpAllowSelfSigned: {
    key: 'smtp_allow_self_signed',
    field: 'smtpAllowSelfSigned',
    reload: 'live',
    default: false,
    ...yesNo(),
    description: "Accept an SMTP server's self-signed TLS certificate.",
  },
  smtpTimeoutSeconds: {
    key: 'smtp_timeout_seconds',
    field: 'smtpTimeoutSeconds',
    reload: 'live',
    default: 30,
    ...integer(1, 600),
    description: 'Give up on one SMTP connection or command after this long.',
  },
  historyAliveSeconds: {
    key: 'history_alive_seconds',
    field: 'historyAliveSeconds',
    reload: 'live',
    default: 300,
    ...integer(10, 86400),
    description:
      'While nothing changes, write a "still alive" mark to the outage history at least this often.',
  },
  qualityRawDays: {
    key: 'quality_raw_days',
    field: 'qualityRawDays',
    reload: 'live',
    default: 2,
    ...integer(1, 366),
    description:
      'Days the link quality series (logs/quality/) keeps every cycle; older cycles live on as hourly (400 days) and daily (5 years) rollups.',
  },
  heartbeatPort: {
    key: 'heartbeat_port',
    field: 'heartbeatPort',
    reload: 'restart',
    default: 0,
    ...integer(0, 65535),
    description: 'UDP port the daemon receives sensor heartbeats on; 0 = no listener.',
  },
  heartbeatListen: {
    key: 'heartbeat_listen',
    field: 'heartbeatListen',
    reload: 'restart',
    default: '127.0.0.1',
    ...ipLiteral(),
    description: 'Address the heartbeat listener binds to; 0.0.0.0 to hear sensors on other machines.',
  },
  heartbeatMaxSkewSeconds: {
    key: 'heartbeat_max_skew_seconds',
    field: 'heartbeatMaxSkewSeconds',
    reload: 'live',
    default: 60,
    ...integer(5, 3600),
    description: "How far a signed heartbeat's timestamp may be from the monitor's clock.",
  },
  cycleOffSeconds: {
    key: 'cycle_off_seconds',
    field: 'cycleOffSeconds',
    reload: 'live',
    default: 30,
    ...integer(1, 3600),
    description: 'How long a power-cycled plug stays off.',
  },
  cycleBootWaitSeconds: {
    key: 'cycle_boot_wait_seconds',
    field: 'cycleBootWaitSeconds',
    reload: 'live',
    default: 300,
    ...integer(1, 86400),
    description: 'How long to wait for the trigger hosts to answer after the plug is on again.',
  },
  cyclePollSeconds: {
    key: 'cycle_poll_seconds',
    field: 'cyclePollSeconds',
    reload: 'live',
    default: 5,
    ...integer(1, 600),
    description: 'How often the trigger hosts are probed during the boot wait.',
  },
  cycleMaxPerOutage: {
    key: 'cycle_max_per_outage',
    field: 'cycleMaxPerOutage',
    reload: 'live',
    default: 2,
    ...integer(1, 100),
    description: 'The most consecutive power cycles of one plug in one outage.',
  },
  cycleMinGapSeconds: {
    key: 'cycle_min_gap_seconds',
    field: 'cycleMinGapSeconds',
    reload: 'live',
    default: 900,
    ...integer(0, 604800),
    description: 'The minimum time between the starts of two power cycles of one plug.',
  },
  cycleAnnounce: {
    key: 'cycle_announce',
    field: 'cycleAnnounce',
    reload: 'live',
    default: false,
    ...yesNo(),
    description:
      'Send a message of its own when a power cycle starts ("a person is needed" and "link back" are always sent).',
  },
  indicatorLamp: {
    key: 'indicator_lamp',
    field: 'indicatorLamp',
    reload: 'live',
    default: '',
    ...plugNameOrEmpty(),
    description: 'Plug of the outage lamp, on while a host is DOWN; empty means no lamp.',
  },
  kasaDiscoveryBroadcast: {
    key: 'kasa_discovery_broadcast',
    field: 'kasaDiscoveryBroadcast',
    reload: 'restart',
    default: '255.255.255.255',
    ...ipv4(),
    description: 'Where Kasa discovery broadcasts its query.',
  },
  kasaDiscoveryHosts: {
    key: 'kasa_discovery_hosts',
    field: 'kasaDiscoveryHosts',
    reload: 'restart',
    default: '',
    ...ipv4List(),
    description: 'Addresses that Kasa discovery also asks directly, for plugs a broadcast does not reach.',
  },
  kasaDiscoverySeconds: {
    key: 'kasa_discovery_seconds',
    field: 'kasaDiscoverySeconds',
    reload: 'restart',
    default: 10,
    ...integer(1, 300),
    description: 'How long Kasa discovery listens for answers.',
  },
  kasaTimeoutSeconds: {
    key: 'kasa_timeout_seconds',
    field: 'kasaTimeoutSeconds',
    reload: 'restart',
    default: 5,
    ...integer(1, 60),
    description: 'How long one command to a plug may take.',
  },
  kasaAttempts: {
    key: 'kasa_attempts',
    field: 'kasaAttempts',
    reload: 'restart',
    default: 3,
    ...integer(1, 10),
    description: 'Tries per plug command before it counts as failed.',
  },
  outboxRetryMaxSeconds: {
    key: 'outbox_retry_max_seconds',
    field: 'outboxRetryMaxSeconds',
    reload: 'live',
    default: 60,
    ...integer(1, 3600),
    description:
      'Longest wait between two attempts to deliver a queued message (waits double from 1 s up to this).',
  },
  outboxExpireHours: {
    key: 'outbox_expire_hours',
    field: 'outboxExpireHours',
    reload: 'live',
    default: 48,
    ...integer(1, 8760),
    description: 'Drop a message that could not be delivered for this long (logged as an error).',
  },
  onceHeldRetrySeconds: {
    key: 'once_held_retry_seconds',
    field: 'onceHeldRetrySeconds',
    reload: 'live',
    default: 30,
    ...integer(0, 3600),
    description:
      '`pingwarden once`: how long to keep retrying alerts the outbox cannot store (disk full, read-only) before exiting 1.',
  },
  discordWebhook: {
    key: 'discord_webhook',
    field: 'discordWebhook',
    reload: 'live',
    default: '',
    ...httpUrlOrEmpty(),
    description: 'Discord webhook URL for alerts; empty turns Discord off.',
  },
  ntfyUrl: {
    key: 'ntfy_url',
    field: 'ntfyUrl',
    reload: 'live',
    secret: true,
    default: '',
    ...httpUrlOrEmpty(),
    description:
      'ntfy topic URL for phone push alerts, e.g. `https://ntfy.sh/my-alerts`; empty turns ntfy off.',
  },
  ntfyToken: {
    key: 'ntfy_token',
    field: 'ntfyToken',
    reload: 'live',
    secret: true,
    default: '',
    ...tokenOrEmpty(4),
    description: 'ntfy access token (sent as `Authorization: Bearer`); empty sends none.',
  },
  telegramBotToken: {
    key: 'telegram_bot_token',
    field: 'telegramBotToken',
    reload: 'live',
    secret: true,
    default: '',
    ...tokenOrEmpty(20),
    description: 'Telegram bot token from @BotFather (`123456:ABC-DEF...`); empty turns Telegram off.',
  },
  telegramChatId: {
    key: 'telegram_chat_id',
    field: 'telegramChatId',
    reload: 'live',
    default: '',
    allowed: 'a chat id (`-1001234567890`) or `@channelname`, or empty',
    parse: (text) =>
      text === '' || /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/.test(text)
        ? { ok: true, value: text }
        : { ok: false },
    description: 'Telegram chat that gets the alerts: a numeric chat id or `@channelname`.',
  },
  telegramApiUrl: {
    key: 'telegram_api_url',
    field: 'telegramApiUrl',
    reload: 'live',
    default: 'https://api.telegram.org',
    ...httpUrl(),
    description: 'Base URL of the Telegram Bot API (a local Bot API server, or a test receiver).',
  },
  pushoverAppToken: {
    key: 'pushover_app_token',
    field: 'pushoverAppToken',
    reload: 'live',
    default: '',
    secret: true,
    ...tokenOrEmpty(20),
    description: 'Pushover application token; empty turns Pushover off.',
  },
  pushoverUserKey: {
    key: 'pushover_user_key',
    field: 'pushoverUserKey',
    reload: 'live',
    default: '',
    secret: true,
    ...tokenOrEmpty(20),
    description: 'Pushover user or group key that gets the alerts.',
  },
  pushoverApiUrl: {
    key: 'pushover_api_url',
    field: 'pushoverApiUrl',
    reload: 'live',
    default: 'https://api.pushover.net',
    ...httpUrl(),
    description: 'Base URL of the Pushover API (a test receiver).',
  },
  gotifyUrl: {
    key: 'gotify_url',
    field: 'gotifyUrl',
    reload: 'live',
    default: '',
    ...httpUrlOrEmpty(),
    description: 'Gotify server URL, e.g. `https://push.example.com`; empty turns Gotify off.',
  },
  gotifyToken: {
    key: 'gotify_token',
    field: 'gotifyToken',
    reload: 'live',
    default: '',
    secret: true,
    ...tokenOrEmpty(8),
    description: 'Gotify application token (sent as `X-Gotify-Key`).',
  },
  slackWebhook: {
    key: 'slack_webhook',
    field: 'slackWebhook',
    reload: 'live',
    default: '',
    secret: true,
    ...httpUrlOrEmpty(),
    description: 'Slack incoming-webhook URL; empty turns Slack off.',
  },
  teamsWebhook: {
    key: 'teams_webhook',
    field: 'teamsWebhook',
    reload: 'live',
    default: '',
    secret: true,
    ...httpUrlOrEmpty(),
    description: 'Microsoft Teams Workflows webhook URL (Adaptive Card messages); empty turns Teams off.',
  },
  matrixHomeserver: {
    key: 'matrix_homeserver',
    field: 'matrixHomeserver',
    reload: 'live',
    default: '',
    ...httpUrlOrEmpty(),
    description: 'Matrix homeserver base URL, e.g. `https://matrix.example.org`; empty turns Matrix off.',
  },
  matrixRoomId: {
    key: 'matrix_room_id',
    field: 'matrixRoomId',
    reload: 'live',
    default: '',
    allowed: 'a room ID (`!opaque:server`, not an alias), or empty',
    parse: (text) =>
      text === '' || /^![^\s:]{1,255}:[^\s]{1,255}$/.test(text) ? { ok: true, value: text } : { ok: false },
    description: 'Matrix room that gets the alerts (Element: room settings, Advanced, "Internal room ID").',
  },
  matrixAccessToken: {
    key: 'matrix_access_token',
    field: 'matrixAccessToken',
    reload: 'live',
    default: '',
    secret: true,
    ...tokenOrEmpty(8),
    description: 'Access token of the Matrix account that posts (sent as `Authorization: Bearer`).',
  },
  webhookUrl: {
    key: 'webhook_url',
    field: 'webhookUrl',
    reload: 'live',
    default: '',
    ...httpUrlOrEmpty(),
    description: 'URL that gets every alert message as a JSON POST; empty turns the webhook off.',
  },
  webhookHeader: {
    key: 'webhook_header',
    field: 'webhookHeader',
    reload: 'live',
    default: '',
    ...headerOrEmpty(),
    description: 'One extra header for the webhook request, e.g. `Authorization: Bearer abc123`.',
  },
  pinger: {
    key: 'pinger',
    field: 'pinger',
    reload: 'live',
    default: 'auto',
    ...oneOf(['ping', 'fping', 'auto'] as const),
    description:
      'Probe with one ping per host, with fping for the whole list, or (auto) with fping when it is installed and there are more hosts than fping_threshold.',
  },
  fpingThreshold: {
    key: 'fping_threshold',
    field: 'fpingThreshold',
    reload: 'live',
    default: 50,
    ...integer(0, 1000000),
    description: 'With pinger auto, use fping for lists of more hosts than this.',
  },
  fpingIntervalMs: {
    key: 'fping_interval_ms',
    field: 'fpingIntervalMs',
    reload: 'live',
    default: 1,
    ...integer(1, 1000),
    description:
      'Least time between two echo requests fping sends (to any host); a cycle of N hosts takes at least N times this.',
  },
  httpPort: {
    key: 'http_port',
    field: 'httpPort',
    reload: 'restart',
    default: 0,
    ...integer(0, 65535),
    description: 'Port of the HTTP listener (/ping, /traceroute, /metrics, /healthz); 0 turns it off.',
  },
  httpListen: {
    key: 'http_listen',
    field: 'httpListen',
    reload: 'restart',
    default: '127.0.0.1',
    ...ipLiteral(),
    description: 'Address the HTTP listener binds to; 0.0.0.0 or :: for every interface.',
  },
  httpToken: {
    key: 'http_token',
    field: 'httpToken',
    reload: 'restart',
    secret: true,
    default: '',
    ...tokenOrEmpty(12),
    description:
      'Token HTTP clients must send (Authorization: Bearer or ?token=); empty means no token (/healthz is always open).',
  },
  httpMaxConcurrentProbes: {
    key: 'http_max_concurrent_probes',
    field: 'httpMaxConcurrentProbes',
    reload: 'restart',
    default: 8,
    ...integer(1, 256),
    description:
      'Deep probes (ping/traceroute processes) the HTTP listener runs at once; more requests wait.',
  },
  httpMaxQueuedProbes: {
    key: 'http_max_queued_probes',
    field: 'httpMaxQueuedProbes',
    reload: 'restart',
    default: 256,
    ...integer(0, 10000),
    description: 'Deep-probe requests that may wait for a free slot; beyond that the answer is 429.',
  },
  httpRateLimitPerMinute: {
    key: 'http_rate_limit_per_minute',
    field: 'httpRateLimitPerMinute',
    reload: 'restart',
    default: 120,
    ...integer(0, 100000),
    description: 'Deep-probe requests per minute per client address (burst of the same size); 0 = unlimited.',
  },
  maintenanceTimeZone: {
    key: 'maintenance_time_zone',
    field: 'maintenanceTimeZone',
    reload: 'live',
    default: 'local',
    ...timeZone(),
    description: "Time zone the times of maintenance.csv are read in; local = the machine's.",
  },
  statusTitle: {
    key: 'status_title',
    field: 'statusTitle',
    reload: 'live',
    default: 'pingwarden',
    ...titleText(),
    description: 'Title and header of the status page (GET / on http_port).',
  },
  statusPublic: {
    key: 'status_public',
    field: 'statusPublic',
    reload: 'restart',
    default: false,
    ...yesNo(),
    description:
      'Serve the status page, /api/v1/status, /api/v1/hosts and the badges without http_token (probes and /metrics still need it).',
  },
  httpTlsCert: {
    key: 'http_tls_cert',
    field: 'httpTlsCert',
    reload: 'restart',
    default: '',
    ...pathOrEmpty(),
    description:
      'PEM certificate (chain) for HTTPS on http_port, relative to the config folder; empty: plain HTTP. Re-read on SIGHUP.',
  },
  httpTlsKey: {
    key: 'http_tls_key',
    field: 'httpTlsKey',
    reload: 'restart',
    default: '',
    ...pathOrEmpty(),
    description: 'PEM private key matching http_tls_cert, relative to the config folder. Re-read on SIGHUP.',
  },
  pushRateLimitPerMinute: {
    key: 'push_rate_limit_per_minute',
    field: 'pushRateLimitPerMinute',
    reload: 'restart',
    default: 12,
    ...integer(1, 10000),
    description: 'HTTP push heartbeats (/push/<sensor>) accepted per sensor per minute; more get 429.',
  },
  probeMaxHops: {
    key: 'probe_max_hops',
    field: 'probeMaxHops',
    reload: 'live',
    default: 20,
    ...integer(1, 64),
    description: 'Most hops a route check (traceroute -m) follows.',
  },
  probeResolveHopNames: {
    key: 'probe_resolve_hop_names',
    field: 'probeResolveHopNames',
    reload: 'live',
    default: true,
    ...yesNo(),
    description:
      'Let traceroute look up hop names (reverse DNS) when a hop-org pattern such as *.hargray.net needs them.',
  },
  probeTracerouteIcmp: {
    key: 'probe_traceroute_icmp',
    field: 'probeTracerouteIcmp',
    reload: 'live',
    default: false,
    ...yesNo(),
    description:
      'Trace routes with ICMP echo (traceroute -I; needs root or CAP_NET_RAW) instead of UDP, for targets that drop UDP.',
  },
  traceMaxHops: {
    key: 'trace_max_hops',
    field: 'traceMaxHops',
    reload: 'live',
    default: 15,
    ...integer(1, 64),
    description: 'Most hops the path snapshot of an outage (traceroute -m) follows.',
  },
  traceMaxPerCycle: {
    key: 'trace_max_per_cycle',
    field: 'traceMaxPerCycle',
    reload: 'live',
    default: 3,
    ...integer(0, 100),
    description:
      'Path snapshots (traceroutes) taken per probe cycle at most, for outages that begin or end; 0 turns them off.',
  },
  traceTimeoutSeconds: {
    key: 'trace_timeout_seconds',
    field: 'traceTimeoutSeconds',
    reload: 'live',
    default: 10,
    ...integer(1, 120),
    description: 'A path snapshot is stopped after this long; the DOWN alert waits for it at most this long.',
  },
  gatewayAddress: {
    key: 'gateway_address',
    field: 'gatewayAddress',
    reload: 'live',
    default: '',
    ...ipv4OrEmpty(),
    description:
      "The monitor's default gateway, for the fault layer; empty: the default route of /proc/net/route. Never probed.",
  },
  ipinfoToken: {
    key: 'ipinfo_token',
    field: 'ipinfoToken',
    reload: 'live',
    secret: true,
    default: '',
    ...tokenOrEmpty(1),
    description: 'IPinfo token for hop-org checks; empty means orgs.csv only.',
  },
  ipinfoUrl: {
    key: 'ipinfo_url',
    field: 'ipinfoUrl',
    reload: 'live',
    default: 'https://ipinfo.io',
    ...httpUrl(),
    description: 'Base URL of the IPinfo API.',
  },
  ipinfoTimeoutSeconds: {
    key: 'ipinfo_timeout_seconds',
    field: 'ipinfoTimeoutSeconds',
    reload: 'live',
    default: 3,
    ...integer(1, 60),
    description: 'Give up on one IPinfo lookup after this long (the check then fails: lookup failed).',
  },
  ipinfoCacheSeconds: {
    key: 'ipinfo_cache_seconds',
    field: 'ipinfoCacheSeconds',
    reload: 'live',
    default: 86400,
    ...integer(0, 2592000),
    description: 'How long an IPinfo answer is reused.',
  },
};

/** The rows of {@link SETTINGS_TABLE} as a list, in table order. */
export const SETTING_SPECS: readonly AnySettingSpec[] = Object.values(SETTINGS_TABLE);

/** Mutable and partial, while values are being collected. */
export type SettingValues = { -readonly [F in keyof Settings]?: Settings[F] };

/** {@link Settings} with every default, as used when settings.csv is absent or leaves a key out. */
export const DEFAULT_SETTINGS: Settings = withDefaults({});

/** Fills the fields missing from `values` with their defaults. */
export function withDefaults(values: SettingValues): Settings {
  const result: SettingValues = { ...values };
  for (const spec of SETTING_SPECS) setDefault(result, spec);
  // Complete now: SETTINGS_TABLE has a row for every field of Settings, which its type enforces.
  return result as Settings;
}

function setDefault<F extends keyof Settings>(target: SettingValues, spec: SettingSpec<F>): void {
  if (target[spec.field] === undefined) target[spec.field] = spec.default;
}

/**
 * Reads `text` with `spec` and stores the value in `target`.
 * @returns false when the text is not {@link SettingSpec.allowed}
 */
export function storeSetting<F extends keyof Settings>(
  target: SettingValues,
  spec: SettingSpec<F>,
  text: string,
): boolean {
  const parsed = spec.parse(text);
  if (parsed.ok) target[spec.field] = parsed.value;
  return parsed.ok;
}
