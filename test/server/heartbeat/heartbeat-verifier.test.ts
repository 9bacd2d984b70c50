import { expect } from 'chai';

import {
  formatSignedHeartbeat,
  type HeartbeatMessage,
} from '../../../lib/probe/heartbeat/heartbeat-protocol.js';
import {
  canonicalAddress,
  HeartbeatVerifier,
  sensorDirectory,
  type HeartbeatVerdict,
} from '../../../lib/server/heartbeat/heartbeat-verifier.js';
import { sensorEntry, TEST_SENSOR_KEY } from '../../fakes/sensor-entry.js';

const KEY = TEST_SENSOR_KEY;
const NOW = new Date('2026-11-22T13:05:09Z');
const T = NOW.getTime();
const SKEW_MS = 60_000;

const sensor = sensorEntry;

const directory = sensorDirectory([
  sensor('cabin'),
  sensor('oldpi', { key: null, insecureAddress: '198.51.100.7' }),
]);

function signed(extra: Partial<HeartbeatMessage> = {}, key = KEY): string {
  return formatSignedHeartbeat(
    { name: 'cabin', timestampMs: T, seq: 1000, type: 'PING', uptimeSeconds: 3600, ...extra },
    key,
  );
}

/** What a test checks of a verdict: `ok PING 3600 signed`, or the drop reason. */
function summary(verdict: HeartbeatVerdict): string {
  if (!verdict.ok) return verdict.reason;
  const { sensor: s, type, uptimeSeconds, signed: isSigned } = verdict.heartbeat;
  return `ok ${s.name} ${type} ${uptimeSeconds ?? '-'} ${isSigned ? 'signed' : 'unsigned'}`;
}

const SOURCE = '203.0.113.9';

describe('HeartbeatVerifier', () => {
  const cases: [
    name: string,
    earlier: string[],
    packet: string | Buffer,
    source: string,
    expected: string,
  ][] = [
    ['a signed PING', [], signed(), SOURCE, 'ok cabin PING 3600 signed'],
    ['a signed BOOT', [], signed({ type: 'BOOT', uptimeSeconds: 42 }), SOURCE, 'ok cabin BOOT 42 signed'],
    [
      'the next message',
      [signed()],
      signed({ seq: 1001, timestampMs: T + 1 }),
      SOURCE,
      'ok cabin PING 3600 signed',
    ],
    [
      'a timestamp at the edge of the window',
      [],
      signed({ timestampMs: T - SKEW_MS }),
      SOURCE,
      'ok cabin PING 3600 signed',
    ],
    // Forged
    ['a wrong key', [], signed({}, 'ffffffffffffffffffffffffffffffff'), SOURCE, 'bad_signature'],
    ['a changed uptime', [], signed().replace(' 3600 ', ' 3601 '), SOURCE, 'bad_signature'],
    ['a changed name', [], signed().replace('cabin', 'cabiN'), SOURCE, 'unknown_sensor'],
    ['an unknown sensor', [], signed({ name: 'ghost' }), SOURCE, 'unknown_sensor'],
    [
      'a signed message for a sensor without key',
      [],
      signed({ name: 'oldpi' }),
      '198.51.100.7',
      'bad_signature',
    ],
    // Replayed
    ['the same message twice', [signed()], signed(), SOURCE, 'replayed'],
    [
      'an older sequence number',
      [signed({ seq: 1005 })],
      signed({ seq: 1004, timestampMs: T + 5 }),
      SOURCE,
      'replayed',
    ],
    ['a timestamp too old', [], signed({ timestampMs: T - SKEW_MS - 1 }), SOURCE, 'stale'],
    ['a timestamp too far ahead', [], signed({ timestampMs: T + SKEW_MS + 1 }), SOURCE, 'stale'],
    [
      'a BOOT that restarts the counter with a newer timestamp',
      [signed({ seq: 1005 })],
      signed({ seq: 1, type: 'BOOT', timestampMs: T + 10 }),
      SOURCE,
      'ok cabin BOOT 3600 signed',
    ],
    [
      'a replayed BOOT (lower counter, no newer timestamp)',
      [signed({ seq: 1, type: 'BOOT' }), signed({ seq: 2, timestampMs: T + 10 })],
      signed({ seq: 1, type: 'BOOT' }),
      SOURCE,
      'replayed',
    ],
    [
      'a PING that tries to restart the counter',
      [signed({ seq: 1005 })],
      signed({ seq: 1, timestampMs: T + 10 }),
      SOURCE,
      'replayed',
    ],
    // Malformed
    ['an empty datagram', [], '', SOURCE, 'malformed'],
    ['binary junk', [], Buffer.from([0, 1, 2, 255, 254, 10]), SOURCE, 'malformed'],
    ['a missing MAC', [], signed().slice(0, -65), SOURCE, 'malformed'],
    ['a truncated MAC', [], signed().slice(0, -1), SOURCE, 'malformed'],
    ['a datagram over 512 bytes', [], `PING${' '.repeat(509)}`, '198.51.100.7', 'oversize'],
    // Legacy, unsigned
    ['legacy PING from the insecure sensor', [], 'PING', '198.51.100.7', 'ok oldpi PING - unsigned'],
    ['legacy BOOT with uptime', [], 'BOOT185.3\n', '198.51.100.7', 'ok oldpi BOOT 185 unsigned'],
    [
      'legacy PING through a dual-stack socket',
      [],
      'PING',
      '::ffff:198.51.100.7',
      'ok oldpi PING - unsigned',
    ],
    ['legacy PING from another address', [], 'PING', '198.51.100.8', 'unsigned'],
  ];

  for (const [name, earlier, packet, source, expected] of cases) {
    it(`${expected.startsWith('ok') ? 'accepts' : 'drops'} ${name}`, () => {
      const verifier = new HeartbeatVerifier();
      for (const text of earlier) {
        expect(summary(verifier.verify(Buffer.from(text), SOURCE, NOW, directory, SKEW_MS))).to.match(/^ok/);
      }
      const buffer = typeof packet === 'string' ? Buffer.from(packet) : packet;
      expect(summary(verifier.verify(buffer, source, NOW, directory, SKEW_MS))).to.equal(expected);
    });
  }

  it('does not let rejected messages move the replay mark', () => {
    const verifier = new HeartbeatVerifier();
    const forged = signed({ seq: 999_999 }, 'ffffffffffffffffffffffffffffffff');
    expect(summary(verifier.verify(Buffer.from(forged), SOURCE, NOW, directory, SKEW_MS))).to.equal(
      'bad_signature',
    );
    expect(summary(verifier.verify(Buffer.from(signed()), SOURCE, NOW, directory, SKEW_MS))).to.match(/^ok/);
  });

  it('forgets the replay marks of removed sensors', () => {
    const verifier = new HeartbeatVerifier();
    const packet = Buffer.from(signed());
    expect(verifier.verify(packet, SOURCE, NOW, directory, SKEW_MS).ok).to.equal(true);
    verifier.retain(new Set());
    expect(verifier.verify(packet, SOURCE, NOW, directory, SKEW_MS).ok).to.equal(true);
  });

  it('canonicalises source addresses', () => {
    expect(['::ffff:192.0.2.1', '2001:DB8::1', '192.0.2.1'].map(canonicalAddress)).to.deep.equal([
      '192.0.2.1',
      '2001:db8::1',
      '192.0.2.1',
    ]);
  });
});
