import { expect } from 'chai';

import { alertBody, alertSubject } from '../../lib/notify/alert-text.js';
import { entryFromJson, entryToJson } from '../../lib/notify/outbox/outbox-entry.js';
import type { TraceSnapshot } from '../../lib/shared/fault-evidence.js';
import { alertFixtures } from '../fakes/alert-fixtures.js';

const target = { host: '9.9.9.9', description: 'Quad9', location: 'Internet' };
const { alert, t0 } = alertFixtures(target);
const trace: TraceSnapshot = {
  at: t0,
  phase: 'down',
  target: '9.9.9.9',
  hops: [
    { ttl: 1, address: '192.168.1.1', rttMs: 0.41 },
    { ttl: 2, address: '100.64.0.1', rttMs: 8.2 },
    { ttl: 3, address: null, rttMs: null },
  ],
  reachedTarget: false,
};
const fault = {
  layer: 'ISP',
  reason: 'ISP outage: all 3 internet anchors down, gateway 192.168.1.1 up, last hop 100.64.0.1',
} as const;

describe('notify/alert-text: fault layer and path snapshot', () => {
  it('a DOWN says the fault layer on the first line (the subject stays as it was), the hops after the notes', () => {
    const down = alert('DOWN', 0, { fault, trace });
    expect(alertSubject(down)).to.equal('[pingwarden] DOWN Quad9 (9.9.9.9) — Internet');
    const body = alertBody(down, { timeZone: 'UTC' });
    expect(body.split('\n')[0]).to.equal(
      'Quad9 (9.9.9.9) — Internet is DOWN: it stopped answering. ISP outage: all 3 internet anchors down, gateway 192.168.1.1 up, last hop 100.64.0.1.',
    );
    expect(body).to.include('Fault layer:');
    expect(body).to.include(
      [
        'Path when it went down (traceroute to 9.9.9.9, 2026-11-22 13:03:00 UTC; did not reach the host):',
        '  1  192.168.1.1  0.41 ms',
        '  2  100.64.0.1  8.2 ms',
        '  3  *',
        '',
      ].join('\n'),
    );
  });

  it('an unknown layer still gives the reason', () => {
    const down = alert('DOWN', 0, {
      fault: { layer: null, reason: 'fault layer unknown: no internet anchors' },
    });
    expect(alertSubject(down)).to.equal('[pingwarden] DOWN Quad9 (9.9.9.9) — Internet');
    expect(alertBody(down).split('\n')[0]).to.match(/fault layer unknown: no internet anchors\.$/);
  });

  it('a RESTORED shows its restored snapshot', () => {
    const restored = alert('RESTORED', 60_000, {
      trace: { ...trace, phase: 'restored', reachedTarget: true },
    });
    expect(alertBody(restored, { timeZone: 'UTC' })).to.include(
      'Path when it was restored (traceroute to 9.9.9.9',
    );
  });

  it('the outbox keeps both through its JSON file, the snapshot time as a Date again', () => {
    const down = alert('DOWN', 0, { fault, trace });
    const entry = {
      notifier: 'email',
      notification: { id: 'x1', composedAt: t0, overview: 'o', alerts: [down] },
      attempts: 0,
      lastAttemptAt: null,
      lastError: null,
    };
    const back = entryFromJson(entryToJson(entry));
    expect(back?.notification.alerts[0]).to.deep.equal(down);
  });
});
