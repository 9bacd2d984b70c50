import { expect } from 'chai';
import type { Alert } from '../../../../lib/monitor/alert.js';
import { AlertLog } from '../../../../lib/notify/channels/log/alert-log.js';
import type { CycleReport } from '../../../../lib/monitor/monitor-loop.js';
import { FakeLog } from '../../../fakes/fake-log.js';

const base: Alert = {
  kind: 'DOWN',
  target: { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' },
  at: new Date('2026-11-22T13:08:09Z'),
  downSince: new Date('2026-11-22T13:05:09Z'),
  durationMs: 180_000,
  attempts: 3,
  lastRttMs: 0.42,
};

describe('notify/channels/log/alert-log', () => {
  const cases: [name: string, alert: Alert, line: string][] = [
    [
      'DOWN as a warning',
      base,
      'WARN alert kind=DOWN host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101" ' +
        'since=2026-11-22T13:05:09.000Z duration="3m 0s" attempts=3 rtt_ms=0.42',
    ],
    [
      'REMINDER with no RTT and a reason',
      { ...base, kind: 'REMINDER', durationMs: 3_600_000, lastRttMs: null, reason: 'host unreachable' },
      'WARN alert kind=REMINDER host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101" ' +
        'since=2026-11-22T13:05:09.000Z duration="1h 0m 0s" attempts=3 rtt_ms=none reason="host unreachable"',
    ],
    [
      'notes joined into one field',
      { ...base, lastRttMs: null, notes: ['last heartbeat at 2026-11-22T13:05:09Z', 'second'] },
      'WARN alert kind=DOWN host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101" ' +
        'since=2026-11-22T13:05:09.000Z duration="3m 0s" attempts=3 rtt_ms=none ' +
        'notes="last heartbeat at 2026-11-22T13:05:09Z; second"',
    ],
    [
      'RESTORED as info, with the time it came back',
      {
        ...base,
        kind: 'RESTORED',
        at: new Date('2026-11-22T13:17:43Z'),
        durationMs: 754_000,
        attempts: 1,
        target: { host: 'gw', description: '', location: '' },
      },
      'INFO alert kind=RESTORED host=gw description="" location="" since=2026-11-22T13:05:09.000Z ' +
        'restored=2026-11-22T13:17:43.000Z duration="12m 34s" attempts=1 rtt_ms=0.42',
    ],
    [
      'with the notes of actions taken',
      {
        ...base,
        notes: ['power cycle 1/2 of Modem started', 'indicator lamp Lamp could not be switched on'],
      },
      'WARN alert kind=DOWN host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101" ' +
        'since=2026-11-22T13:05:09.000Z duration="3m 0s" attempts=3 rtt_ms=0.42 ' +
        'notes="power cycle 1/2 of Modem started; indicator lamp Lamp could not be switched on"',
    ],
  ];
  for (const [name, alert, line] of cases) {
    it(name, async () => {
      const log = new FakeLog();
      const observer = new AlertLog(log);
      expect(observer.name).to.equal('log');
      observer.cycleFinished({ alerts: [alert] } as unknown as CycleReport);
      expect(log.lines).to.deep.equal([line]);
    });
  }
});
