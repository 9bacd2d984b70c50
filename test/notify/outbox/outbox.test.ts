import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import type { Alert, AlertBatch } from '../../../lib/monitor/alert.js';
import { FileOutboxStore } from '../../../lib/notify/outbox/file-outbox-store.js';
import { Outbox } from '../../../lib/notify/outbox/outbox.js';
import { entryFromJson, entryToJson, type OutboxEntry } from '../../../lib/notify/outbox/outbox-entry.js';
import { retryDelayMs } from '../../../lib/notify/outbox/outbox-sender.js';
import { outboxTable } from '../../../lib/notify/outbox/outbox-table.js';
import { MemoryOutboxStore, type OutboxStore } from '../../../lib/notify/outbox/outbox-store.js';
import { parseRetryAfter } from '../../../lib/notify/parse-retry-after.js';
import { RateLimitedError } from '../../../lib/shared/errors.js';
import { FakeChannel } from '../../fakes/fake-channel.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { waitFor } from '../../support/wait-for.js';

const target = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6' };

function batch(at: Date, kind: Alert['kind'] = 'DOWN'): AlertBatch {
  const alert: Alert = {
    kind,
    target,
    at,
    downSince: at,
    durationMs: 0,
    attempts: 3,
    lastRttMs: 0.4,
  };
  return { at, alerts: [alert], hosts: 2, down: kind === 'RESTORED' ? [] : [target], unreachable: 0 };
}

function setup(channels: FakeChannel[], store: OutboxStore = new MemoryOutboxStore(), retryMaxMs = 60_000) {
  const clock = new FakeClock('2026-11-22T13:03:00Z');
  const log = new FakeLog();
  let next = 0;
  const outbox = new Outbox({
    store,
    notifiers: channels,
    clock,
    log,
    policy: () => ({ retryMaxMs, expireMs: 48 * 3600_000 }),
    newId: () => `m${++next}`,
  });
  return { clock, log, outbox, store };
}

describe('notify/outbox', () => {
  it('backs off 1 s, 2 s, 4 s ... up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => retryDelayMs(n, 60_000))).to.deep.equal([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });

  it('reads Retry-After as seconds, fractions or an HTTP date', () => {
    const now = new Date('2026-11-22T13:00:00Z');
    const cases: [string | null, number | null][] = [
      ['3', 3000],
      ['0.35', 350],
      ['Sun, 22 Nov 2026 13:00:10 GMT', 10_000],
      ['soon', null],
      [null, null],
    ];
    for (const [value, ms] of cases) expect(parseRetryAfter(value, now), String(value)).to.equal(ms);
  });

  // Item 1 of issue 13: a failed store (disk full) must leave no `.tmp` and a retry must not duplicate.
  it('a batch whose store failed for one notifier is stored again under the same id, only where missing', async () => {
    const inner = new MemoryOutboxStore();
    let refuse = true;
    const store: OutboxStore = {
      put: async (entry) => {
        if (refuse && entry.notifier === 'discord') {
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        }
        await inner.put(entry);
      },
      remove: (notifier, id) => inner.remove(notifier, id),
      list: (notifier) => inner.list(notifier),
      listAll: () => inner.listAll(),
    };
    const { clock, outbox } = setup([new FakeChannel('email'), new FakeChannel('discord')], store);
    const held = batch(clock.now());
    let failed = false;
    await outbox.sendBatch(held).catch(() => (failed = true));
    expect(failed).to.equal(true);
    refuse = false;
    await outbox.sendBatch(held);
    expect((await inner.listAll()).map((e) => `${e.notifier} ${e.notification.id}`).sort()).to.deep.equal([
      'discord m1',
      'email m1',
    ]);
  });

  it('routed: one entry per delivery with its recipients, kept on disk, stored again only where missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-outbox-route-'));
    try {
      const file = new FileOutboxStore(dir, new FakeLog());
      let refuse = true;
      const store: OutboxStore = {
        put: async (entry) => {
          if (refuse && entry.notifier === 'ntfy') throw new Error('ENOSPC: no space left on device');
          await file.put(entry);
        },
        remove: (notifier, id) => file.remove(notifier, id),
        list: (notifier) => file.list(notifier),
        listAll: () => file.listAll(),
      };
      const clock = new FakeClock('2026-11-22T13:03:00Z');
      const held = batch(clock.now());
      let routed = 0;
      const outbox = new Outbox({
        store,
        notifiers: ['email', 'sms', 'ntfy'].map((name) => new FakeChannel(name)),
        clock,
        log: new FakeLog(),
        policy: () => ({ retryMaxMs: 60_000, expireMs: 48 * 3600_000 }),
        newId: () => 'm1',
        route: (routedBatch) => {
          routed++;
          const [alert] = routedBatch.alerts;
          return {
            deliveries: [
              { notifier: 'email', alerts: [alert!], overview: 'o1', recipients: ['b7@example.com'] },
              { notifier: 'email', alerts: [alert!], overview: 'o2', recipients: ['ops@example.com'] },
              { notifier: 'sms', alerts: [alert!], overview: 'o1', recipients: ['5551234@txt.example'] },
              { notifier: 'ntfy', alerts: [alert!], overview: 'o2' },
            ],
            quieted: [],
          };
        },
      });
      let failed = false;
      await outbox.sendBatch(held).catch(() => (failed = true));
      expect(failed).to.equal(true);
      refuse = false;
      await outbox.sendBatch(held);
      // Routed once: a retry keeps the routing (and the ids) of the first attempt.
      expect(routed).to.equal(1);
      // Read back from disk as a restart would: every entry knows its recipients.
      const entries = await new FileOutboxStore(dir, new FakeLog()).listAll();
      expect(
        entries.map(
          (e) => `${e.notifier} ${e.notification.id} ${e.notification.recipients?.join(' ') ?? '-'}`,
        ),
      ).to.deep.equal([
        'email m1 b7@example.com',
        'email m1-2 ops@example.com',
        'ntfy m1 -',
        'sms m1 5551234@txt.example',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves no .tmp behind when a message cannot be stored', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-outbox-tmp-'));
    try {
      const store = new FileOutboxStore(dir, new FakeLog());
      // The real name is taken by a folder: the rename fails after the temporary file was written.
      await mkdir(path.join(dir, 'email', 'm1.json'), { recursive: true });
      const { clock, outbox } = setup([new FakeChannel('email')], store);
      let failed = false;
      await outbox.sendBatch(batch(clock.now())).catch(() => (failed = true));
      expect(failed).to.equal(true);
      expect(await readdir(path.join(dir, 'email'))).to.deep.equal(['m1.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('removes leftover .tmp files at the first look, and only names them when read-only', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pw-outbox-left-'));
    try {
      await mkdir(path.join(dir, 'email'));
      const leftover = path.join(dir, 'email', 'm9.json.tmp');
      await writeFile(leftover, '');
      const looking = new FakeLog();
      expect(await new FileOutboxStore(dir, looking, { readOnly: true }).listAll()).to.deep.equal([]);
      expect(looking.lines).to.deep.equal([
        `WARN outbox: leftover temporary file (a write cut short; removed at the next start) file=${leftover}`,
      ]);
      const log = new FakeLog();
      await new FileOutboxStore(dir, log).listAll();
      expect(await readdir(path.join(dir, 'email'))).to.deep.equal([]);
      expect(log.lines).to.deep.equal([
        `WARN outbox: removed a leftover temporary file (a write cut short) file=${leftover}`,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores a message for every enabled notifier before anything is sent', async () => {
    const email = new FakeChannel('email');
    const discord = new FakeChannel('discord');
    discord.isEnabled = false;
    const { clock, outbox, store } = setup([email, discord]);
    await outbox.sendBatch(batch(clock.now()));
    expect((await store.listAll()).map((e) => `${e.notifier} ${e.notification.id}`)).to.deep.equal([
      'email m1',
    ]);
    expect(email.attempts, 'not started: nothing sent yet').to.deep.equal([]);
    outbox.start();
    await waitFor(() => email.delivered.length === 1, 'the delivery');
    await outbox.stop();
    expect(await store.listAll(), 'marked sent').to.deep.equal([]);
    expect(discord.attempts).to.deep.equal([]);
  });

  it('retries a failing notifier with capped backoff, then delivers every message once, in order', async () => {
    const email = new FakeChannel('email');
    email.failWith = new Error('connect ECONNREFUSED 127.0.0.1:25');
    const { clock, log, outbox, store } = setup([email], new MemoryOutboxStore(), 3000);
    outbox.start();
    await outbox.sendBatch(batch(clock.now()));
    const waits: number[] = [];
    for (const wait of [1000, 2000, 3000, 3000]) {
      await waitFor(
        () => clock.pendingSleeps === 1 && email.attempts.length === waits.length + 1,
        'a retry wait',
      );
      waits.push(wait);
      if (waits.length === 2) await outbox.sendBatch(batch(clock.now(), 'RESTORED'));
      if (waits.length === 4) {
        const queued = await store.list('email');
        expect(queued.map((e) => [e.notification.id, e.attempts, e.lastError])).to.deep.equal([
          ['m1', 4, 'connect ECONNREFUSED 127.0.0.1:25'],
          ['m2', 0, null],
        ]);
        email.failWith = null;
      }
      clock.advance(wait);
    }
    expect(log.matching('WARN outbox send failed').map((l) => /retry_in_s=(\S+)/.exec(l)?.[1])).to.deep.equal(
      ['1', '2', '3', '3'],
    );
    await waitFor(() => email.delivered.length === 2, 'both messages');
    await outbox.stop();
    expect(email.attempts).to.deep.equal(['m1#1', 'm1#2', 'm1#3', 'm1#4', 'm1#5', 'm2#1']);
    expect(email.delivered.map((d) => d.notification.alerts[0]!.kind)).to.deep.equal(['DOWN', 'RESTORED']);
    expect(
      email.delivered.map((d) => d.context.queued),
      'both say they waited: m2 was held back by m1',
    ).to.deep.equal([true, true]);
    expect(await store.listAll()).to.deep.equal([]);
  });

  it('keeps notifiers apart: a dead one never holds another back', async () => {
    const email = new FakeChannel('email');
    const discord = new FakeChannel('discord');
    discord.failWith = new Error('HTTP 502');
    const { clock, outbox } = setup([email, discord]);
    outbox.start();
    await outbox.sendBatch(batch(clock.now()));
    await outbox.sendBatch(batch(clock.now(), 'RESTORED'));
    await waitFor(() => email.delivered.length === 2, 'email while Discord fails');
    expect(discord.delivered).to.deep.equal([]);
    await outbox.stop();
  });

  it('waits as long as a 429 asks', async () => {
    const discord = new FakeChannel('discord');
    discord.failWith = new RateLimitedError('rate limited', 7_500, { status: 429 });
    const { clock, log, outbox } = setup([discord]);
    outbox.start();
    await outbox.sendBatch(batch(clock.now()));
    await waitFor(() => clock.pendingSleeps === 1 && discord.attempts.length === 1, 'the wait');
    expect(log.matching('WARN outbox send failed')[0]).to.include('retry_in_s=7.5');
    discord.failWith = null;
    clock.advance(7_499);
    expect(discord.delivered).to.have.length(0);
    clock.advance(1);
    await waitFor(() => discord.delivered.length === 1, 'the delivery after the wait');
    await outbox.stop();
  });

  it('drops a message older than the expiry, with an error log line', async () => {
    const email = new FakeChannel('email');
    const { clock, log, outbox, store } = setup([email]);
    await outbox.sendBatch(batch(clock.now()));
    clock.advance(48 * 3600_000);
    await outbox.deliverPending();
    expect(email.attempts).to.deep.equal([]);
    expect(await store.listAll()).to.deep.equal([]);
    expect(log.matching('ERROR outbox message expired')).to.deep.equal([
      'ERROR outbox message expired; dropped notifier=email id=m1 age="2d 0h 0m 0s" attempts=0 overview="1 of 2 hosts down: Cisco Router (10.1.1.254)"',
    ]);
  });

  it('stops with unsent messages kept, and a new outbox on the same store sends them', async () => {
    const store = new MemoryOutboxStore();
    const email = new FakeChannel('email');
    email.failWith = new Error('down');
    const first = setup([email], store);
    first.outbox.start();
    await first.outbox.sendBatch(batch(first.clock.now()));
    await waitFor(() => email.attempts.length === 1, 'one attempt');
    await first.outbox.stop();
    expect(await store.listAll()).to.have.length(1);

    email.failWith = null;
    const second = setup([email], store);
    await second.outbox.deliverPending();
    expect(email.attempts).to.deep.equal(['m1#1', 'm1#2']);
    expect(email.delivered[0]!.context.attempt).to.equal(2);
  });

  it('sends again with the same id when marking it sent failed (a crash between the two)', async () => {
    const inner = new MemoryOutboxStore();
    let failRemove = true;
    const flaky: OutboxStore = {
      put: (entry) => inner.put(entry),
      list: (notifier) => inner.list(notifier),
      listAll: () => inner.listAll(),
      remove: (notifier, id) => {
        if (!failRemove) return inner.remove(notifier, id);
        failRemove = false;
        return Promise.reject(new Error('disk gone'));
      },
    };
    const email = new FakeChannel('email');
    const { clock, log, outbox } = setup([email], flaky);
    outbox.start();
    await outbox.sendBatch(batch(clock.now()));
    await waitFor(() => clock.pendingSleeps === 1 && email.delivered.length === 1, 'the first send');
    clock.advance(60_000);
    await waitFor(() => email.delivered.length === 2, 'the repeat');
    await outbox.stop();
    expect(email.delivered.map((d) => d.notification.id)).to.deep.equal(['m1', 'm1']);
    expect(log.matching('ERROR outbox unusable')).to.deep.equal([
      'ERROR outbox unusable notifier=email error="disk gone"',
    ]);
    expect(await inner.listAll()).to.deep.equal([]);
  });

  it('keeps a message for a notifier switched off after it was queued, without calling it', async () => {
    const discord = new FakeChannel('discord');
    const { clock, log, outbox, store } = setup([discord]);
    await outbox.sendBatch(batch(clock.now()));
    discord.isEnabled = false;
    await outbox.deliverPending();
    expect(discord.attempts).to.deep.equal([]);
    expect((await store.list('discord')).map((e) => [e.attempts, e.lastError])).to.deep.equal([
      [1, 'discord is not configured any more'],
    ]);
    expect(log.matching('WARN outbox send failed')).to.have.length(1);
  });

  it('lists the queue as a table for pingwarden outbox', async () => {
    const email = new FakeChannel('email');
    const discord = new FakeChannel('discord');
    const { clock, outbox, store } = setup([email, discord]);
    await outbox.sendBatch(batch(clock.now()));
    clock.advance(38 * 60_000 + 2_000);
    const [first] = await store.list('email');
    await store.put({
      ...first!,
      attempts: 21,
      lastError: 'email via mail.example.com:587 failed:\n  refused',
    });
    expect(outboxTable(await store.listAll(), clock.now()).split('\n')).to.deep.equal([
      'notifier  id  age     attempts  last error',
      'discord   m1  38m 2s  0         -',
      'email     m1  38m 2s  21        email via mail.example.com:587 failed: refused',
    ]);
    expect(outboxTable([], clock.now())).to.equal('outbox empty');
  });

  describe('on disk', () => {
    let dir = '';
    beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-outbox-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const entry: OutboxEntry = {
      notifier: 'email',
      notification: {
        id: '20261122T130300000Z-00000001',
        composedAt: new Date('2026-11-22T13:03:00Z'),
        overview: '1 of 2 hosts down: Cisco Router (10.1.1.254)',
        alerts: [
          {
            ...batch(new Date('2026-11-22T13:03:00Z')).alerts[0]!,
            unreachableChildren: [{ host: '10.1.2.1', description: 'AP', location: 'Hall' }],
          },
        ],
      },
      attempts: 2,
      lastAttemptAt: new Date('2026-11-22T13:03:03Z'),
      lastError: 'refused',
    };

    it('round-trips an entry through JSON, keeping alert fields it does not know', () => {
      const withNotes = {
        ...entry,
        notification: {
          ...entry.notification,
          alerts: [{ ...entry.notification.alerts[0]!, notes: ['plug cycled'] }],
        },
      };
      expect(entryFromJson(entryToJson(withNotes))).to.deep.equal(withNotes);
      expect(entryFromJson('{"version":2}')).to.equal(null);
      expect(entryFromJson('not json')).to.equal(null);
    });

    it('keeps one file per message and notifier, readable by a new store, removed when sent', async () => {
      const log = new FakeLog();
      await new FileOutboxStore(dir, log).put(entry);
      expect(await readdir(path.join(dir, 'email'))).to.deep.equal(['20261122T130300000Z-00000001.json']);
      const reopened = new FileOutboxStore(dir, log);
      expect(await reopened.listAll()).to.deep.equal([entry]);
      await reopened.remove('email', entry.notification.id);
      await reopened.remove('email', entry.notification.id);
      expect(await reopened.listAll()).to.deep.equal([]);
    });

    it('sets a damaged file aside with an error instead of retrying it forever', async () => {
      const log = new FakeLog();
      const store = new FileOutboxStore(dir, log);
      await store.put(entry);
      const file = path.join(dir, 'email', `${entry.notification.id}.json`);
      await writeFile(file, (await readFile(file, 'utf8')).slice(0, 40));
      expect(await store.list('email')).to.deep.equal([]);
      expect(await readdir(path.join(dir, 'email'))).to.deep.equal([`${entry.notification.id}.json.bad`]);
      expect(log.matching('ERROR outbox file unreadable')).to.have.length(1);
    });
  });
});
