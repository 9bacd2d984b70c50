import path from 'node:path';

import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { ConfigReloader } from '../config/config-reloader.js';
import { DiscordNotifier } from '../notify/channels/discord/discord-notifier.js';
import { ConfigFollowingEmail } from '../notify/channels/email/config-following-email.js';
import { EmailNotifier } from '../notify/channels/email/email-notifier.js';
import { NtfyNotifier } from '../notify/channels/ntfy/ntfy-notifier.js';
import { TelegramNotifier } from '../notify/channels/telegram/telegram-notifier.js';
import { GotifyNotifier } from '../notify/channels/gotify/gotify-notifier.js';
import { PushoverNotifier } from '../notify/channels/pushover/pushover-notifier.js';
import { MatrixNotifier } from '../notify/channels/matrix/matrix-notifier.js';
import { SlackNotifier } from '../notify/channels/slack/slack-notifier.js';
import { TeamsNotifier } from '../notify/channels/teams/teams-notifier.js';
import { WebhookNotifier } from '../notify/channels/webhook/webhook-notifier.js';
import type { Notifier } from '../notify/notifier.js';
import { routeBatch, type RoutingTable } from '../notify/routing/route-batch.js';
import type { Config } from '../config/types.js';
import { FileOutboxStore } from '../notify/outbox/file-outbox-store.js';
import { Outbox } from '../notify/outbox/outbox.js';
import { outboxPolicy } from '../notify/outbox/outbox-policy.js';
import { MemoryOutboxStore, type OutboxStore } from '../notify/outbox/outbox-store.js';
import type { PingwardenMetrics } from '../server/http/metrics.js';

/** The alert channels and the durable outbox in front of them. */
export interface Notifiers {
  /** Email, the push channels, webhook: each follows the configuration in force (a channel without a URL is off). */
  readonly channels: readonly Notifier[];
  readonly outbox: Outbox;
  readonly outboxStore: OutboxStore;
}

/**
 * Builds the channels and the outbox. `logsDir` null keeps the outbox in memory (`watch` without --save).
 */
export function buildNotifiers(input: {
  readonly config: ConfigReloader;
  readonly logsDir: string | null;
  readonly clock: Clock;
  readonly log: Log;
  /** Counts each channel's messages and failures; absent (no /metrics in this run): not counted. */
  readonly metrics?: PingwardenMetrics;
}): Notifiers {
  const { config, clock, log, metrics } = input;
  const settings = config.settings;
  const channels: Notifier[] = [
    new ConfigFollowingEmail(
      () => config.latest().smtp,
      (smtp) => new EmailNotifier({ smtp, log }),
    ),
    // The short form for email-to-SMS gateways (`sms:` addresses): its own queue, through the same server.
    new ConfigFollowingEmail(
      () => config.latest().smtp,
      (smtp) => new EmailNotifier({ smtp, log, form: 'sms' }),
      'sms',
    ),
    new DiscordNotifier({ url: () => settings().discordWebhook }),
    new NtfyNotifier({ url: () => settings().ntfyUrl, token: () => settings().ntfyToken }),
    new TelegramNotifier({
      apiUrl: () => settings().telegramApiUrl,
      botToken: () => settings().telegramBotToken,
      chatId: () => settings().telegramChatId,
    }),
    new PushoverNotifier({
      apiUrl: () => settings().pushoverApiUrl,
      appToken: () => settings().pushoverAppToken,
      userKey: () => settings().pushoverUserKey,
    }),
    new GotifyNotifier({ url: () => settings().gotifyUrl, token: () => settings().gotifyToken }),
    new SlackNotifier({ url: () => settings().slackWebhook }),
    new TeamsNotifier({ url: () => settings().teamsWebhook }),
    new MatrixNotifier({
      homeserver: () => settings().matrixHomeserver,
      roomId: () => settings().matrixRoomId,
      accessToken: () => settings().matrixAccessToken,
    }),
    new WebhookNotifier({
      url: () => settings().webhookUrl,
      header: () => settings().webhookHeader,
      template: () => config.latest().webhookTemplateText,
    }),
  ];
  const pushChannels = channels
    .map((channel) => channel.name)
    .filter((name) => name !== 'email' && name !== 'sms');
  const outboxStore =
    input.logsDir === null
      ? new MemoryOutboxStore()
      : new FileOutboxStore(path.join(input.logsDir, 'outbox'), log);
  const outbox = new Outbox({
    store: outboxStore,
    notifiers: metrics ? channels.map((channel) => metrics.countingNotifier(channel)) : channels,
    clock,
    log,
    policy: () => outboxPolicy(settings()),
    // Routed with the configuration in force when the batch is queued; the entries keep their addresses.
    route: (batch) => routeBatch(batch, routingTable(config.latest(), pushChannels)),
  });
  return { channels, outbox, outboxStore };
}

/** Who may be told under `config`: its routes, escalation list, recipients and channels. */
export function routingTable(config: Config, channels: readonly string[]): RoutingTable {
  return {
    routes: config.routes ?? [],
    escalateTo: config.escalateTo ?? [],
    recipients: { email: config.smtp?.recipients ?? [], sms: config.smtp?.smsRecipients ?? [] },
    channels,
    targets: config.targets.map((target) => target.label),
  };
}

/** Messages waiting per channel, for the metrics. */
export async function queuedPerChannel(notifiers: Notifiers): Promise<Map<string, number>> {
  const counts = new Map<string, number>(notifiers.channels.map((channel) => [channel.name, 0]));
  for (const entry of await notifiers.outboxStore.listAll()) {
    counts.set(entry.notifier, (counts.get(entry.notifier) ?? 0) + 1);
  }
  return counts;
}
