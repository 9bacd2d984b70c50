import { expect } from 'chai';

import { composeNotification } from '../../../../lib/notify/notification.js';
import { PushoverNotifier } from '../../../../lib/notify/channels/pushover/pushover-notifier.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';

const router = { host: '10.1.1.254', description: 'Cisco <Router>', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: Pushover', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('POSTs /1/messages.json with token, user, title, message and priority; 429 is rate limited', async () => {
    server = await HttpTestServer.start([
      { status: 200, body: '{"status":1}' },
      { status: 429, body: '{"status":0}' },
    ]);
    const pushover = new PushoverNotifier({
      apiUrl: () => server!.url('/'),
      appToken: () => 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
      userKey: () => 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
    });
    expect(pushover.enabled()).to.equal(true);
    await pushover.sendNotification(composeNotification(batchOf(alert('DOWN')), 'x'), {
      now: t0,
      attempt: 1,
    });
    const request = server.requests[0]!;
    expect([request.method, request.path, request.headers['content-type']]).to.deep.equal([
      'POST',
      '/1/messages.json',
      'application/json',
    ]);
    expect(JSON.parse(request.body)).to.deep.equal({
      token: 'azGDORePK8gMaC0QOYAMyEEuzJnyUi',
      user: 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG',
      title: 'DOWN Cisco <Router> (10.1.1.254)',
      message: 'since 2026-11-22T13:03:00Z — Bldg 6 MDF 101',
      priority: 1,
      timestamp: Math.floor(t0.getTime() / 1000),
    });
    const error = await pushover
      .sendNotification(composeNotification(batchOf(alert('RESTORED', 1000)), 'x'), { now: t0, attempt: 1 })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.name).to.equal('RateLimitedError');
    expect(JSON.parse(server.requests[1]!.body).priority).to.equal(0);
    expect(error?.message).not.to.include('azGDORe');
  });
});
