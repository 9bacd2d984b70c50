import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { rebuildFromHistory } from '../../lib/store/history-rebuild.js';
import { formatRecord, type NewHistoryRecord } from '../../lib/store/history-record.js';
import { FakeLog } from '../fakes/fake-log.js';

describe('store/history-rebuild', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pingwarden-rebuild-')), 'history');
    await mkdir(dir, { recursive: true });
  });
  afterEach(async () => rm(path.dirname(dir), { recursive: true, force: true }));

  async function rebuilt(records: NewHistoryRecord[]) {
    await writeFile(path.join(dir, 'history-2026-11.jsonl'), records.map(formatRecord).join(''));
    return (await rebuildFromHistory(dir, new FakeLog())).states;
  }

  const start: NewHistoryRecord = {
    kind: 'start',
    at: '2026-11-10T08:00:00.000Z',
    mode: 'daemon',
    interval_s: 60,
    alive_s: 180,
    hosts: 2,
    pid: 1,
  };
  const state = (at: string, host: string, to: 'UP' | 'DOWN' | 'UNREACHABLE', from = 'UP' as const) =>
    ({
      kind: 'state',
      at,
      host,
      state: to,
      from,
      attempts: 3,
      rtt_ms: to === 'UP' ? 1.5 : null,
      interval_s: 60,
    }) as const;

  const downAlert: NewHistoryRecord = {
    kind: 'alert',
    at: '2026-11-10T08:01:00.000Z',
    host: 'router',
    alert: 'DOWN',
  };

  // Issue 13: a DOWN held in memory (the outbox could not store it) was lost for good when the monitor died:
  // the history had the outage, so the restart resumed it as already announced.
  it('resumes a DOWN with no alert record after it as a confirmed failure, so its DOWN is sent', async () => {
    const states = await rebuilt([
      start,
      state('2026-11-10T08:01:00.000Z', 'router', 'DOWN'),
      state('2026-11-10T08:01:00.000Z', 'switch', 'DOWN'),
      { kind: 'alert', at: '2026-11-10T08:01:00.000Z', host: 'switch', alert: 'DOWN' },
      { kind: 'alert', at: '2026-11-10T08:05:00.000Z', host: 'router', alert: 'RESTORED' },
      state('2026-11-10T08:06:00.000Z', 'router', 'UP'),
      state('2026-11-10T08:07:00.000Z', 'router', 'DOWN'),
      // A month snapshot is written from memory, where a held DOWN counts as alerted.
      {
        kind: 'snapshot',
        at: '2026-11-10T08:08:00.000Z',
        hosts: {
          router: {
            state: 'DOWN',
            since: '2026-11-10T08:07:00.000Z',
            last_alert_at: '2026-11-10T08:07:00.000Z',
            rtt_ms: 1.5,
          },
          switch: {
            state: 'DOWN',
            since: '2026-11-10T08:01:00.000Z',
            last_alert_at: '2026-11-10T08:01:00.000Z',
            rtt_ms: null,
          },
        },
      },
    ]);
    expect(states.get('router')).to.deep.equal({
      status: 'UNKNOWN',
      since: null,
      lastAlertAt: null,
      lastRttMs: 1.5,
      pending: {
        toward: 'DOWN',
        cycles: Number.MAX_SAFE_INTEGER - 1,
        since: new Date('2026-11-10T08:07:00.000Z'),
      },
    });
    expect(states.get('switch')).to.deep.include({
      status: 'DOWN',
      lastAlertAt: new Date('2026-11-10T08:01:00.000Z'),
    });
  });

  it('resumes an escalated outage as escalated (no second ESCALATION after a restart), from records or a snapshot', async () => {
    const states = await rebuilt([
      start,
      state('2026-11-10T08:01:00.000Z', 'router', 'DOWN'),
      downAlert,
      { kind: 'alert', at: '2026-11-10T08:31:00.000Z', host: 'router', alert: 'ESCALATION' },
      state('2026-11-10T08:02:00.000Z', 'switch', 'DOWN'),
      { kind: 'alert', at: '2026-11-10T08:02:00.000Z', host: 'switch', alert: 'DOWN' },
    ]);
    expect(states.get('router')?.escalatedAt).to.deep.equal(new Date('2026-11-10T08:31:00.000Z'));
    expect(states.get('switch')?.escalatedAt).to.equal(undefined);

    const fromSnapshot = await rebuilt([
      {
        kind: 'snapshot',
        at: '2026-11-10T09:00:00.000Z',
        hosts: {
          router: {
            state: 'DOWN',
            since: '2026-11-10T08:01:00.000Z',
            last_alert_at: '2026-11-10T08:51:00.000Z',
            rtt_ms: null,
            escalated_at: '2026-11-10T08:31:00.000Z',
          },
        },
      },
    ]);
    expect(fromSnapshot.get('router')?.escalatedAt).to.deep.equal(new Date('2026-11-10T08:31:00.000Z'));
  });

  it('resumes an UNREACHABLE child from state records as UNREACHABLE, with its since and no alert', async () => {
    const states = await rebuilt([
      start,
      state('2026-11-10T08:01:00.000Z', 'parent', 'DOWN'),
      { kind: 'alert', at: '2026-11-10T08:01:00.000Z', host: 'parent', alert: 'DOWN' },
      state('2026-11-10T08:01:00.000Z', 'child', 'UNREACHABLE'),
      { kind: 'alert', at: '2026-11-10T08:11:00.000Z', host: 'parent', alert: 'REMINDER' },
    ]);
    expect(states.get('child')).to.deep.equal({
      status: 'UNREACHABLE',
      since: new Date('2026-11-10T08:01:00.000Z'),
      lastAlertAt: null,
      lastRttMs: null,
    });
    expect(states.get('parent')).to.deep.include({
      status: 'DOWN',
      since: new Date('2026-11-10T08:01:00.000Z'),
      lastAlertAt: new Date('2026-11-10T08:11:00.000Z'),
    });
  });

  it('resumes every status of a snapshot as it is: UNREACHABLE with its since, DOWN with its last alert', async () => {
    const states = await rebuilt([
      start,
      {
        kind: 'snapshot',
        at: '2026-11-10T09:00:00.000Z',
        hosts: {
          parent: {
            state: 'DOWN',
            since: '2026-11-10T08:01:00.000Z',
            last_alert_at: '2026-11-10T08:51:00.000Z',
            rtt_ms: 2,
          },
          child: { state: 'UNREACHABLE', since: '2026-11-10T08:02:00.000Z', last_alert_at: null, rtt_ms: 3 },
          other: { state: 'UP', since: '2026-11-10T08:00:00.000Z', last_alert_at: null, rtt_ms: 1 },
        },
      },
    ]);
    expect(states.get('parent')).to.deep.equal({
      status: 'DOWN',
      since: new Date('2026-11-10T08:01:00.000Z'),
      lastAlertAt: new Date('2026-11-10T08:51:00.000Z'),
      lastRttMs: 2,
    });
    expect(states.get('child')).to.deep.equal({
      status: 'UNREACHABLE',
      since: new Date('2026-11-10T08:02:00.000Z'),
      lastAlertAt: null,
      lastRttMs: 3,
    });
    expect(states.get('other')?.status).to.equal('UP');
  });

  it('resumes a status this version does not know (a newer writer) as UNKNOWN', async () => {
    const line = JSON.stringify({
      v: 1,
      kind: 'state',
      at: '2026-11-10T08:01:00.000Z',
      host: 'x',
      state: 'SOMEDAY',
      from: 'UP',
      attempts: 3,
      rtt_ms: null,
      interval_s: 60,
    });
    await writeFile(path.join(dir, 'history-2026-11.jsonl'), `${formatRecord(start)}${line}\n`);
    const states = (await rebuildFromHistory(dir, new FakeLog())).states;
    expect(states.get('x')).to.deep.equal({
      status: 'UNKNOWN',
      since: null,
      lastAlertAt: null,
      lastRttMs: null,
    });
  });

  // Item 4 of issue 13: a snapshot entry `null` crashed the fold ("unexpected error (a bug)" in `once`).
  it('skips a damaged snapshot with a warning naming file and line, resuming from the records around it', async () => {
    const file = path.join(dir, 'history-2026-11.jsonl');
    const lines = [
      formatRecord(start),
      formatRecord(state('2026-11-10T08:01:00.000Z', 'router', 'DOWN')),
      formatRecord(downAlert),
      '{"v":1,"kind":"snapshot","at":"2026-11-10T08:02:00.000Z","hosts":{"router":null}}\n',
      '{"v":1,"kind":"state","at":"2026-11-10T08:03:00.000Z","host":"x","state":7}\n',
      '{"v":1,"kind":"action","at":"2026-11-10T08:03:00.000Z","action":"cycle","hosts":[null],"result":"ok"}\n',
    ];
    await writeFile(file, lines.join(''));
    const log = new FakeLog();
    const { states } = await rebuildFromHistory(dir, log);
    expect(states.get('router')).to.deep.include({
      status: 'DOWN',
      since: new Date('2026-11-10T08:01:00.000Z'),
    });
    expect(states.has('x')).to.equal(false);
    expect(log.lines.filter((line) => line.startsWith('WARN'))).to.deep.equal([
      `WARN history: skipped an unreadable line file=${file} line=4`,
      `WARN history: skipped an unreadable line file=${file} line=5`,
      `WARN history: skipped an unreadable line file=${file} line=6`,
    ]);
  });

  it('skips a month "file" that is a folder with a warning instead of throwing', async () => {
    await mkdir(path.join(dir, 'history-2026-12.jsonl'));
    await writeFile(
      path.join(dir, 'history-2026-11.jsonl'),
      [start, state('2026-11-10T08:01:00.000Z', 'router', 'DOWN'), downAlert].map(formatRecord).join(''),
    );
    const log = new FakeLog();
    const { states } = await rebuildFromHistory(dir, log);
    expect(states.get('router')?.status).to.equal('DOWN');
    expect(log.lines).to.include(
      `WARN history: skipped, not a regular file file=${path.join(dir, 'history-2026-12.jsonl')}`,
    );
  });

  // Item 3 of issue 13: a future month file took over resume, and future records inside the month decided
  // states (a RESTORED for a host never down, "Down since +275760-09-13").
  it('resumes from records at or before now; future ones are counted in one warning and ignored', async () => {
    const snapshot = (at: string, status: 'UP' | 'DOWN'): NewHistoryRecord => ({
      kind: 'snapshot',
      at,
      hosts: { router: { state: status, since: at, last_alert_at: null, rtt_ms: null } },
    });
    await writeFile(
      path.join(dir, 'history-2026-11.jsonl'),
      [
        start,
        state('2026-11-10T08:01:00.000Z', 'router', 'DOWN'),
        downAlert,
        state('2026-11-20T08:00:00.000Z', 'router', 'UP'),
        { ...state('+275760-09-13T00:00:00.000Z', 'switch', 'DOWN') },
      ]
        .map(formatRecord)
        .join(''),
    );
    await writeFile(
      path.join(dir, 'history-2027-03.jsonl'),
      [snapshot('2027-03-01T00:00:00.000Z', 'UP'), state('2027-03-02T00:00:00.000Z', 'router', 'UP')]
        .map(formatRecord)
        .join(''),
    );
    const log = new FakeLog();
    const { states, session } = await rebuildFromHistory(dir, log, new Date('2026-11-15T00:00:00.000Z'));
    expect(states.get('router')).to.deep.include({
      status: 'DOWN',
      since: new Date('2026-11-10T08:01:00.000Z'),
    });
    expect(states.has('switch')).to.equal(false);
    expect(session.lastMarkAt).to.deep.equal(new Date('2026-11-10T08:01:00.000Z'));
    expect(log.lines.filter((line) => line.startsWith('WARN'))).to.deep.equal([
      'WARN history: 4 records dated after now; the clock may have jumped',
    ]);
  });
});
