import { validateEmailAddress } from './email-address.js';

/**
 * The channels a route (routes.csv) or `escalate_to` may name. `email` means the addresses of
 * email_recipients.csv; the others are the push channels of settings.csv.
 */
export const CHANNEL_NAMES = [
  'email',
  'discord',
  'ntfy',
  'telegram',
  'pushover',
  'gotify',
  'slack',
  'teams',
  'matrix',
  'webhook',
] as const;

/** One of {@link CHANNEL_NAMES}; also the name of the channel's notifier (and its outbox folder). */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/**
 * Who a message may go to: one email address, one email-to-SMS gateway address (`sms:5551234@txt.example`,
 * sent the short form), every address of a channel (`ntfy`, `email`), or the default list (`default`: every
 * recipient of email_recipients.csv and every configured channel).
 */
export type Destination =
  | { readonly kind: 'email'; readonly address: string }
  | { readonly kind: 'sms'; readonly address: string }
  | { readonly kind: 'channel'; readonly channel: ChannelName }
  | { readonly kind: 'default' };

/** What a destination may look like, for messages. */
export const DESTINATION_FORMS = `an email address, sms:ADDRESS, default or a channel (${CHANNEL_NAMES.join(', ')})`;

/** Reads one destination token; a message saying what is wrong when it is none. */
export function parseDestination(token: string): Destination | string {
  const text = token.trim();
  const lower = text.toLowerCase();
  if (lower === 'default') return { kind: 'default' };
  const channel = CHANNEL_NAMES.find((name) => name === lower);
  if (channel !== undefined) return { kind: 'channel', channel };
  const sms = /^sms:(.*)$/i.exec(text);
  if (sms) {
    const address = sms[1]!.trim();
    const problem = validateEmailAddress(address);
    return problem === null
      ? { kind: 'sms', address }
      : `invalid sms: address ${JSON.stringify(address)} (the email address of an email-to-SMS gateway): it ${problem}`;
  }
  if (text.includes('@')) {
    const problem = validateEmailAddress(text);
    return problem === null
      ? { kind: 'email', address: text }
      : `invalid email address ${JSON.stringify(text)}: it ${problem}`;
  }
  return `unknown destination ${JSON.stringify(text)}: expected ${DESTINATION_FORMS}`;
}

/** Reads space-separated destinations (`ann@example.com sms:5551234@txt.example ntfy`). */
export function parseDestinations(text: string): { destinations: Destination[]; problems: string[] } {
  const destinations: Destination[] = [];
  const problems: string[] = [];
  for (const token of text.split(/\s+/).filter((word) => word !== '')) {
    const parsed = parseDestination(token);
    if (typeof parsed === 'string') problems.push(parsed);
    else destinations.push(parsed);
  }
  return { destinations, problems };
}

/** The destination as a person writes it. */
export function formatDestination(destination: Destination): string {
  switch (destination.kind) {
    case 'email':
      return destination.address;
    case 'sms':
      return `sms:${destination.address}`;
    case 'channel':
      return destination.channel;
    case 'default':
      return 'default';
  }
}

/** The settings that switch each push channel on (all must be set); email is on with server_info.csv. */
const CHANNEL_SETTINGS = {
  email: [],
  discord: [['discordWebhook', 'discord_webhook']],
  ntfy: [['ntfyUrl', 'ntfy_url']],
  telegram: [
    ['telegramBotToken', 'telegram_bot_token'],
    ['telegramChatId', 'telegram_chat_id'],
  ],
  pushover: [
    ['pushoverAppToken', 'pushover_app_token'],
    ['pushoverUserKey', 'pushover_user_key'],
  ],
  gotify: [
    ['gotifyUrl', 'gotify_url'],
    ['gotifyToken', 'gotify_token'],
  ],
  slack: [['slackWebhook', 'slack_webhook']],
  teams: [['teamsWebhook', 'teams_webhook']],
  matrix: [
    ['matrixHomeserver', 'matrix_homeserver'],
    ['matrixRoomId', 'matrix_room_id'],
    ['matrixAccessToken', 'matrix_access_token'],
  ],
  webhook: [['webhookUrl', 'webhook_url']],
} as const satisfies Record<ChannelName, readonly (readonly [string, string])[]>;

/**
 * Why a destination cannot be used with these settings (a channel that is not set up, an address while
 * no SMTP server is configured), or null when it can: a route to a channel that is off would drop alerts
 * without a word.
 */
export function unusableReason(
  destination: Destination,
  /** The settings in force (a `Settings`; typed loosely so this file needs no import of types.ts). */
  settings: object,
  smtpConfigured: boolean,
): string | null {
  const noSmtp = `${formatDestination(destination)} needs email: server_info.csv is missing`;
  switch (destination.kind) {
    case 'default':
      return null;
    case 'email':
    case 'sms':
      return smtpConfigured ? null : noSmtp;
    case 'channel': {
      if (destination.channel === 'email') return smtpConfigured ? null : noSmtp;
      const values = settings as Readonly<Record<string, unknown>>;
      const missing = CHANNEL_SETTINGS[destination.channel].filter(([field]) => values[field] === '');
      if (missing.length === 0) return null;
      const keys = missing.map(([, key]) => key);
      const list = keys.length > 1 ? `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)}` : keys.join('');
      return `channel ${destination.channel} is not set up: set ${list} in settings.csv`;
    }
  }
}
