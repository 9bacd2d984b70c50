import { expect } from 'chai';

import { composeNotification } from '../../../../lib/notify/notification.js';
import { SlackNotifier } from '../../../../lib/notify/channels/slack/slack-notifier.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';

const router = { host: '10.1.1.254', description: 'Cisco <Router>', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: Slack', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('POSTs {text} to the incoming webhook, escaping & < >', async () => {
    server = await HttpTestServer.start([{ status: 200, body: 'ok' }]);
    const slack = new SlackNotifier({ url: () => server!.url('/services/T000/B000/XXXX') });
    await slack.sendNotification(
      composeNotification(batchOf(alert('DOWN'), alert('RESTORED', 60_000)), 'x'),
      { now: t0, attempt: 1 },
    );
    const request = server.requests[0]!;
    expect([request.method, request.path, request.headers['content-type']]).to.deep.equal([
      'POST',
      '/services/T000/B000/XXXX',
      'application/json',
    ]);
    expect(JSON.parse(request.body)).to.deep.equal({
      text:
        '*2 events: 1 DOWN, 1 UP*\nDOWN Cisco &lt;Router&gt; (10.1.1.254): since 2026-11-22T13:03:00Z — Bldg 6 MDF 101\n' +
        'UP Cisco &lt;Router&gt; (10.1.1.254): was down for 1m 0s, since 2026-11-22T13:03:00Z',
    });
  });
});
