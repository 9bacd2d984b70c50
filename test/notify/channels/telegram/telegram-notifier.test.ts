import { expect } from 'chai';

import { TelegramNotifier } from '../../../../lib/notify/channels/telegram/telegram-notifier.js';
import { composeNotification } from '../../../../lib/notify/notification.js';
import { channelOutbox } from '../../../fakes/channel-outbox.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';
import { waitFor } from '../../../support/wait-for.js';

const router = { host: '10.1.1.254', description: 'Zürich Router', location: 'Bldg 6 MDF 101' };
const token = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11';
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: Telegram', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('calls sendMessage as the Bot API documents it and waits out a 429 retry_after', async () => {
    server = await HttpTestServer.start([
      {
        status: 429,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ok: false,
          error_code: 429,
          description: 'Too Many Requests: retry after 1',
          parameters: { retry_after: 1 },
        }),
      },
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true,"result":{}}' },
    ]);
    const telegram = new TelegramNotifier({
      apiUrl: () => server!.url('/'),
      botToken: () => token,
      chatId: () => '-1001234567890',
    });
    const { outbox, log } = channelOutbox(telegram, t0);
    outbox.start();
    await outbox.sendBatch(batchOf(alert('DOWN')));
    await waitFor(() => server!.requests.length === 2, 'the retry', 10_000);
    await waitFor(() => log.matching('INFO outbox sent').length === 1, 'marked sent');
    await outbox.stop();
    const [first, request] = server.requests;
    expect(request!.receivedAt - first!.receivedAt, 'retry_after 1 s honoured').to.be.within(900, 3000);
    expect(request!.method).to.equal('POST');
    expect(request!.path).to.equal(`/bot${token}/sendMessage`);
    expect(request!.headers['content-type']).to.equal('application/json');
    expect(JSON.parse(request!.body)).to.deep.equal({
      chat_id: '-1001234567890',
      text: 'DOWN Zürich Router (10.1.1.254)\n\nsince 2026-11-22T13:03:00Z — Bldg 6 MDF 101',
      disable_notification: false,
      link_preview_options: { is_disabled: true },
    });
    expect(log.lines.join('\n')).not.to.include(token);
  });

  it('sends good news silently and is off without a token or a chat', async () => {
    expect(
      new TelegramNotifier({ apiUrl: () => 'http://x', botToken: () => '', chatId: () => '1' }).enabled(),
    ).to.equal(false);
    expect(
      new TelegramNotifier({ apiUrl: () => 'http://x', botToken: () => token, chatId: () => '' }).enabled(),
    ).to.equal(false);
    server = await HttpTestServer.start([
      { status: 400, body: '{"ok":false,"description":"Bad Request: chat not found"}' },
    ]);
    const telegram = new TelegramNotifier({
      apiUrl: () => server!.url(''),
      botToken: () => token,
      chatId: () => '@x',
    });
    const n = composeNotification(batchOf(alert('RESTORED', 754_000)), 'x');
    const error = await telegram.sendNotification(n, { now: t0, attempt: 1 }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).to.equal(
      'telegram failed: HTTP 400 Bad Request: {"ok":false,"description":"Bad Request: chat not found"}',
    );
    expect(JSON.parse(server.requests[0]!.body)).to.include({ disable_notification: true, chat_id: '@x' });
    expect(JSON.parse(server.requests[0]!.body).text).to.equal(
      'UP Zürich Router (10.1.1.254)\n\nwas down for 12m 34s, since 2026-11-22T13:03:00Z',
    );
  });
});
