import { expect } from 'chai';

import {
  DISCORD_GREEN,
  DISCORD_RED,
  DiscordNotifier,
  discordPayload,
} from '../../../lib/notify/channels/discord/discord-notifier.js';
import { composeNotification } from '../../../lib/notify/notification.js';
import type { Notifier } from '../../../lib/notify/notifier.js';
import {
  WebhookNotifier,
  type WebhookPayload,
} from '../../../lib/notify/channels/webhook/webhook-notifier.js';
import { alertFixtures } from '../../fakes/alert-fixtures.js';
import { channelOutbox } from '../../fakes/channel-outbox.js';
import { HttpTestServer } from '../../support/http-test-server.js';
import { waitFor } from '../../support/wait-for.js';

const router = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);
const outboxFor = (notifier: Notifier) => channelOutbox(notifier, t0);

describe('notify: Discord and the generic webhook', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  describe('Discord payload', () => {
    it('makes a red DOWN embed and a green UP embed with the outage length', () => {
      const n = composeNotification(batchOf(alert('DOWN'), alert('RESTORED', 754_000)), 'x');
      const payload = discordPayload(n, { now: t0, attempt: 1 });
      expect(payload.content).to.equal('**1 of 12 hosts down: Cisco Router (10.1.1.254)**');
      expect(payload.embeds.map((e) => [e.title, e.color])).to.deep.equal([
        ['Cisco Router (10.1.1.254) is DOWN', DISCORD_RED],
        ['Cisco Router (10.1.1.254) is UP', DISCORD_GREEN],
      ]);
      expect(payload.embeds[1]!.description).to.equal(
        'was down for 12m 34s, since <t:1795352580:f> (2026-11-22T13:03:00Z)',
      );
      expect(payload.allowed_mentions).to.deep.equal({ parse: [] });
    });

    it('lists unreachable children within the field limit and keeps to ten embeds', () => {
      const children = Array.from({ length: 50 }, (_, i) => ({
        host: `10.1.2.${i}`,
        description: `Access point number ${i}`,
        location: 'Bldg 6',
      }));
      const parent = alert('DOWN', 0, { unreachableChildren: children });
      const payload = discordPayload(composeNotification(batchOf(parent), 'x'), { now: t0, attempt: 1 });
      const field = payload.embeds[0]!.fields!.find((f) => f.name === 'Unreachable behind it (50)')!;
      expect(field.value.length).to.be.at.most(1024);
      expect(field.value.split('\n')[0]).to.equal('Access point number 0 (10.1.2.0) — Bldg 6 is UNREACHABLE');
      expect(field.value).to.match(/\n… and \d+ more$/);

      const many = Array.from({ length: 14 }, () => alert('DOWN'));
      const big = discordPayload(composeNotification(batchOf(...many), 'x'), { now: t0, attempt: 1 });
      expect(big.embeds).to.have.length(10);
      expect(big.embeds[9]!.title).to.equal('… and 5 more events');
    });
  });

  it('Discord: waits out a 429 for the time it gives, then delivers once', async () => {
    server = await HttpTestServer.start([
      {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
        body: JSON.stringify({ message: 'You are being rate limited.', retry_after: 0.6, global: false }),
      },
      { status: 204 },
    ]);
    const discord = new DiscordNotifier({ url: () => server!.url('/api/webhooks/1/token') });
    const { outbox, log } = outboxFor(discord);
    outbox.start();
    await outbox.sendBatch(batchOf(alert('DOWN')));
    await waitFor(() => server!.requests.length === 2, 'the retry', 10_000);
    await waitFor(() => log.matching('INFO outbox sent').length === 1, 'marked sent');
    await outbox.stop();
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt, 'retry_after 0.6 s honoured').to.be.within(600, 1500);
    expect(log.matching('WARN outbox send failed')[0]).to.include(
      'error="discord webhook rate limited (HTTP 429 Too Many Requests); retry in 600 ms"',
    );
    type Body = { embeds: { title: string }[]; content?: string };
    const [before, after] = [first, second].map((r) => JSON.parse(r!.body) as Body);
    expect(after!.embeds).to.deep.equal(before!.embeds);
    expect(after!.embeds[0]!.title).to.equal('Cisco Router (10.1.1.254) is DOWN');
    expect(before!.content).to.equal(undefined);
    expect(after!.content).to.match(/^_Queued [\dhms ]+ \(attempt 2\); event times are the real ones\._$/);
    expect(first!.headers['content-type']).to.equal('application/json');
  });

  it('webhook: retries after a 500 and delivers once, same idempotency key, with the configured header', async () => {
    server = await HttpTestServer.start([{ status: 500, body: 'database on fire' }, { status: 200 }]);
    const webhook = new WebhookNotifier({
      url: () => server!.url('/hook'),
      header: () => 'Authorization: Bearer s3cret',
    });
    const { outbox, log } = outboxFor(webhook);
    outbox.start();
    await outbox.sendBatch(batchOf(alert('DOWN'), alert('RESTORED', 60_000)));
    await waitFor(() => log.matching('INFO outbox sent').length === 1, 'delivery', 10_000);
    await outbox.stop();
    expect(server.requests).to.have.length(2);
    expect(log.matching('WARN outbox send failed')[0]).to.include(
      'error="webhook failed: HTTP 500 Internal Server Error: database on fire"',
    );
    for (const request of server.requests) {
      expect(request.method).to.equal('POST');
      expect(request.headers['idempotency-key']).to.equal('20261122T130300000Z-0badcafe');
      expect(request.headers.authorization).to.equal('Bearer s3cret');
    }
    const payload = JSON.parse(server.requests[1]!.body) as WebhookPayload;
    expect({ ...payload, sentAt: 'x' }).to.deep.equal({
      id: '20261122T130300000Z-0badcafe',
      source: 'pingwarden',
      overview: '1 of 12 hosts down: Cisco Router (10.1.1.254)',
      composedAt: '2026-11-22T13:03:00.000Z',
      sentAt: 'x',
      attempt: 2,
      queued: true,
      events: [
        {
          kind: 'DOWN',
          host: '10.1.1.254',
          description: 'Cisco Router',
          location: 'Bldg 6 MDF 101',
          at: '2026-11-22T13:03:00.000Z',
          downSince: '2026-11-22T13:03:00.000Z',
          durationMs: 0,
          duration: '0s',
          attempts: 3,
          lastRttMs: 0.42,
          reason: null,
          unreachableChildren: [],
          quality: null,
          recovery: null,
          faultLayer: null,
          faultReason: null,
          trace: null,
        },
        {
          kind: 'RESTORED',
          host: '10.1.1.254',
          description: 'Cisco Router',
          location: 'Bldg 6 MDF 101',
          at: '2026-11-22T13:04:00.000Z',
          downSince: '2026-11-22T13:03:00.000Z',
          durationMs: 60000,
          duration: '1m 0s',
          attempts: 3,
          lastRttMs: 0.42,
          reason: null,
          unreachableChildren: [],
          quality: null,
          recovery: null,
          faultLayer: null,
          faultReason: null,
          trace: null,
        },
      ],
    });
  });

  it('says what failed without the URL when nothing listens', async () => {
    server = await HttpTestServer.start();
    const url = server.url('/api/webhooks/1/sup3r-secret-token');
    await server.stop();
    server = undefined;
    const discord = new DiscordNotifier({ url: () => url, timeoutMs: 2000 });
    const n = composeNotification(batchOf(alert('DOWN')), 'x');
    const error = await discord.sendNotification(n, { now: t0, attempt: 1 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.match(/^discord webhook failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(error?.message).not.to.include('sup3r');
  });
});
