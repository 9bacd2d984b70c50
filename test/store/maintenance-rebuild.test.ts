import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { rebuildFromHistory } from '../../lib/store/history-rebuild.js';
import { formatRecord, type NewHistoryRecord } from '../../lib/store/history-record.js';
import { FakeLog } from '../fakes/fake-log.js';

const state = (at: string, host: string, to: 'UP' | 'DOWN' | 'MAINTENANCE', from: string): NewHistoryRecord =>
  ({
    kind: 'state',
    at,
    host,
    state: to,
    from,
    attempts: 1,
    rtt_ms: null,
    interval_s: 60,
  }) as NewHistoryRecord;

describe('store/history-rebuild: acks and maintenance survive a restart', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-mrebuild-'));
    await mkdir(path.join(root, 'history'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  async function rebuilt(records: NewHistoryRecord[]) {
    await writeFile(path.join(root, 'history', 'history-2026-11.jsonl'), records.map(formatRecord).join(''));
    return (await rebuildFromHistory(path.join(root, 'history'), new FakeLog())).states;
  }

  it('keeps the ack of the open outage, and drops it once the host was back', async () => {
    const states = await rebuilt([
      state('2026-11-10T08:00:00.000Z', 'a', 'DOWN', 'UP'),
      state('2026-11-10T08:00:00.000Z', 'b', 'DOWN', 'UP'),
      {
        kind: 'ack',
        at: '2026-11-10T08:05:00.000Z',
        host: 'a',
        since: '2026-11-10T08:00:00.000Z',
        note: 'on it',
      },
      {
        kind: 'ack',
        at: '2026-11-10T08:05:00.000Z',
        host: 'b',
        since: '2026-11-10T08:00:00.000Z',
        note: null,
      },
      state('2026-11-10T08:10:00.000Z', 'b', 'UP', 'DOWN'),
      // Its RESTORED was stored (without this record the restart would owe it one and keep the outage).
      { kind: 'alert', at: '2026-11-10T08:10:00.000Z', host: 'b', alert: 'RESTORED' },
    ]);
    expect(states.get('a')?.ack).to.deep.equal({ at: new Date('2026-11-10T08:05:00.000Z'), note: 'on it' });
    expect(states.get('b')?.ack).to.equal(undefined);
  });

  it('resumes MAINTENANCE with the failing start of its last maintenance record', async () => {
    const states = await rebuilt([
      state('2026-11-10T08:00:00.000Z', 'a', 'MAINTENANCE', 'UP'),
      {
        kind: 'maintenance',
        at: '2026-11-10T08:03:00.000Z',
        host: 'a',
        failing_since: '2026-11-10T08:02:59.000Z',
      },
      state('2026-11-10T08:00:00.000Z', 'b', 'MAINTENANCE', 'UP'),
      {
        kind: 'maintenance',
        at: '2026-11-10T08:03:00.000Z',
        host: 'b',
        failing_since: '2026-11-10T08:02:59.000Z',
      },
      { kind: 'maintenance', at: '2026-11-10T08:04:00.000Z', host: 'b', failing_since: null },
    ]);
    expect(states.get('a')?.status).to.equal('MAINTENANCE');
    expect(states.get('a')?.pending).to.deep.equal({
      toward: 'DOWN',
      cycles: 1,
      since: new Date('2026-11-10T08:02:59.000Z'),
    });
    expect(states.get('b')?.pending).to.equal(undefined);
  });
});
