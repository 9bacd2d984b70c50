import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { availabilitySeed } from '../../../lib/app/build-listeners.js';
import { HistoryWriter } from '../../../lib/store/history-writer.js';
import { FakeLog } from '../../fakes/fake-log.js';

import { DEFAULT_SETTINGS } from '../../../lib/config/settings-table.js';
import type { Config } from '../../../lib/config/types.js';
import type { Target } from '../../../lib/config/target.js';
import type { HostState, HostStatus } from '../../../lib/monitor/host-state.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { StatusBoard, type StatusEvent } from '../../../lib/server/status/status-board.js';
import {
  AvailabilityBook,
  type AvailabilitySeed,
  type AvailabilitySpan,
} from '../../../lib/server/status/availability-book.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testTarget } from '../../fakes/fake-config.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const A = '198.18.0.1';
const B = '198.18.0.2';

/** Drives a book cycle by cycle with a fake clock; each host's status and since are set per cycle. */
class Rig {
  readonly clock = new FakeClock(new Date('2026-03-10T12:00:00Z'));
  private readonly since = new Map<string, Date>();
  private readonly last = new Map<string, HostStatus>();
  targets: Target[] = [testTarget(A), testTarget(B)];

  constructor(readonly book: AvailabilityBook) {}

  /** One cycle at the clock's time; a host not named stays as it was (UP at first). */
  cycle(statuses: Readonly<Record<string, HostStatus>> = {}, since: Readonly<Record<string, Date>> = {}) {
    const states = new Map<string, HostState>();
    for (const target of this.targets) {
      const status = statuses[target.id] ?? this.last.get(target.id) ?? 'UP';
      if (status !== this.last.get(target.id))
        this.since.set(target.id, since[target.id] ?? this.clock.now());
      this.last.set(target.id, status);
      states.set(target.id, {
        status,
        since: this.since.get(target.id) ?? null,
        lastAlertAt: null,
        lastRttMs: null,
      });
    }
    this.book.cycleFinished({
      at: this.clock.now(),
      config: {
        targets: this.targets,
        settings: { ...DEFAULT_SETTINGS, intervalSeconds: 60 },
        smtp: null,
        warnings: [],
      } satisfies Config,
      results: [],
      changes: [],
      removed: [],
      alerts: [],
      states,
      summary: {},
    } as unknown as CycleReport);
  }

  /** `n` cycles one minute apart, the first one minute from now. */
  run(n: number, statuses: Readonly<Record<string, HostStatus>> = {}) {
    for (let i = 0; i < n; i++) {
      this.clock.advance(MIN);
      this.cycle(statuses);
    }
  }
}

describe('AvailabilityBook: 24 h / 7 d / 30 d per host, history once plus the cycles since', () => {
  it('counts the time between cycles by status, split where a status changed', () => {
    const rig = new Rig(new AvailabilityBook());
    rig.cycle();
    // Nothing counted before a second cycle: the first one only says where counting starts.
    expect(rig.book.forHost(A)).to.deep.equal([null, null, null]);
    rig.run(30);
    rig.run(10, { [A]: 'DOWN' });
    rig.run(60, { [A]: 'UP' });
    // 90 minutes up, 10 down: DOWN from the cycle that saw it to the cycle that saw it back.
    const a = rig.book.forHost(A)!;
    expect(a[0]).to.be.closeTo(90, 1e-9);
    expect(a).to.deep.equal([a[0], a[0], a[0]]);
    expect(rig.book.forHost(B)).to.deep.equal([100, 100, 100]);
    expect(rig.book.spansOf(A).map((s) => [s.kind, (s.end - s.start) / MIN])).to.deep.equal([
      ['up', 31],
      ['down', 10],
      ['up', 59],
    ]);
  });

  it('a DOWN confirmed cycles after its first failed attempt counts from that attempt', () => {
    const rig = new Rig(new AvailabilityBook());
    rig.cycle();
    rig.run(10);
    const firstFailure = new Date(rig.clock.now().getTime() - 3 * MIN);
    rig.clock.advance(MIN);
    rig.cycle({ [A]: 'DOWN' }, { [A]: firstFailure });
    expect(rig.book.spansOf(A).map((s) => [s.kind, (s.end - s.start) / MIN])).to.deep.equal([
      ['up', 7],
      ['down', 4],
    ]);
  });

  it('UNREACHABLE is down time, DEGRADED up time, FLAPPING and UNKNOWN neither (as the report counts)', () => {
    const rig = new Rig(new AvailabilityBook());
    rig.cycle({ [A]: 'DEGRADED', [B]: 'UNREACHABLE' });
    rig.run(10);
    rig.run(10, { [A]: 'FLAPPING', [B]: 'UNKNOWN' });
    expect(rig.book.forHost(A)).to.deep.equal([100, 100, 100]);
    expect(rig.book.forHost(B)).to.deep.equal([0, 0, 0]);
  });

  it('each window sees only its own time; older than 30 days is dropped', () => {
    const rig = new Rig(new AvailabilityBook());
    // Down for 61 minutes 3 days ago, then up: 24 h clean, 7 d and 30 d not.
    rig.cycle({ [A]: 'DOWN' });
    rig.run(60);
    rig.run(1, { [A]: 'UP' });
    for (let i = 0; i < 3 * 24 * 6; i++) {
      rig.clock.advance(10 * MIN);
      rig.cycle({ [A]: 'UP' });
    }
    const [day, week, month] = rig.book.forHost(A)!;
    expect(day).to.equal(100);
    expect(week).to.be.closeTo((100 * 4320) / (4320 + 61), 1e-9);
    expect(month).to.equal(week);
    // 31 days later the outage has left even the 30-day window.
    for (let i = 0; i < 31 * 24; i++) {
      rig.clock.advance(10 * MIN);
      rig.cycle();
      rig.clock.advance(50 * MIN);
      rig.cycle();
    }
    expect(rig.book.forHost(A)).to.deep.equal([100, 100, 100]);
    expect(rig.book.spansOf(A).length).to.be.at.most(31 * 24);
  });

  it('a gap longer than three intervals (and 10 minutes) is not known, not counted as the status before', () => {
    const rig = new Rig(new AvailabilityBook());
    rig.cycle();
    rig.run(10, { [A]: 'DOWN' });
    rig.clock.advance(2 * HOUR);
    rig.cycle({ [A]: 'DOWN' });
    rig.run(10, { [A]: 'UP' });
    expect(rig.book.forHost(A)![0]).to.equal(50);
    // The clock going back counts nothing either (the spans stay as they were).
    const before = [...rig.book.spansOf(A)];
    rig.clock.advance(-5 * MIN);
    rig.cycle();
    expect(rig.book.spansOf(A)).to.deep.equal(before);
  });

  it('reads the history once, up to its first cycle, and counts its own cycles after it', async () => {
    const calls: [string, string][] = [];
    const seed: AvailabilitySeed = (since, until) => {
      calls.push([since.toISOString(), until.toISOString()]);
      const t = until.getTime();
      const spans: AvailabilitySpan[] = [
        { start: t - 40 * DAY, end: t - 2 * DAY, kind: 'up' },
        { start: t - 2 * DAY, end: t - 2 * DAY + 6 * HOUR, kind: 'down' },
        // Past `until` (a report counting up to now): cut there, the cycles count the rest.
        { start: t - 2 * DAY + 6 * HOUR, end: t + HOUR, kind: 'up' },
      ];
      return Promise.resolve(new Map([[A, spans]]));
    };
    const rig = new Rig(new AvailabilityBook(seed));
    rig.cycle();
    await rig.book.ready();
    rig.run(60);
    await rig.book.ready();
    expect(calls).to.deep.equal([['2026-02-08T12:00:00.000Z', '2026-03-10T12:00:00.000Z']]);
    const [day, week, month] = rig.book.forHost(A)!;
    expect(day).to.equal(100);
    // 6 h down in 7 days (the seed's up time from 7 d ago, plus the hour of own cycles).
    expect(week).to.be.closeTo(100 * (1 - 6 / (7 * 24)), 1e-9);
    expect(month).to.be.closeTo(100 * (1 - 6 / (30 * 24)), 1e-9);
    expect(rig.book.forHost(B)).to.deep.equal([100, 100, 100]);
  });

  it('a history that cannot be read leaves the cycles counting, with a warning', async () => {
    const warnings: string[] = [];
    const log = {
      debug() {},
      info() {},
      warn: (message: string) => warnings.push(message),
      error() {},
    };
    const rig = new Rig(new AvailabilityBook(() => Promise.reject(new Error('EACCES')), log));
    rig.cycle();
    await rig.book.ready();
    rig.run(5);
    expect(rig.book.forHost(A)).to.deep.equal([100, 100, 100]);
    expect(warnings).to.deep.equal(['status page: could not read the history for availability']);
  });

  it('forgets a removed host; an unknown host has no availability', () => {
    const rig = new Rig(new AvailabilityBook());
    rig.cycle();
    rig.run(3);
    rig.targets = [testTarget(A)];
    rig.clock.advance(MIN);
    rig.book.cycleFinished({
      at: rig.clock.now(),
      config: {
        targets: rig.targets,
        settings: { ...DEFAULT_SETTINGS },
        smtp: null,
        warnings: [],
      } satisfies Config,
      results: [],
      changes: [],
      removed: [{ id: B }],
      alerts: [],
      states: new Map([[A, { status: 'UP', since: null, lastAlertAt: null, lastRttMs: null }]]),
      summary: {},
    } as unknown as CycleReport);
    expect(rig.book.forHost(B)).to.equal(undefined);
    expect(rig.book.spansOf(B)).to.deep.equal([]);
    expect(rig.book.forHost('203.0.113.9')).to.equal(undefined);
  });

  it('the board carries it per target and sends a row again when the shown availability changes', () => {
    const book = new AvailabilityBook();
    const board = new StatusBoard((id) => book.forId(id));
    const events: StatusEvent[] = [];
    board.subscribe((event) => events.push(event));
    const rig = new Rig({
      cycleFinished: (report: CycleReport) => {
        book.cycleFinished(report);
        board.cycleFinished(report);
      },
    } as unknown as AvailabilityBook);
    rig.cycle();
    rig.run(10);
    expect(board.get(A)?.availability).to.deep.equal({ '24h': 100, '7d': 100, '30d': 100 });
    rig.run(1, { [A]: 'DOWN' });
    // Found DOWN this cycle: no down time yet, but the status changed.
    expect(events.at(-1)?.changed.map((t) => [t.host, t.status, t.availability?.['24h']])).to.deep.equal([
      [A, 'DOWN', 100],
    ]);
    rig.run(1);
    // Same status, one minute down in twelve: the row shows a new number, so it is sent again.
    expect(events.at(-1)?.changed.map((t) => [t.host, t.availability?.['24h']])).to.deep.equal([[A, 91.667]]);
    rig.run(1, { [A]: 'UP' });
    rig.run(1);
    // B stays at 100 %, A's share changes every cycle: only A is sent.
    expect(events.at(-1)?.changed.map((t) => t.host)).to.deep.equal([A]);
  });

  it("the daemon's seed: a history written by the store, read through the report functions", async () => {
    const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pw-avail-')), 'history');
    try {
      const writer = new HistoryWriter({ dir, log: new FakeLog() });
      const state = (at: string, host: string, to: 'UP' | 'DOWN', from: 'UP' | 'DOWN' | 'UNKNOWN') => ({
        kind: 'state' as const,
        at,
        host,
        state: to,
        from,
        attempts: 1,
        rtt_ms: null,
        interval_s: 60,
      });
      await writer.append([
        {
          kind: 'start',
          at: '2026-03-08T12:00:00.000Z',
          mode: 'daemon',
          interval_s: 60,
          alive_s: 300,
          hosts: 2,
          pid: 1,
        },
        state('2026-03-08T12:00:00.000Z', A, 'UP', 'UNKNOWN'),
        state('2026-03-08T12:00:00.000Z', B, 'UP', 'UNKNOWN'),
        state('2026-03-09T12:00:00.000Z', A, 'DOWN', 'UP'),
        state('2026-03-09T18:00:00.000Z', A, 'UP', 'DOWN'),
      ]);
      await writer.append([{ kind: 'stop', at: '2026-03-10T12:00:00.000Z' }]);
      await writer.close();
      const rig = new Rig(new AvailabilityBook(availabilitySeed(dir, new FakeLog())));
      rig.cycle();
      await rig.book.ready();
      rig.run(60);
      // Two days of history with 6 h down, then the hour of its own cycles: 5 of those 6 h are within
      // the last 24 h (from 03-09 13:00).
      const [day, week] = rig.book.forHost(A)!;
      expect(day).to.be.closeTo(100 * (1 - 5 / 24), 1e-9);
      expect(week).to.be.closeTo(100 * (1 - 6 / 49), 1e-9);
      expect(rig.book.forHost(B)).to.deep.equal([100, 100, 100]);
    } finally {
      await rm(path.dirname(dir), { recursive: true, force: true });
    }
  });
});
