import { expect } from 'chai';

import type { Alert, AlertKind, HostLabel } from '../../lib/monitor/alert.js';
import { composeNotification, notificationId, overviewLine } from '../../lib/notify/notification.js';
import { kindCounts, notificationText } from '../../lib/notify/notification-text.js';

const label = (n: number, location = 'Bldg 6'): HostLabel => ({
  host: `10.1.1.${n}`,
  description: `AP ${n}`,
  location,
});
const t0 = new Date('2026-11-22T13:03:00Z');

function alert(kind: AlertKind, target: HostLabel, extra: Partial<Alert> = {}): Alert {
  return { kind, target, at: t0, downSince: t0, durationMs: 0, attempts: 3, lastRttMs: null, ...extra };
}

describe('notify/notification', () => {
  describe('overviewLine', () => {
    const cases: [name: string, hosts: number, down: HostLabel[], unreachable: number, line: string][] = [
      ['all up', 12, [], 0, 'all 12 hosts up'],
      ['one host, up', 1, [], 0, 'the host is up'],
      ['one down', 12, [label(1)], 0, '1 of 12 hosts down: AP 1 (10.1.1.1)'],
      [
        'three down',
        12,
        [label(1), label(2), { host: '10.1.1.3', description: '', location: '' }],
        0,
        '3 of 12 hosts down: AP 1 (10.1.1.1), AP 2 (10.1.1.2) and 10.1.1.3',
      ],
      [
        'a parent and its unreachable children',
        52,
        [label(254)],
        50,
        '51 of 52 hosts down: AP 254 (10.1.1.254) and 50 unreachable behind it',
      ],
      [
        'more than five down',
        20,
        [1, 2, 3, 4, 5, 6, 7].map((n) => label(n)),
        3,
        '10 of 20 hosts down: AP 1 (10.1.1.1), AP 2 (10.1.1.2), AP 3 (10.1.1.3), AP 4 (10.1.1.4), AP 5 (10.1.1.5), 2 more and 3 unreachable behind them',
      ],
    ];
    for (const [name, hosts, down, unreachable, line] of cases) {
      it(name, () => expect(overviewLine({ hosts, down, unreachable })).to.equal(line));
    }
  });

  it('makes ids that sort by compose time and are safe in file names', () => {
    expect(notificationId(new Date('2026-11-22T14:03:10.123Z'), '3f9a0c1d')).to.equal(
      '20261122T140310123Z-3f9a0c1d',
    );
    expect(notificationId(t0)).to.match(/^20261122T130300000Z-[0-9a-f]{8}$/);
  });

  it('counts kinds in a fixed order', () =>
    expect(
      kindCounts([alert('RESTORED', label(1)), alert('DOWN', label(2)), alert('DOWN', label(3))]),
    ).to.equal('2 DOWN, 1 RESTORED'));

  describe('notificationText', () => {
    const utc = { timeZone: 'UTC' };
    const first = { now: t0, attempt: 1 };

    it('keeps the single-event subject and body for one alert', () => {
      const n = composeNotification(
        { at: t0, alerts: [alert('DOWN', label(1))], hosts: 3, down: [label(1)], unreachable: 0 },
        'x',
      );
      const text = notificationText(n, first, utc);
      expect(text.subject).to.equal('[pingwarden] DOWN AP 1 (10.1.1.1) — Bldg 6');
      expect(text.text).to.match(/^AP 1 \(10\.1\.1\.1\) — Bldg 6 is DOWN: it stopped answering\.\n/);
    });

    it('lists the unreachable children under the parent', () => {
      const children = [label(2, 'Hall'), label(3, 'Hall')];
      const parent = alert('DOWN', label(1), { unreachableChildren: children });
      const n = composeNotification(
        { at: t0, alerts: [parent], hosts: 3, down: [label(1)], unreachable: 2 },
        'x',
      );
      expect(notificationText(n, first, utc).text).to.match(
        /\nUnreachable behind it \(2\):\n {2}- AP 2 \(10\.1\.1\.2\) — Hall\n {2}- AP 3 \(10\.1\.1\.3\) — Hall\n$/,
      );
    });

    it('makes one digest of several alerts, opening with the overview and grouped by location', () => {
      const alerts = [
        alert('DOWN', label(1, 'Bldg 6')),
        alert('RESTORED', label(2, 'Bldg 1'), { durationMs: 754_000 }),
        alert('DOWN', label(3, 'Bldg 6')),
      ];
      const n = composeNotification(
        { at: t0, alerts, hosts: 12, down: [label(1), label(3)], unreachable: 0 },
        'x',
      );
      const text = notificationText(n, first, utc);
      expect(text.subject).to.equal(
        '[pingwarden] 2 DOWN, 1 RESTORED: 2 of 12 hosts down: AP 1 (10.1.1.1) and AP 3 (10.1.1.3)',
      );
      expect(text.text.split('\n')[0]).to.equal('2 of 12 hosts down: AP 1 (10.1.1.1) and AP 3 (10.1.1.3).');
      const headings = text.text.split('\n').filter((line) => line.startsWith('== '));
      expect(headings).to.deep.equal(['== Bldg 6 ==', '== Bldg 1 ==']);
      const order = ['AP 1 (10.1.1.1)', 'AP 3 (10.1.1.3)', 'AP 2 (10.1.1.2)'].map((s) =>
        text.text.indexOf(`${s} — `),
      );
      expect(order).to.deep.equal([...order].sort((a, b) => a - b));
    });

    it('says when a message waited in the outbox, keeping the real event times', () => {
      const n = composeNotification(
        { at: t0, alerts: [alert('DOWN', label(1))], hosts: 3, down: [label(1)], unreachable: 0 },
        'x',
      );
      const later = { now: new Date(t0.getTime() + 38 * 60_000 + 2_000), attempt: 9 };
      const text = notificationText(n, later, utc).text;
      expect(text.split('\n')[0]).to.equal(
        'Queued: composed at 2026-11-22 13:03:00 UTC, sent at 2026-11-22 13:41:02 UTC once delivery worked again (38m 2s later, attempt 9). The times below are when things happened.',
      );
      expect(text).to.include('Down since (UTC):  2026-11-22T13:03:00Z');
    });
  });
});
