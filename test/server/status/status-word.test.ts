import { expect } from 'chai';

import type { Config } from '../../../lib/config/types.js';
import type { HostState } from '../../../lib/monitor/host-state.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { StatusBoard } from '../../../lib/server/status/status-board.js';
import { row } from '../../../lib/server/status/status-page.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testTarget } from '../../fakes/fake-config.js';

describe('server/status: maintenance, snoozed and acknowledged hosts have their own word', () => {
  it('shows MAINTENANCE, SNOOZED and DOWN, ACKED on the board and in the page row', () => {
    const clock = new FakeClock('2026-04-01T12:00:00Z');
    const now = clock.now();
    const until = new Date(now.getTime() + 3_600_000);
    const targets = ['window', 'snoozed', 'acked', 'down'].map((host) => testTarget(host));
    const states = new Map<string, HostState>([
      [
        'window',
        {
          status: 'MAINTENANCE',
          since: now,
          lastAlertAt: null,
          lastRttMs: null,
          suppression: { kind: 'maintenance', until, note: null },
        },
      ],
      [
        'snoozed',
        {
          status: 'MAINTENANCE',
          since: now,
          lastAlertAt: null,
          lastRttMs: null,
          suppression: { kind: 'snooze', until, note: 'ISP' },
        },
      ],
      [
        'acked',
        { status: 'DOWN', since: now, lastAlertAt: now, lastRttMs: null, ack: { at: now, note: null } },
      ],
      ['down', { status: 'DOWN', since: now, lastAlertAt: now, lastRttMs: null }],
    ]);
    const board = new StatusBoard();
    board.cycleFinished({
      at: now,
      config: { targets } as unknown as Config,
      results: [],
      changes: [],
      removed: [],
      alerts: [],
      states,
      summary: {},
    } as unknown as CycleReport);
    const words = (host: string) => {
      const status = board.get(host)!;
      return [status.status, status.word ?? null, /<b>[^ ]+ ([^<]+)<\/b>/.exec(row(status, now))?.[1]];
    };
    expect(words('window')).to.deep.equal(['MAINTENANCE', null, 'MAINTENANCE']);
    expect(words('snoozed')).to.deep.equal(['MAINTENANCE', 'SNOOZED', 'SNOOZED']);
    expect(words('acked')).to.deep.equal(['DOWN', 'DOWN, ACKED', 'DOWN, ACKED']);
    expect(words('down')).to.deep.equal(['DOWN', null, 'DOWN']);
    expect(board.counts().MAINTENANCE).to.equal(2);
  });
});
