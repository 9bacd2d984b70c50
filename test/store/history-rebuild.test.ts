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
});
