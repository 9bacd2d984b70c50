import { expect } from 'chai';

import { composeNotification } from '../../../../lib/notify/notification.js';
import { GotifyNotifier } from '../../../../lib/notify/channels/gotify/gotify-notifier.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';

const router = { host: '10.1.1.254', description: 'Cisco <Router>', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: Gotify', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('POSTs <server>/message with X-Gotify-Key and title, message, priority', async () => {
    server = await HttpTestServer.start([
      { status: 200, body: '{"id":1}' },
      { status: 401, body: '{"error":"Unauthorized"}' },
    ]);
    const gotify = new GotifyNotifier({ url: () => server!.url('/gotify/'), token: () => 'AiOLxxDxYOCc7bY' });
    expect(new GotifyNotifier({ url: () => '', token: () => 'x' }).enabled()).to.equal(false);
    await gotify.sendNotification(composeNotification(batchOf(alert('DOWN')), 'x'), { now: t0, attempt: 1 });
    const request = server.requests[0]!;
    expect([request.method, request.path]).to.deep.equal(['POST', '/gotify/message']);
    expect(request.headers['x-gotify-key']).to.equal('AiOLxxDxYOCc7bY');
    expect(JSON.parse(request.body)).to.deep.equal({
      title: 'DOWN Cisco <Router> (10.1.1.254)',
      message: 'since 2026-11-22T13:03:00Z — Bldg 6 MDF 101',
      priority: 8,
      extras: { 'client::display': { contentType: 'text/plain' } },
    });
    const error = await gotify
      .sendNotification(composeNotification(batchOf(alert('RESTORED', 1000)), 'x'), { now: t0, attempt: 1 })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.message).to.equal('gotify failed: HTTP 401 Unauthorized: {"error":"Unauthorized"}');
    expect(JSON.parse(server.requests[1]!.body).priority).to.equal(5);
  });
});
