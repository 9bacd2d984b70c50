/**
 * Benchmark of the heartbeat path with 1000 sensors, all on loopback and in this process:
 *
 *   node --expose-gc --import tsx scripts/bench-heartbeats.ts [sensors=1000]
 *
 * Measures the verifier per datagram (valid, forged, junk), 1000 sensors' heartbeats over real UDP,
 * one monitor cycle judging 1000 sensors, and heap use before/after a million junk datagrams.
 * Bounded in count and time; touches nothing but 127.0.0.1.
 */
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';

import { systemClock } from '../lib/shared/clock.js';
import { sensorHost, type SensorEntry } from '../lib/config/sensor-entry.js';
import { DEFAULT_SETTINGS } from '../lib/config/settings-table.js';
import type { Target } from '../lib/config/target.js';
import type { Config } from '../lib/config/types.js';
import type { Log } from '../lib/shared/log.js';
import type { Alert } from '../lib/monitor/alert.js';
import { MonitorLoop } from '../lib/monitor/monitor-loop.js';
import { HeartbeatLedger } from '../lib/probe/heartbeat/heartbeat-book.js';
import { HeartbeatProber } from '../lib/probe/heartbeat/heartbeat-prober.js';
import { formatSignedHeartbeat } from '../lib/probe/heartbeat/heartbeat-protocol.js';
import { HeartbeatListener } from '../lib/server/heartbeat/heartbeat-listener.js';
import { HeartbeatVerifier, sensorDirectory } from '../lib/server/heartbeat/heartbeat-verifier.js';

const SENSORS = Number(process.argv[2] ?? 1000);
const quietLog: Log = { debug() {}, info() {}, warn() {}, error() {} };
const gc = (globalThis as { gc?: () => void }).gc;

const sensors: SensorEntry[] = Array.from({ length: SENSORS }, (_, i) => ({
  name: `s${i}`,
  host: sensorHost(`s${i}`),
  key: `key-of-sensor-${i}-0123456789abcdef`,
  secretFile: null,
  downSeconds: 180,
  description: `Sensor ${i}`,
  location: 'Bench',
  insecureAddress: null,
  line: i + 1,
}));

function heartbeat(i: number, seq: number, key?: string): string {
  const sensor = sensors[i % SENSORS]!;
  return formatSignedHeartbeat(
    { name: sensor.name, timestampMs: Date.now(), seq, type: 'PING', uptimeSeconds: 1000 },
    key ?? sensor.key!,
  );
}

function perPacket(label: string, count: number, run: (i: number) => void): void {
  const start = performance.now();
  for (let i = 0; i < count; i++) run(i);
  const ms = performance.now() - start;
  console.log(
    `${label.padEnd(34)} ${((ms * 1000) / count).toFixed(2).padStart(7)} µs/datagram  ` +
      `${Math.round(count / (ms / 1000)).toLocaleString('en-US')}/s`,
  );
}

function heapMib(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function main(): Promise<void> {
  console.log(`pingwarden heartbeat benchmark: ${SENSORS} sensors, node ${process.version}`);
  if (!gc) console.log('(run with node --expose-gc for exact heap numbers)');

  // 1. The pure verifier.
  const directory = sensorDirectory(sensors);
  const verifier = new HeartbeatVerifier();
  const now = new Date();
  const N = 100_000;
  const valid = Array.from({ length: N }, (_, i) => Buffer.from(heartbeat(i, 1_000_000 + i)));
  const forged = Array.from({ length: 10_000 }, (_, i) =>
    Buffer.from(heartbeat(i, i, 'wrong-key-wrong-key')),
  );
  const junk = Buffer.from('junk that is not a heartbeat at all');
  const big = Buffer.alloc(1400, 0x41);
  perPacket('verify: valid signed', N, (i) =>
    verifier.verify(valid[i]!, '127.0.0.1', now, directory, 60_000),
  );
  perPacket('verify: forged (one HMAC)', 10_000, (i) =>
    verifier.verify(forged[i]!, '127.0.0.1', now, directory, 60_000),
  );
  perPacket('verify: malformed text', N, () => verifier.verify(junk, '127.0.0.1', now, directory, 60_000));
  perPacket('verify: oversize', N, () => verifier.verify(big, '127.0.0.1', now, directory, 60_000));

  // 2. Real UDP: every sensor sends ROUNDS heartbeats as fast as the client can.
  const book = new HeartbeatLedger(systemClock.now());
  const listener = new HeartbeatListener({
    clock: systemClock,
    log: quietLog,
    book,
    sensors: () => sensors,
    maxSkewMs: () => 60_000,
    address: '127.0.0.1',
    port: 0,
  });
  const { port } = await listener.start();
  const client = dgram.createSocket('udp4');
  // Batches of BATCH datagrams 1 ms apart: bursts the size of a default socket buffer, far above the
  // 17 datagrams/s that 1000 sensors at one heartbeat a minute really send.
  const ROUNDS = 10;
  const BATCH = 50;
  const total = SENSORS * ROUNDS;
  const start = performance.now();
  let seq = Date.now();
  for (let n = 0; n < total; n += BATCH) {
    const sends: Promise<void>[] = [];
    for (let i = n; i < Math.min(total, n + BATCH); i++) {
      const text = heartbeat(i, ++seq);
      sends.push(new Promise((resolve) => client.send(text, port, '127.0.0.1', () => resolve())));
    }
    await Promise.all(sends);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const deadline = Date.now() + 5_000;
  while (listener.counters().accepted < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const udpMs = performance.now() - start;
  const { accepted } = listener.counters();
  console.log(
    `UDP: ${total} heartbeats from ${SENSORS} sensors   accepted ${accepted} (${((100 * accepted) / total).toFixed(1)}%) ` +
      `in ${udpMs.toFixed(0)} ms, ${Math.round(accepted / (udpMs / 1000)).toLocaleString('en-US')}/s; sensors in book: ${book.size}`,
  );
  console.log(`UDP drops by the listener: ${JSON.stringify(listener.counters().dropped)}`);

  // 3. One monitor cycle judging every sensor (through the real loop, no ping hosts).
  const targets: Target[] = sensors.map((s) => ({
    id: s.host,
    label: { host: s.host, description: s.description, location: s.location },
    check: { kind: 'heartbeat', sensor: s.name, downSeconds: s.downSeconds },
    parent: null,
    cyclePlug: null,
    lamp: null,
    line: s.line,
  }));
  const config: Config = {
    targets,
    settings: { ...DEFAULT_SETTINGS, heartbeatPort: 1 },
    smtp: null,
    sensors,
    warnings: [],
  };
  const alerts: Alert[] = [];
  const loop = new MonitorLoop({
    clock: systemClock,
    probers: {
      icmp: null,
      route: null,
      heartbeat: new HeartbeatProber({ clock: systemClock, book }),
      tcp: null,
      http: null,
      dns: null,
      tls: null,
    },
    outbox: { name: 'bench', sendBatch: (batch) => Promise.resolve(void alerts.push(...batch.alerts)) },
    log: quietLog,
    config: { current: () => Promise.resolve(config) },
  });
  const cycles: number[] = [];
  for (let i = 0; i < 5; i++) {
    const summary = await loop.runOnce();
    cycles.push(summary.durationMs);
    if (i === 0)
      console.log(`cycle: ${summary.hosts} sensors, up=${summary.counts.UP} down=${summary.counts.DOWN}`);
  }
  console.log(`cycle time with ${SENSORS} sensors: ${cycles.join(', ')} ms (5 cycles)`);

  // 4. Memory: a million junk datagrams (every kind) through the listener's receive path.
  const before = heapMib();
  const ghost = Buffer.from(
    formatSignedHeartbeat(
      { name: 'ghost', timestampMs: Date.now(), seq: 1, type: 'PING', uptimeSeconds: 1 },
      'k',
    ),
  );
  const kinds = [junk, big, forged[0]!, ghost, Buffer.from('PING')];
  const junkStart = performance.now();
  for (let i = 0; i < 1_000_000; i++)
    listener.receive(kinds[i % kinds.length]!, `198.18.${(i >> 8) & 255}.${i & 255}`);
  const junkMs = performance.now() - junkStart;
  const after = heapMib();
  console.log(
    `1,000,000 junk datagrams via receive(): ${junkMs.toFixed(0)} ms (${((junkMs * 1000) / 1e6).toFixed(2)} µs each); ` +
      `heap ${before.toFixed(1)} → ${after.toFixed(1)} MiB; book ${book.size} sensors`,
  );
  const dropped = Object.entries(listener.counters().dropped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason}=${n}`)
    .join(' ');
  console.log(`dropped: ${dropped}`);

  client.close();
  await listener.stop();
}

await main();
