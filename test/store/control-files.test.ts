import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { ACKS_FILE, ControlFiles, SNOOZES_FILE } from '../../lib/store/control-files.js';
import { FakeClock } from '../fakes/fake-clock.js';

describe('store/control-files: snoozes and acks in the logs folder', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-controls-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads none from a missing file, and what it wrote, dropping expired snoozes on write', async () => {
    const clock = new FakeClock('2026-05-01T08:00:00Z');
    const files = new ControlFiles(dir);
    expect(await files.read()).to.deep.equal({ snoozes: [], acks: [] });
    const now = clock.now();
    const hour = new Date(now.getTime() + 3_600_000);
    await files.writeSnoozes(
      [
        { selector: { kind: 'location', location: 'HQ' }, at: now, until: hour, note: 'move' },
        { selector: { kind: 'all' }, at: now, until: now, note: null },
      ],
      now,
    );
    expect(await files.snoozes()).to.deep.equal([
      { selector: { kind: 'location', location: 'HQ' }, at: now, until: hour, note: 'move' },
    ]);
    const stored = JSON.parse(await readFile(path.join(dir, SNOOZES_FILE), 'utf8')) as unknown;
    expect(stored).to.deep.equal({
      v: 1,
      snoozes: [{ target: 'location:HQ', at: now.toISOString(), until: hour.toISOString(), note: 'move' }],
    });
  });

  it('loses no snooze when many commands change the file at the same moment', async () => {
    const now = new FakeClock('2026-05-01T08:00:00Z').now();
    const until = new Date(now.getTime() + 3_600_000);
    // Twenty separate writers (as twenty `pingwarden snooze` processes would be), all at once.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        new ControlFiles(dir).updateSnoozes(now, (current) => [
          ...current,
          { selector: { kind: 'location', location: `L${i}` }, at: now, until, note: null },
        ]),
      ),
    );
    const locations = (await new ControlFiles(dir).snoozes()).map((one) =>
      one.selector.kind === 'location' ? one.selector.location : '?',
    );
    expect(locations.sort()).to.deep.equal(Array.from({ length: 20 }, (_, i) => `L${i}`).sort());
  });

  it('writes nothing when the change refuses, and frees the lock for the next command', async () => {
    const now = new FakeClock('2026-05-01T08:00:00Z').now();
    const files = new ControlFiles(dir);
    let refused: unknown;
    await files
      .updateSnoozes(now, () => {
        throw new Error('no snooze for location:HQ');
      })
      .catch((error: unknown) => (refused = error));
    expect(String(refused)).to.contain('no snooze for location:HQ');
    await files.updateSnoozes(now, () => [
      { selector: { kind: 'all' }, at: now, until: new Date(now.getTime() + 60_000), note: null },
    ]);
    expect(await files.snoozes()).to.have.length(1);
  });

  it('takes over a lock a killed command left behind', async () => {
    const now = new FakeClock('2026-05-01T08:00:00Z').now();
    const lock = path.join(dir, `${SNOOZES_FILE}.lock`);
    await writeFile(lock, '99999\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await new ControlFiles(dir).updateSnoozes(now, () => [
      { selector: { kind: 'all' }, at: now, until: new Date(now.getTime() + 60_000), note: null },
    ]);
    expect(await new ControlFiles(dir).snoozes()).to.have.length(1);
  });

  it('keeps the newest ack per host and drops acks older than 30 days', async () => {
    const clock = new FakeClock('2026-05-01T08:00:00Z');
    const files = new ControlFiles(dir);
    await files.addAck({ host: 'old', at: clock.now(), note: null }, clock.now());
    clock.advance(31 * 86_400_000);
    await files.addAck({ host: 'a', at: clock.now(), note: 'first' }, clock.now());
    clock.advance(60_000);
    await files.addAck({ host: 'a', at: clock.now(), note: 'second' }, clock.now());
    expect(await files.acks()).to.deep.equal([{ host: 'a', at: clock.now(), note: 'second' }]);
  });

  it('names the file when it is damaged, without a stack trace', async () => {
    await writeFile(path.join(dir, ACKS_FILE), '{"v":1,"acks":');
    const error = await new ControlFiles(dir).read().then(
      () => null,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).to.equal('FaultError');
    expect(error?.message).to.equal(`${path.join(dir, ACKS_FILE)}: not valid JSON; fix or delete the file`);
  });
});
