import dgram from 'node:dgram';

import { expect } from 'chai';

import { systemClock } from '../../../lib/shared/clock.js';
import { FaultError } from '../../../lib/shared/errors.js';
import type { SensorEntry } from '../../../lib/config/sensor-entry.js';
import { HeartbeatLedger } from '../../../lib/probe/heartbeat/heartbeat-book.js';
import {
  formatSignedHeartbeat,
  type HeartbeatMessage,
} from '../../../lib/probe/heartbeat/heartbeat-protocol.js';
import { HeartbeatListener } from '../../../lib/server/heartbeat/heartbeat-listener.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { waitFor } from '../../support/wait-for.js';
import { sensorEntry, TEST_SENSOR_KEY } from '../../fakes/sensor-entry.js';

const KEY = TEST_SENSOR_KEY;
const cabin: SensorEntry = sensorEntry('cabin');
const oldpi: SensorEntry = sensorEntry('oldpi', { key: null, insecureAddress: '127.0.0.1' });

describe('HeartbeatListener (real UDP on 127.0.0.1)', () => {
  let listener: HeartbeatListener | undefined;
  let client: dgram.Socket | undefined;
  afterEach(async () => {
    await listener?.stop();
    client?.close();
    listener = undefined;
    client = undefined;
  });

  /** A listener on `address` port 0 for the sensors `sensors()` names, and a client socket that sends to it. */
  async function start(
    sensors: readonly SensorEntry[] | (() => readonly SensorEntry[]) = [cabin],
    address: '127.0.0.1' | '::1' = '127.0.0.1',
  ) {
    const log = new FakeLog();
    const book = new HeartbeatLedger(systemClock.now());
    listener = new HeartbeatListener({
      clock: systemClock,
      log,
      book,
      sensors: typeof sensors === 'function' ? sensors : () => sensors,
      maxSkewMs: () => 60_000,
      address,
      port: 0,
    });
    const { port } = await listener.start();
    client = dgram.createSocket(address === '::1' ? 'udp6' : 'udp4');
    const send = (text: string | Buffer) =>
      new Promise<void>((resolve, reject) =>
        client!.send(text, port, address, (error) => (error ? reject(error) : resolve())),
      );
    return { log, book, port, send };
  }

  let seq = Date.now();
  const signed = (extra: Partial<HeartbeatMessage> = {}, key = KEY) =>
    formatSignedHeartbeat(
      { name: 'cabin', timestampMs: Date.now(), seq: ++seq, type: 'PING', uptimeSeconds: 3600, ...extra },
      key,
    );

  it('records signed heartbeats and counts every kind of bad datagram, logging drops rate-limited', async () => {
    const { log, book, send } = await start([cabin, oldpi]);
    await send(signed({ type: 'BOOT', uptimeSeconds: 42 }));
    await waitFor(() => book.lookup('cabin') !== undefined, 'the BOOT to be recorded');
    expect(book.lookup('cabin')?.lastBoot?.uptimeSeconds).to.equal(42);
    expect(log.lines).to.include('INFO sensor rebooted sensor=cabin uptime_s=42 source=127.0.0.1');

    const replay = signed();
    await send(replay);
    await send(replay); // replayed
    await send(signed({}, 'ffffffffffffffffffffffffffffffff')); // forged
    await send(signed({ timestampMs: Date.now() - 120_000 })); // stale
    await send(signed({ name: 'ghost' })); // unknown sensor
    await send('hello'); // malformed
    await send(Buffer.alloc(600, 0x41)); // oversize
    await send('PING'); // legacy, from the insecure sensor's address: accepted
    for (let i = 0; i < 100; i++) await send(`junk ${i}`);

    await waitFor(
      () => listener!.counters().accepted === 3 && listener!.counters().dropped.malformed === 101,
      'every datagram to be handled',
    );
    expect(listener!.counters()).to.deep.equal({
      accepted: 3,
      dropped: {
        oversize: 1,
        malformed: 101,
        unknown_sensor: 1,
        unsigned: 0,
        bad_signature: 1,
        stale: 1,
        replayed: 1,
      },
    });
    expect(log.lines).to.include('INFO sensor heard sensor=oldpi source=127.0.0.1 signed=false');
    const dropLines = log.matching('WARN heartbeats dropped');
    expect(dropLines, 'only the first drop is logged at once').to.deep.equal([
      'WARN heartbeats dropped total=1 replayed=1 last_reason=replayed last_source=127.0.0.1 last_sensor=cabin next_summary_s=60',
    ]);
    await listener!.stop();
    expect(log.matching('WARN heartbeats dropped').at(-1)).to.equal(
      'WARN heartbeats dropped total=105 oversize=1 malformed=101 unknown_sensor=1 bad_signature=1 stale=1 ' +
        'last_reason=malformed last_source=127.0.0.1 next_summary_s=60',
    );
  });

  it('refuses legacy heartbeats from a sensor not marked insecure', async () => {
    const { book, send } = await start([cabin]);
    await send('PING');
    await waitFor(() => listener!.counters().dropped.unsigned === 1, 'the drop');
    expect(book.size).to.equal(0);
  });

  it('follows the configured sensors: a removed sensor is forgotten and then unknown', async () => {
    let sensors: readonly SensorEntry[] = [cabin];
    const { log, book, send } = await start(() => sensors, '::1');
    await send(signed());
    await waitFor(() => book.size === 1, 'the heartbeat over IPv6');
    expect(log.lines).to.include('INFO sensor heard sensor=cabin source=::1 signed=true');
    sensors = [];
    await send(signed());
    await waitFor(() => listener!.counters().dropped.unknown_sensor === 1, 'the drop');
    expect(book.size).to.equal(0);
  });

  it('reports a port that is in use', async () => {
    const { port } = await start();
    const second = new HeartbeatListener({
      clock: systemClock,
      log: new FakeLog(),
      book: new HeartbeatLedger(systemClock.now()),
      sensors: () => [],
      maxSkewMs: () => 60_000,
      address: '127.0.0.1',
      port,
    });
    const error = await second.start().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(FaultError);
    expect((error as Error).message).to.equal(
      `cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE); ` +
        'see heartbeat_listen, heartbeat_port in settings.csv',
    );
  });
});
