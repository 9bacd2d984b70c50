import { expect } from 'chai';

import {
  renderWebhookTemplate,
  webhookPayload,
} from '../../../../lib/notify/channels/webhook/webhook-notifier.js';
import type { Notification } from '../../../../lib/notify/notification.js';
import { alertFixtures } from '../../../fakes/alert-fixtures.js';

const anchor = { host: '9.9.9.9', description: 'Quad9', location: 'Internet' };
const { t0, alert } = alertFixtures(anchor);
const fault = {
  layer: 'ISP',
  reason: 'ISP outage: all 3 internet anchors down, gateway 192.168.1.1 up, last hop 100.64.0.1',
} as const;
const trace = {
  at: t0,
  phase: 'down',
  target: '9.9.9.9',
  hops: [
    { ttl: 1, address: '192.168.1.1', rttMs: 0.41 },
    { ttl: 2, address: null, rttMs: null },
  ],
  reachedTarget: false,
} as const;
const notification: Notification = {
  id: 'n1',
  composedAt: t0,
  overview: '1 of 3 hosts down',
  alerts: [alert('DOWN', 0, { fault, trace }), alert('REMINDER', 60_000)],
};
const context = { now: t0, attempt: 1 };

describe('notify: webhook JSON with the fault layer and the path snapshot', () => {
  it('a DOWN event has faultLayer, faultReason and the trace with its hops; other events null', () => {
    const [down, reminder] = webhookPayload(notification, context).events;
    expect(down).to.include({ faultLayer: 'ISP', faultReason: fault.reason });
    expect(down!.trace).to.deep.equal({
      at: '2026-11-22T13:03:00.000Z',
      phase: 'down',
      target: '9.9.9.9',
      hops: [
        { ttl: 1, address: '192.168.1.1', rtt_ms: 0.41 },
        { ttl: 2, address: null, rtt_ms: null },
      ],
      reached: false,
    });
    expect(reminder).to.include({ faultLayer: null, faultReason: null, trace: null });
  });

  it('the Handlebars template sees them', () => {
    const template =
      '{{#each events}}{{kind}} {{faultLayer}} {{#each trace.hops}}{{ttl}}={{address}} {{/each}}\n{{/each}}';
    expect(renderWebhookTemplate(template, notification, context).text).to.equal(
      'DOWN ISP 1=192.168.1.1 2= \nREMINDER  \n',
    );
  });
});
