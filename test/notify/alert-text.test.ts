import { expect } from 'chai';
import type { Alert, AlertKind, HostLabel } from '../../lib/monitor/alert.js';
import {
  alertBody,
  alertSubject,
  alertText,
  formatLocalTime,
  formatRtt,
  formatUtcTime,
  targetLabel,
  testMessageText,
} from '../../lib/notify/alert-text.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const downSince = new Date('2026-11-22T13:05:09.250Z');

function alert(kind: AlertKind, durationMs: number, extra: Partial<Alert> = {}): Alert {
  return {
    kind,
    target: router,
    downSince,
    at: new Date(downSince.getTime() + durationMs),
    durationMs,
    attempts: 3,
    lastRttMs: 0.42,
    ...extra,
  };
}

describe('alert text', () => {
  describe('subject', () => {
    const cases: [name: string, alert: Alert, subject: string][] = [
      ['DOWN', alert('DOWN', 180_000), '[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6 MDF 101'],
      [
        'REMINDER after an hour (two units)',
        alert('REMINDER', 3_600_000 + 7_000),
        '[pingwarden] REMINDER Cisco Router (10.1.1.254) — Bldg 6 MDF 101 down for 1h 0m',
      ],
      [
        'RESTORED',
        alert('RESTORED', 754_000),
        '[pingwarden] RESTORED Cisco Router (10.1.1.254) — Bldg 6 MDF 101 after 12m 34s',
      ],
      [
        'RESTORED after days',
        alert('RESTORED', 2 * 86_400_000 + 3 * 3_600_000 + 59_000),
        '[pingwarden] RESTORED Cisco Router (10.1.1.254) — Bldg 6 MDF 101 after 2d 3h',
      ],
      [
        'no description',
        alert('DOWN', 0, { target: { ...router, description: '' } }),
        '[pingwarden] DOWN 10.1.1.254 — Bldg 6 MDF 101',
      ],
      [
        'no location',
        alert('DOWN', 0, { target: { ...router, location: '' } }),
        '[pingwarden] DOWN Cisco Router (10.1.1.254)',
      ],
      [
        'neither',
        alert('REMINDER', 7_200_000, { target: { host: 'gw.example.net', description: '', location: '' } }),
        '[pingwarden] REMINDER gw.example.net down for 2h 0m',
      ],
      [
        'line breaks from a quoted CSV cell',
        alert('DOWN', 0, { target: { ...router, description: 'Cisco\r\nRouter', location: ' Bldg 6\n' } }),
        '[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6',
      ],
      [
        'a duration that is not a number still gives a subject',
        alert('RESTORED', Number.NaN),
        '[pingwarden] RESTORED Cisco Router (10.1.1.254) — Bldg 6 MDF 101 after unknown time',
      ],
    ];
    for (const [name, input, subject] of cases) {
      it(name, () => expect(alertSubject(input)).to.equal(subject));
    }
  });

  describe('body', () => {
    it('DOWN in Europe/Berlin, whole body', () => {
      expect(alertBody(alert('DOWN', 180_000), { timeZone: 'Europe/Berlin' })).to.equal(
        [
          'Cisco Router (10.1.1.254) — Bldg 6 MDF 101 is DOWN: it stopped answering.',
          '',
          'Host:              10.1.1.254',
          'Description:       Cisco Router',
          'Location:          Bldg 6 MDF 101',
          'Down since:        2026-11-22 14:05:09 CET',
          'Down since (UTC):  2026-11-22T13:05:09Z',
          'Down for:          3m 0s',
          'Attempts:          3',
          'Last RTT:          0.42 ms',
          '',
        ].join('\n'),
      );
    });

    const cases: [name: string, alert: Alert, timeZone: string, lines: string[], absent: RegExp[]][] = [
      [
        'REMINDER in UTC with full-precision duration and no RTT',
        alert('REMINDER', 3_600_000 + 7_000, { lastRttMs: null }),
        'UTC',
        [
          'Cisco Router (10.1.1.254) — Bldg 6 MDF 101 is still DOWN.',
          'Down since:        2026-11-22 13:05:09 UTC',
          'Down for:          1h 0m 7s',
          'Last RTT:          none',
        ],
        [/Restored/, /Reason/],
      ],
      [
        'RESTORED in summer time says when it came back',
        alert('RESTORED', 754_000, {
          downSince: new Date('2026-07-01T10:00:00Z'),
          at: new Date('2026-07-01T10:12:34Z'),
          attempts: 1,
          lastRttMs: 12.3456,
        }),
        'Europe/Berlin',
        [
          'Cisco Router (10.1.1.254) — Bldg 6 MDF 101 is answering again.',
          'Down since:         2026-07-01 12:00:00 CEST',
          'Down since (UTC):   2026-07-01T10:00:00Z',
          'Restored at:        2026-07-01 12:12:34 CEST',
          'Restored at (UTC):  2026-07-01T10:12:34Z',
          'Outage lasted:      12m 34s',
          'Attempts:           1',
          'Last RTT:           12.35 ms',
        ],
        [/Down for/],
      ],
      [
        'the reason when the probe knew one; empty description and location left out',
        alert('DOWN', 0, {
          target: { host: 'nas.invalid', description: '', location: '' },
          reason: 'name did not resolve',
        }),
        'UTC',
        [
          'nas.invalid is DOWN: it stopped answering.',
          'Host:              nas.invalid',
          'Reason:            name did not resolve',
        ],
        // A DOWN detected as it happens has no "Down for: 0s".
        [/Description/, /Location/, /Down for/],
      ],
      [
        'notes of a sensor that rebooted, one per line at the end',
        alert('RESTORED', 200_000, {
          target: { host: 'sensor:cabin', description: 'Cabin uplink', location: 'Lake house' },
          notes: ['sensor rebooted, up 3m 5s', 'second\nnote'],
        }),
        'UTC',
        [
          'Cabin uplink (sensor:cabin) — Lake house is answering again.',
          'Notes:',
          '- sensor rebooted, up 3m 5s',
          '- second note',
        ],
        [/Reason/],
      ],
    ];
    for (const [name, input, timeZone, lines, absent] of cases) {
      it(name, () => {
        const body = alertBody(input, { timeZone });
        const bodyLines = body.split('\n');
        for (const line of lines) expect(bodyLines).to.include(line);
        for (const pattern of absent) expect(body).not.to.match(pattern);
      });
    }

    it('ends with the notes (such as actions taken), one per line, when the alert carries them', () => {
      const body = alertBody(
        alert('RESTORED', 130_000, {
          notes: [
            'power cycle 1/2 of Modem: plug off 30s, on again; link restored 2m 10s after power-on',
            'second\nline',
          ],
        }),
        { timeZone: 'UTC' },
      );
      expect(body).to.match(
        /Last RTT: +0\.42 ms\n\nNotes:\n- power cycle 1\/2 of Modem: plug off 30s, on again; link restored 2m 10s after power-on\n- second line\n$/,
      );
      expect(alertBody(alert('DOWN', 0, { notes: [] }), { timeZone: 'UTC' })).not.to.include('Notes');
    });

    it('alertText pairs the subject with the body', () => {
      const input = alert('DOWN', 0);
      expect(alertText(input, { timeZone: 'UTC' })).to.deep.equal({
        subject: alertSubject(input),
        text: alertBody(input, { timeZone: 'UTC' }),
      });
    });
  });

  describe('times and values', () => {
    const instant = new Date('2026-11-22T13:05:09Z');
    const zones: [timeZone: string, expected: string][] = [
      ['UTC', '2026-11-22 13:05:09 UTC'],
      ['Europe/Berlin', '2026-11-22 14:05:09 CET'],
      ['Europe/London', '2026-11-22 13:05:09 GMT'],
      ['America/New_York', '2026-11-22 08:05:09 EST'],
      ['Asia/Tokyo', '2026-11-22 22:05:09 GMT+9'],
      ['Asia/Kolkata', '2026-11-22 18:35:09 GMT+5:30'],
    ];
    for (const [timeZone, expected] of zones) {
      it(`local time in ${timeZone}: ${expected}`, () =>
        expect(formatLocalTime(instant, timeZone)).to.equal(expected));
    }

    it('midnight is 00, not 24', () => {
      expect(formatLocalTime(new Date('2026-11-22T23:00:30Z'), 'Europe/Berlin')).to.equal(
        '2026-11-23 00:00:30 CET',
      );
    });

    it('uses the system zone when none is given', () => {
      expect(formatLocalTime(instant)).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \S+$/);
    });

    it('rejects an unknown zone', () => {
      expect(() => formatLocalTime(instant, 'Mars/Olympus_Mons')).to.throw(RangeError);
    });

    it('UTC in ISO 8601 to the second', () => {
      expect(formatUtcTime(new Date('2026-11-22T13:05:09.999Z'))).to.equal('2026-11-22T13:05:09Z');
    });

    const rtts: [ms: number | null, text: string][] = [
      [0.42, '0.42 ms'],
      [0.4, '0.4 ms'],
      [12.3456, '12.35 ms'],
      [250, '250 ms'],
      [null, 'none'],
    ];
    for (const [ms, text] of rtts) {
      it(`RTT ${ms} → ${text}`, () => expect(formatRtt(ms)).to.equal(text));
    }

    it('labels a target', () => {
      expect(targetLabel(router)).to.equal('Cisco Router (10.1.1.254) — Bldg 6 MDF 101');
      expect(targetLabel({ host: '2001:db8::1', description: 'Uplink', location: '' })).to.equal(
        'Uplink (2001:db8::1)',
      );
    });
  });

  describe('test message', () => {
    it('names the server, sender and recipients', () => {
      const { subject, text } = testMessageText(
        {
          server: 'smtp.example.com:587',
          from: 'alerts@example.com',
          recipients: ['a@example.com', 'b@example.com'],
          sentAt: instantOf('2026-11-22T13:05:09Z'),
        },
        { timeZone: 'Europe/Berlin' },
      );
      expect(subject).to.equal('[pingwarden] Test email');
      expect(text.split('\n')).to.include.members([
        'This is a test message from pingwarden (pingwarden test-email).',
        'Sent at:        2026-11-22 14:05:09 CET',
        'Sent at (UTC):  2026-11-22T13:05:09Z',
        'SMTP server:    smtp.example.com:587',
        'From:           alerts@example.com',
        'To:             a@example.com, b@example.com',
      ]);
    });
  });
});

function instantOf(iso: string): Date {
  return new Date(iso);
}
