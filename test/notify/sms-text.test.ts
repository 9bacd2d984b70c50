import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import type { Notification } from '../../lib/notify/notification.js';
import { MAX_SMS, smsText } from '../../lib/notify/sms-text.js';

const t0 = new Date('2026-11-22T13:03:00Z');
const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6' };

function alert(kind: Alert['kind'], target: HostLabel = router, durationMs = 0): Alert {
  return {
    kind,
    target,
    at: new Date(t0.getTime() + durationMs),
    downSince: t0,
    durationMs,
    attempts: 3,
    lastRttMs: null,
  };
}

const notification = (...alerts: Alert[]): Notification => ({
  id: 'm1',
  composedAt: t0,
  overview: 'x',
  alerts,
});
const UTC = { timeZone: 'UTC' };

describe('notify/sms-text', () => {
  it('says one event in a line with the time of day in the zone', () => {
    expect(smsText(notification(alert('DOWN')), UTC)).to.equal('DOWN Cisco Router (10.1.1.254) since 13:03');
    expect(smsText(notification(alert('DOWN')), { timeZone: 'Asia/Kolkata' })).to.equal(
      'DOWN Cisco Router (10.1.1.254) since 18:33',
    );
    expect(smsText(notification(alert('RESTORED', router, 754_000)), UTC)).to.equal(
      'UP Cisco Router (10.1.1.254) after 13m',
    );
    expect(smsText(notification(alert('ESCALATION', router, 1_800_000)), UTC)).to.equal(
      'UNACKED DOWN Cisco Router (10.1.1.254) since 13:03',
    );
  });

  it('counts a digest and names its hosts, cut to 160 characters', () => {
    const hosts = Array.from({ length: 12 }, (_, i) => ({
      host: `10.7.0.${i + 1}`,
      description: `Building 7 access switch ${i + 1}`,
      location: 'Building 7',
    }));
    const text = smsText(notification(...hosts.map((host) => alert('DOWN', host)), alert('RESTORED')), UTC);
    expect(text.length).to.equal(MAX_SMS);
    expect(text).to.match(/^12 DOWN, 1 RESTORED: DOWN Building 7 access switch 1 \(10\.7\.0\.1\); DOWN /);
    expect(text.endsWith('…')).to.equal(true);
    expect(smsText(notification(alert('DOWN'), alert('RESTORED', hosts[0])), UTC)).to.equal(
      '1 DOWN, 1 RESTORED: DOWN Cisco Router (10.1.1.254); UP Building 7 access switch 1 (10.7.0.1)',
    );
  });

  it('keeps user text on one line', () => {
    const odd = { host: '10.0.0.9', description: 'Line\nbreak\tswitch', location: '' };
    expect(smsText(notification(alert('DOWN', odd)), UTC)).to.equal(
      'DOWN Line break switch (10.0.0.9) since 13:03',
    );
  });
});
