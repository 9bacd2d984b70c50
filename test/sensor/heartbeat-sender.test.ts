import dgram from 'node:dgram';

import { expect } from 'chai';

import { parseSignedHeartbeat, heartbeatMac } from '../../lib/probe/heartbeat/heartbeat-protocol.js';
import { HeartbeatSender } from '../../lib/sensor/heartbeat-sender.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeLog } from '../fakes/fake-log.js';
import { waitFor } from '../support/wait-for.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('HeartbeatSender (real UDP to 127.0.0.1)', () => {
  let receiver: dgram.Socket | undefined;
  afterEach(() => receiver?.close());

  it('sends a signed BOOT with the uptime, then a PING every interval, with a growing counter', async () => {
    receiver = dgram.createSocket('udp4');
    const received: string[] = [];
    receiver.on('message', (packet) => received.push(packet.toString('latin1')));
    await new Promise<void>((resolve) => receiver!.bind(0, '127.0.0.1', resolve));
    const clock = new FakeClock('2026-11-22T13:00:00Z');
    let uptime = 185.7;
    const sender = new HeartbeatSender({
      clock,
      log: new FakeLog(),
      host: '127.0.0.1',
      port: receiver.address().port,
      name: 'cabin',
      key: KEY,
      intervalSeconds: 60,
      uptime: () => uptime,
    });
    const stop = new AbortController();
    const running = sender.run(stop.signal);
    await waitFor(() => received.length === 1 && clock.pendingSleeps === 1, 'the BOOT');
    uptime += 60;
    clock.advance(60_000);
    await waitFor(() => received.length === 2 && clock.pendingSleeps === 1, 'the first PING');
    stop.abort();
    await running;
    await sender.close();

    const messages = received.map((text) => parseSignedHeartbeat(text));
    const t0 = Date.parse('2026-11-22T13:00:00Z');
    expect(messages.map((m) => m?.message)).to.deep.equal([
      { name: 'cabin', timestampMs: t0, seq: t0 + 1, type: 'BOOT', uptimeSeconds: 185 },
      { name: 'cabin', timestampMs: t0 + 60_000, seq: t0 + 2, type: 'PING', uptimeSeconds: 245 },
    ]);
    for (const m of messages) expect(m!.mac.equals(heartbeatMac(m!.signedText, KEY))).to.equal(true);
  });
});
