import { expect } from 'chai';

import { HeartbeatLedger } from '../../../lib/probe/heartbeat/heartbeat-book.js';

const T0 = new Date('2026-11-22T13:00:00Z').getTime();
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('HeartbeatLedger', () => {
  it('keeps the last two receive times of each sensor', () => {
    const book = new HeartbeatLedger(at(0));
    expect(book.lookup('cabin')).to.equal(undefined);
    book.record('cabin', at(10), 'PING', 1000);
    book.record('cabin', at(70), 'PING', 1060);
    expect(book.lookup('cabin')).to.deep.equal({ lastAt: at(70), previousAt: at(10), lastBoot: null });
  });

  type Step = [seconds: number, type: 'PING' | 'BOOT', uptime: number | null, boot: string | null];
  const cases: [name: string, steps: Step[]][] = [
    [
      'a BOOT after a shorter uptime than before is a reboot',
      [
        [0, 'PING', 5000, null],
        [600, 'BOOT', 30, 'rebooted up 30'],
      ],
    ],
    [
      'a BOOT from a machine that stayed up is a program restart',
      [
        [0, 'PING', 5000, null],
        [600, 'BOOT', 5600, 'restarted up 5600'],
      ],
    ],
    [
      'a PING whose uptime went backwards is a reboot whose BOOT was lost',
      [
        [0, 'PING', 5000, null],
        [60, 'PING', 5060, null],
        [600, 'PING', 45, 'rebooted up 45'],
      ],
    ],
    [
      'uptime rounding and transit time are not a reboot',
      [
        [0, 'PING', 5000, null],
        [60.9, 'PING', 5060, null],
        [120.2, 'PING', 5121, null],
      ],
    ],
    ['a first BOOT from a freshly booted machine is a reboot', [[0, 'BOOT', 40, 'rebooted up 40']]],
    [
      'a first BOOT from a long-running machine is a program restart',
      [[0, 'BOOT', 86400, 'restarted up 86400']],
    ],
    ['a legacy BOOT without uptime is a reboot', [[0, 'BOOT', null, 'rebooted up 0']]],
  ];
  for (const [name, steps] of cases) {
    it(name, () => {
      const book = new HeartbeatLedger(at(0));
      for (const [seconds, type, uptime, expected] of steps) {
        const boot = book.record('cabin', at(seconds), type, uptime);
        const got = boot && `${boot.rebooted ? 'rebooted' : 'restarted'} up ${boot.uptimeSeconds}`;
        expect(got, `at ${seconds} s`).to.equal(expected);
        if (boot) expect(book.lookup('cabin')?.lastBoot).to.deep.equal(boot);
      }
    });
  }

  it('forgets sensors no longer configured', () => {
    const book = new HeartbeatLedger(at(0));
    book.record('a', at(1), 'PING', 1);
    book.record('b', at(1), 'PING', 1);
    book.retain(new Set(['b']));
    expect([book.lookup('a'), book.size]).to.deep.equal([undefined, 1]);
  });
});
