import { expect } from 'chai';

import { NtfyNotifier, ntfyRequest } from '../../../../lib/notify/channels/ntfy/ntfy-notifier.js';
import { composeNotification } from '../../../../lib/notify/notification.js';
import { channelOutbox } from '../../../fakes/channel-outbox.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';
import { HttpTestServer } from '../../../support/http-test-server.js';
import { waitFor } from '../../../support/wait-for.js';

const router = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const { t0, alert, batchOf } = alertFixtures(router);

describe('notify: ntfy', function () {
  this.timeout(20_000);
  let server: HttpTestServer | undefined;
  afterEach(async () => server?.stop());

  it('makes a short high-priority DOWN and a default-priority UP', () => {
    const down = ntfyRequest(composeNotification(batchOf(alert('DOWN')), 'x'));
    expect(down.headers).to.include({
      title: 'DOWN Cisco Router (10.1.1.254)',
      priority: 'high',
      tags: 'rotating_light',
    });
    expect(down.body).to.equal('since 2026-11-22T13:03:00Z — Bldg 6 MDF 101');
    const up = ntfyRequest(composeNotification(batchOf(alert('RESTORED', 754_000)), 'x'));
    expect(up.headers).to.include({ title: 'UP Cisco Router (10.1.1.254)', priority: 'default' });
    expect(up.body).to.equal('was down for 12m 34s, since 2026-11-22T13:03:00Z');
  });

  it('sums a digest up in the title, one line per event', () => {
    const n = composeNotification(batchOf(alert('DOWN'), alert('DOWN'), alert('RESTORED', 60_000)), 'x');
    const request = ntfyRequest(n);
    expect(request.headers.title).to.equal('3 events: 2 DOWN, 1 UP');
    expect(request.headers.priority).to.equal('high');
    expect(request.body.split('\n')).to.have.length(3);
    expect(request.body.split('\n')[2]).to.equal(
      'UP Cisco Router (10.1.1.254): was down for 1m 0s, since 2026-11-22T13:03:00Z',
    );
  });

  it('encodes a non-ASCII title as an RFC 2047 word ntfy decodes', () => {
    const target = { host: '10.0.0.1', description: 'Zürich Büro', location: '' };
    const n = composeNotification({ ...batchOf({ ...alert('DOWN'), target }), down: [target] }, 'x');
    const title = ntfyRequest(n).headers.title!;
    expect(title).to.match(/^=\?UTF-8\?B\?.+\?=$/);
    expect(Buffer.from(title.slice(10, -2), 'base64').toString('utf8')).to.equal(
      'DOWN Zürich Büro (10.0.0.1)',
    );
  });

  it('publishes through the outbox as ntfy documents it, honouring a 429', async () => {
    server = await HttpTestServer.start([
      { status: 429, headers: { 'retry-after': '1' }, body: '{"code":42901,"http":429}' },
      { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"abc"}' },
    ]);
    const ntfy = new NtfyNotifier({ url: () => server!.url('/pingwarden-alerts'), token: () => 'tk_s3cret' });
    const { outbox, log } = channelOutbox(ntfy, t0);
    outbox.start();
    await outbox.sendBatch(batchOf(alert('DOWN')));
    await waitFor(() => server!.requests.length === 2, 'the retry', 10_000);
    await waitFor(() => log.matching('INFO outbox sent').length === 1, 'marked sent');
    await outbox.stop();
    const [first, request] = server.requests;
    expect(request!.receivedAt - first!.receivedAt, 'Retry-After 1 s honoured').to.be.within(900, 3000);
    expect(request!.method).to.equal('POST');
    expect(request!.path).to.equal('/pingwarden-alerts');
    expect(request!.headers).to.include({
      title: 'DOWN Cisco Router (10.1.1.254)',
      priority: 'high',
      tags: 'rotating_light',
      authorization: 'Bearer tk_s3cret',
    });
    expect(request!.headers['content-type']).to.match(/^text\/plain/);
    expect(request!.body).to.equal('since 2026-11-22T13:03:00Z — Bldg 6 MDF 101');
    expect(log.lines.join('\n')).not.to.include('tk_s3cret');
  });

  it('is off without a URL and sends no Authorization without a token', async () => {
    expect(new NtfyNotifier({ url: () => '', token: () => '' }).enabled()).to.equal(false);
    server = await HttpTestServer.start([{ status: 200 }]);
    const ntfy = new NtfyNotifier({ url: () => server!.url('/t'), token: () => '' });
    await ntfy.sendNotification(composeNotification(batchOf(alert('RESTORED', 1000)), 'x'), {
      now: t0,
      attempt: 1,
    });
    expect(server.requests[0]!.headers.authorization).to.equal(undefined);
    expect(server.requests[0]!.headers.priority).to.equal('default');
  });
});
