import { expect } from 'chai';

import { composeNotification } from '../../../../lib/notify/notification.js';
import { TeamsNotifier } from '../../../../lib/notify/channels/teams/teams-notifier.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';

const router = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const ap = { host: '10.1.2.7', description: 'AP 7', location: 'Bldg 6' };
const { t0, alert, batchOf } = alertFixtures(router);

interface Card {
  type: string;
  attachments: {
    contentType: string;
    contentUrl: null;
    content: { type: string; version: string; body: Block[] };
  }[];
}
interface Block {
  type: string;
  text: string;
  color?: string;
  weight?: string;
}

describe('notify: Microsoft Teams', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('POSTs a message with one Adaptive Card: bold title coloured by the news, one block per event', async () => {
    server = await HttpTestServer.start([
      { status: 202, body: '' },
      { status: 202, body: '' },
      { status: 400, body: '{"error":{"code":"InvalidRequestContent"}}' },
    ]);
    const teams = new TeamsNotifier({
      url: () => server!.url('/workflows/abc/triggers/manual/paths/invoke'),
    });
    expect(new TeamsNotifier({ url: () => '' }).enabled()).to.equal(false);
    await teams.sendNotification(composeNotification(batchOf(alert('DOWN')), 'x'), { now: t0, attempt: 1 });
    const request = server.requests[0]!;
    expect([request.method, request.path, request.headers['content-type']]).to.deep.equal([
      'POST',
      '/workflows/abc/triggers/manual/paths/invoke',
      'application/json',
    ]);
    const card = JSON.parse(request.body) as Card;
    expect(card.type).to.equal('message');
    expect(card.attachments).to.have.length(1);
    const { contentType, content } = card.attachments[0]!;
    expect([contentType, content.type, content.version]).to.deep.equal([
      'application/vnd.microsoft.card.adaptive',
      'AdaptiveCard',
      '1.2',
    ]);
    expect(content.body.map((block) => [block.text, block.color ?? null])).to.deep.equal([
      ['DOWN Cisco Router (10.1.1.254)', 'Attention'],
      ['since 2026-11-22T13:03:00Z — Bldg 6 MDF 101', null],
    ]);

    const restored = { ...alert('RESTORED', 60_000), target: ap };
    await teams.sendNotification(composeNotification(batchOf(alert('RESTORED', 60_000), restored), 'y'), {
      now: t0,
      attempt: 1,
    });
    const digest = (JSON.parse(server.requests[1]!.body) as Card).attachments[0]!.content.body;
    expect(digest.map((block) => block.text)).to.deep.equal([
      '2 events: 2 UP',
      'UP Cisco Router (10.1.1.254): was down for 1m 0s, since 2026-11-22T13:03:00Z',
      'UP AP 7 (10.1.2.7): was down for 1m 0s, since 2026-11-22T13:03:00Z',
    ]);
    expect(digest[0]!.color).to.equal('Good');

    const error = await teams
      .sendNotification(composeNotification(batchOf(alert('DOWN')), 'z'), { now: t0, attempt: 1 })
      .then(
        () => null,
        (e: unknown) => e as Error,
      );
    expect(error?.message).to.equal(
      'teams webhook failed: HTTP 400 Bad Request: {"error":{"code":"InvalidRequestContent"}}',
    );
    expect(error?.message).not.to.include('workflows');
  });
});
