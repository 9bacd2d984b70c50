import { expect } from 'chai';

import type { Config } from '../../../lib/config/types.js';
import type { HostState } from '../../../lib/monitor/host-state.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { StatusBoard } from '../../../lib/server/status/status-board.js';
import { testTarget } from '../../fakes/fake-config.js';

const t0 = Date.parse('2026-04-01T12:00:00Z');
const hosts = Array.from({ length: 100 }, (_, i) => `198.18.0.${i + 1}`);
const targets = hosts.map((host) => testTarget(host));

/** One cycle in which every host is UP with `rttOf(host)` as its RTT. */
function cycle(board: StatusBoard, n: number, rttOf: (host: string) => number): void {
  const at = new Date(t0 + n * 60_000);
  const states = new Map<string, HostState>(
    hosts.map((host) => [
      host,
      { status: 'UP', since: new Date(t0), lastAlertAt: null, lastRttMs: rttOf(host) },
    ]),
  );
  board.cycleFinished({
    at,
    config: { targets } as unknown as Config,
    results: [],
    changes: [],
    removed: [],
    alerts: [],
    states,
    summary: {},
  } as unknown as CycleReport);
}

describe('server/status: the events kept for reconnecting clients', () => {
  it('keeps 64 small events, so a client that missed many cycles replays them', () => {
    const board = new StatusBoard();
    cycle(board, 0, () => 1);
    // Each later cycle changes one host's RTT: one row per event.
    for (let n = 1; n <= 70; n++) cycle(board, n, (host) => (host === hosts[0] ? n + 1 : 1));
    expect(board.lastEventId()).to.equal(71);
    expect(board.eventsSince(71 - 64)?.map((event) => event.id)).to.have.length(64);
    expect(board.eventsSince(71 - 65), 'older than the 64 kept: a snapshot').to.equal(null);
  });

  it('keeps no more rows than the board has hosts: when every row changes, a client more than a cycle behind gets a snapshot', () => {
    const board = new StatusBoard();
    for (let n = 0; n < 10; n++) cycle(board, n, () => n + 1);
    expect(board.eventsSince(9)?.map((event) => [event.id, event.changed.length])).to.deep.equal([[10, 100]]);
    expect(board.eventsSince(8)).to.equal(null);
    // Half the rows change (the other half keeps last cycle's RTT): two events fit in the budget of 100 rows.
    for (let n = 10; n < 14; n++) cycle(board, n, (host) => (hosts.indexOf(host) % 2 === n % 2 ? n : n - 1));
    expect(board.eventsSince(12)?.map((event) => event.changed.length)).to.deep.equal([50, 50]);
    expect(board.eventsSince(11)).to.equal(null);
  });
});
