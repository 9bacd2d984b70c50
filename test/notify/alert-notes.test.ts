import { expect } from 'chai';

import type { Alert } from '../../lib/monitor/alert.js';
import { AlertNotes } from '../../lib/notify/alert-notes.js';
import { NotedSink } from '../../lib/notify/noted-sink.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';

function alert(host: string, kind: Alert['kind'] = 'DOWN'): Alert {
  return {
    kind,
    target: { host, description: '', location: '' },
    at: new Date('2026-01-01T00:01:00Z'),
    downSince: new Date('2026-01-01T00:00:00Z'),
    durationMs: 60_000,
    attempts: 3,
    lastRttMs: null,
  };
}

describe('AlertNotes and NotedSink', () => {
  it('gives every notifier the same notes for one alert, and each note to one alert only', async () => {
    const notes = new AlertNotes();
    const email = new FakeNotifier('email');
    const log = new FakeNotifier('log');
    const sinks = [new NotedSink(log, notes), new NotedSink(email, notes)];
    notes.add(['a', 'b'], 'power cycle 1/2 of Modem started');

    const first = alert('a');
    for (const sink of sinks) await sink.send(first);
    expect(sinks.map((s) => s.name)).to.deep.equal(['log', 'email']);
    expect(log.sent[0]!.notes).to.deep.equal(['power cycle 1/2 of Modem started']);
    expect(email.sent[0]!.notes).to.deep.equal(['power cycle 1/2 of Modem started']);

    const next = alert('a', 'REMINDER');
    for (const sink of sinks) await sink.send(next);
    expect(email.sent[1]!.notes, 'taken by the first alert').to.equal(undefined);
    expect(notes.pendingFor('b')).to.deep.equal(['power cycle 1/2 of Modem started']);
  });

  it('replaces a pending note with the same key', () => {
    const notes = new AlertNotes();
    notes.add(['a'], 'power cycle 1/2 of Modem started', 'cycle:modem:1');
    notes.add(['a'], 'lamp note');
    notes.add(['a'], 'power cycle 1/2 of Modem: link restored', 'cycle:modem:1');
    expect(notes.pendingFor('a')).to.deep.equal(['lamp note', 'power cycle 1/2 of Modem: link restored']);
  });

  it('keeps at most ten notes per host', () => {
    const notes = new AlertNotes();
    for (let i = 1; i <= 12; i++) notes.add(['a'], `note ${i}`);
    expect(notes.pendingFor('a')).to.have.length(10);
    expect(notes.pendingFor('a')[0]).to.equal('note 3');
  });

  it('adds the notes to every alert of a batch, and offers a batch entry only when the inner sink has one', async () => {
    const notes = new AlertNotes();
    const batches: Alert[][] = [];
    const batchSink = {
      name: 'outbox',
      send: () => Promise.reject(new Error('the batch entry must be used')),
      sendBatch: async (batch: { alerts: readonly Alert[] }) => {
        batches.push([...batch.alerts]);
      },
    };
    const noted = new NotedSink(batchSink, notes);
    notes.add(['a'], 'power cycle 1/2 of Modem started');
    await noted.sendBatch!({
      at: new Date(0),
      alerts: [alert('a'), alert('b')],
      hosts: 2,
      down: [],
      unreachable: 0,
    });
    expect(batches.map((alerts) => alerts.map((a) => a.notes))).to.deep.equal([
      [['power cycle 1/2 of Modem started'], undefined],
    ]);
    expect(new NotedSink(new FakeNotifier('log'), notes).sendBatch).to.equal(undefined);
  });
});
