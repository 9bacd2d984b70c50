import { expect } from 'chai';

import { composeNotification } from '../../../../lib/notify/notification.js';
import { MatrixNotifier } from '../../../../lib/notify/channels/matrix/matrix-notifier.js';
import { RateLimitedError } from '../../../../lib/shared/errors.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';

const router = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: Matrix', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  const matrix = (homeserver: string) =>
    new MatrixNotifier({
      homeserver: () => homeserver,
      roomId: () => '!AbCdEf:example.org',
      accessToken: () => 'syt_cGluZ3dhcmRlbg_secret',
    });

  it('PUTs m.room.message into the room with a Bearer token and a transaction id from the message id', async () => {
    server = await HttpTestServer.start([{ status: 200, body: '{"event_id":"$1"}' }]);
    expect(
      new MatrixNotifier({ homeserver: () => '', roomId: () => '!a:b', accessToken: () => 'x' }).enabled(),
    ).to.equal(false);
    await matrix(server.url('/hs/')).sendNotification(composeNotification(batchOf(alert('DOWN')), 'n1.ab'), {
      now: t0,
      attempt: 1,
    });
    const request = server.requests[0]!;
    expect([request.method, request.path]).to.deep.equal([
      'PUT',
      '/hs/_matrix/client/v3/rooms/!AbCdEf%3Aexample.org/send/m.room.message/pingwarden-n1.ab',
    ]);
    expect(request.headers.authorization).to.equal('Bearer syt_cGluZ3dhcmRlbg_secret');
    expect(JSON.parse(request.body)).to.deep.equal({
      msgtype: 'm.text',
      body: 'DOWN Cisco Router (10.1.1.254)\nsince 2026-11-22T13:03:00Z — Bldg 6 MDF 101',
    });
  });

  it('a retry of the same message reuses its transaction id (the homeserver posts it once)', async () => {
    server = await HttpTestServer.start([
      { status: 502, body: 'bad gateway' },
      { status: 200, body: '{"event_id":"$1"}' },
    ]);
    const notification = composeNotification(batchOf(alert('DOWN')), 'n2.cd');
    const first = await matrix(server.url(''))
      .sendNotification(notification, { now: t0, attempt: 1 })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(first?.message).to.equal('matrix failed: HTTP 502 Bad Gateway: bad gateway');
    await matrix(server.url('')).sendNotification(notification, { now: t0, attempt: 2 });
    expect(server.requests.map((r) => r.path)).to.deep.equal([
      server.requests[0]!.path,
      server.requests[0]!.path,
    ]);
  });

  it('a 429 M_LIMIT_EXCEEDED waits retry_after_ms; errors never show the token', async () => {
    server = await HttpTestServer.start([
      {
        status: 429,
        body: '{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2500}',
      },
      { status: 401, body: '{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}' },
    ]);
    const send = () =>
      matrix(server!.url(''))
        .sendNotification(composeNotification(batchOf(alert('RESTORED', 1000)), 'x'), { now: t0, attempt: 1 })
        .then(
          () => null,
          (e: unknown) => e as Error,
        );
    const limited = await send();
    expect(limited).to.be.instanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).to.equal(2500);
    const refused = await send();
    expect(refused?.message).to.match(/^matrix failed: HTTP 401 Unauthorized: .*M_UNKNOWN_TOKEN/);
    expect(refused?.message).not.to.include('syt_');
  });
});
