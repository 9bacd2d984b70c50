import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { actionMemoryFrom } from '../../lib/store/action-memory-rebuild.js';
import { formatRecord, type NewHistoryRecord } from '../../lib/store/history-record.js';
import {
  rebuildFromHistory,
  type ActionHistory,
  type RecordedCycle,
} from '../../lib/store/history-rebuild.js';
import { FakeLog } from '../fakes/fake-log.js';
import { testTarget } from '../fakes/fake-config.js';

const T0 = Date.UTC(2026, 10, 22, 13, 0, 0);
const t = (seconds: number) => T0 + seconds * 1000;
const targets = [
  testTarget('10.0.0.1', { cyclePlug: 'Modem' }),
  testTarget('9.9.9.9', { cyclePlug: 'modem' }),
];

function history(options: {
  up?: Record<string, number>;
  cycles?: RecordedCycle[];
  gaveUpAt?: number;
}): ActionHistory {
  const up = options.up ?? {};
  return {
    seenUp: new Set(Object.keys(up)),
    lastUpAt: new Map(Object.entries(up)),
    cycles: new Map([['modem', options.cycles ?? []]]),
    gaveUpAt: options.gaveUpAt === undefined ? new Map() : new Map([['modem', options.gaveUpAt]]),
  };
}

const plugOf = (h: ActionHistory) => actionMemoryFrom(h, targets, { maxPerOutage: 2 }).plugs.get('modem')!;

describe('store: the power-cycle memory of a cron run, rebuilt from the history', () => {
  it('an empty history: not armed, nothing counted, not given up', () => {
    expect(plugOf(history({}))).to.deep.include({
      attempts: 0,
      lastStartAt: null,
      gaveUp: false,
      armed: false,
    });
  });

  it('armed only when every trigger was recorded UP', () => {
    expect(plugOf(history({ up: { '10.0.0.1': t(0) } })).armed).to.equal(false);
    expect(plugOf(history({ up: { '10.0.0.1': t(0), '9.9.9.9': t(0) } })).armed).to.equal(true);
  });

  it('counts the cycles since a trigger last became UP, the last start for the gap', () => {
    const plug = plugOf(
      history({
        up: { '10.0.0.1': t(100), '9.9.9.9': t(0) },
        cycles: [
          { at: t(50), attempt: 1, result: 'restored' },
          { at: t(200), attempt: 1, result: 'not-restored' },
        ],
      }),
    );
    expect(plug).to.deep.include({ attempts: 1, gaveUp: false, lastStartAt: new Date(t(200)) });
  });

  it('given up: the limit reached without the link, or a gave-up mark after the last UP', () => {
    const cycles: RecordedCycle[] = [
      { at: t(200), attempt: 1, result: 'not-restored' },
      { at: t(300), attempt: 2, result: 'plug-failed', error: 'no answer' },
    ];
    const up = { '10.0.0.1': t(0), '9.9.9.9': t(0) };
    expect(plugOf(history({ up, cycles }))).to.deep.include({
      attempts: 2,
      gaveUp: true,
      plugError: 'no answer',
    });
    expect(plugOf(history({ up, cycles: cycles.slice(0, 1), gaveUpAt: t(250) })).gaveUp).to.equal(true);
    // A mark from an earlier outage does not count.
    expect(plugOf(history({ up: { ...up, '9.9.9.9': t(400) }, gaveUpAt: t(250) })).gaveUp).to.equal(false);
  });
});

describe('store: power-cycle counters rebuilt across a month boundary', () => {
  let dir = '';
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pingwarden-months-')), 'history');
    await mkdir(dir, { recursive: true });
  });
  afterEach(async () => rm(path.dirname(dir), { recursive: true, force: true }));

  const cycle = (at: string, attempt: number): NewHistoryRecord => ({
    kind: 'action',
    at,
    action: 'power-cycle',
    plug: 'Modem',
    hosts: ['10.0.0.1', '9.9.9.9'],
    attempt,
    max: 3,
    result: 'not-restored',
  });
  const state = (at: string, host: string, to: 'UP' | 'DOWN'): NewHistoryRecord =>
    ({
      kind: 'state',
      at,
      host,
      state: to,
      from: to === 'UP' ? 'UNKNOWN' : 'UP',
      attempts: 1,
      rtt_ms: null,
    }) as NewHistoryRecord;

  it('an outage that began last month keeps the cycles it had, and its triggers stay armed', async () => {
    // November: both WAN anchors up, then down at 23:50, one power cycle at 23:52.
    const november: NewHistoryRecord[] = [
      { kind: 'snapshot', at: '2026-11-30T23:00:00.000Z', hosts: {} },
      state('2026-11-30T23:00:00.000Z', '10.0.0.1', 'UP'),
      state('2026-11-30T23:00:00.000Z', '9.9.9.9', 'UP'),
      state('2026-11-30T23:50:00.000Z', '10.0.0.1', 'DOWN'),
      state('2026-11-30T23:50:00.000Z', '9.9.9.9', 'DOWN'),
      cycle('2026-11-30T23:52:00.000Z', 1),
    ];
    // December's file opens with a snapshot of the outage, then the second cycle.
    const down = { state: 'DOWN', since: '2026-11-30T23:50:00.000Z' };
    const december: NewHistoryRecord[] = [
      { kind: 'snapshot', at: '2026-12-01T00:00:00.000Z', hosts: { '10.0.0.1': down, '9.9.9.9': down } },
      cycle('2026-12-01T00:05:00.000Z', 2),
    ] as NewHistoryRecord[];
    await writeFile(path.join(dir, 'history-2026-11.jsonl'), november.map(formatRecord).join(''));
    await writeFile(path.join(dir, 'history-2026-12.jsonl'), december.map(formatRecord).join(''));
    const rebuilt = await rebuildFromHistory(dir, new FakeLog(), new Date('2026-12-01T00:10:00Z'));
    const memory = actionMemoryFrom(rebuilt.actions, targets, { maxPerOutage: 3 }).plugs.get('modem')!;
    expect(memory.attempts, 'both cycles of this outage').to.equal(2);
    expect(memory.armed).to.equal(true);
    expect(memory.lastStartAt?.toISOString()).to.equal('2026-12-01T00:05:00.000Z');
    expect(memory.gaveUp).to.equal(false);
    expect(rebuilt.states.get('10.0.0.1')?.status).to.equal('DOWN');
  });
});
