import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

import type { Clock } from '../../shared/clock.js';
import type { SensorEntry } from '../../config/sensor-entry.js';
import { FaultError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { MonitorObserver } from '../../monitor/monitor-loop.js';
import type { HeartbeatLedger } from '../../probe/heartbeat/heartbeat-book.js';
import { listenFailure } from '../listen-failure.js';
import { DropLog, emptyCounters, type HeartbeatCounters } from './drop-log.js';
import { HeartbeatVerifier, sensorDirectory, type SensorDirectory } from './heartbeat-verifier.js';

/** What a {@link HeartbeatListener} needs. */
export interface HeartbeatListenerOptions {
  readonly clock: Clock;
  readonly log: Log;
  /** Where accepted heartbeats are recorded; the heartbeat prober reads it. */
  readonly book: HeartbeatLedger;
  /** The sensors of the configuration in force; re-read for every datagram, so reloads apply at once. */
  readonly sensors: () => readonly SensorEntry[];
  /** Allowed distance between a heartbeat's timestamp and the monitor's clock. */
  readonly maxSkewMs: () => number;
  readonly address: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
}

/** The listener could not bind its port: a {@link FaultError} (exit 1) naming address:port and the reason. */
export class HeartbeatListenError extends FaultError {
  override name = 'HeartbeatListenError';

  constructor(
    readonly address: string,
    readonly port: number,
    options: { cause: unknown },
  ) {
    super(
      listenFailure(address, port, options.cause, 'see heartbeat_listen, heartbeat_port in settings.csv')
        .message,
      options,
    );
  }
}

// Room for a burst of heartbeats from many sensors while the event loop is busy with a cycle.
const RECEIVE_BUFFER_BYTES = 1 << 20;

/**
 * Receives sensor heartbeats on UDP and records the verified ones in the heartbeat book. Every other
 * datagram is dropped and counted ({@link counters}); log lines about drops are rate-limited. Work per
 * datagram is bounded (size check first, at most one HMAC) and nothing is kept per sender, so a flood of
 * junk costs CPU time only, never memory, and cannot make a silent sensor look alive.
 */
export class HeartbeatListener implements MonitorObserver {
  readonly name = 'heartbeats';
  private socket: dgram.Socket | null = null;
  private readonly verifier = new HeartbeatVerifier();
  private readonly drops: DropLog;
  private readonly counts = emptyCounters();
  private directory: SensorDirectory = sensorDirectory([]);
  private directoryOf: readonly SensorEntry[] | null = null;

  constructor(private readonly options: HeartbeatListenerOptions) {
    this.drops = new DropLog(options.log);
  }

  /** Binds the socket. Rejects with {@link HeartbeatListenError} when the port cannot be had. */
  async start(): Promise<{ address: string; port: number }> {
    const { address, port, log } = this.options;
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4' });
    socket.on('message', (packet, remote) => this.receive(packet, remote.address));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', (error) => reject(new HeartbeatListenError(address, port, { cause: error })));
      socket.bind(port, address, () => resolve());
    });
    socket.on('error', (error) => log.error('heartbeat socket error', { error: error.message }));
    try {
      socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    } catch {
      // The kernel caps it (net.core.rmem_max); the default buffer still works.
    }
    this.socket = socket;
    const bound = socket.address();
    log.info('listening for heartbeats', {
      address: bound.address,
      port: bound.port,
      sensors: this.options.sensors().length,
    });
    return { address: bound.address, port: bound.port };
  }

  /** Closes the socket and logs the drops not yet reported. */
  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    this.drops.flush(this.options.clock.now());
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Each cycle: logs the drops held back, once the last drop line is a minute old, even if no more come. */
  cycleFinished(): void {
    this.drops.flushIfDue(this.options.clock.now());
  }

  /** Datagrams accepted and dropped (by reason) since start: a copy. */
  counters(): HeartbeatCounters {
    return { accepted: this.counts.accepted, dropped: { ...this.counts.dropped } };
  }

  /** Checks one datagram and records it if valid. Public for tests and the benchmark. */
  receive(packet: Buffer, sourceAddress: string): void {
    const { clock, book, log } = this.options;
    const now = clock.now();
    const directory = this.currentDirectory();
    const verdict = this.verifier.verify(packet, sourceAddress, now, directory, this.options.maxSkewMs());
    if (!verdict.ok) {
      this.counts.dropped[verdict.reason] += 1;
      this.drops.note(verdict.reason, sourceAddress, verdict.sensor, now);
      return;
    }
    this.counts.accepted += 1;
    const { sensor, type, uptimeSeconds, signed } = verdict.heartbeat;
    const first = book.lookup(sensor.name) === undefined;
    const boot = book.record(sensor.name, now, type, uptimeSeconds);
    if (boot) {
      log.info(boot.rebooted ? 'sensor rebooted' : 'sensor program restarted', {
        sensor: sensor.name,
        uptime_s: boot.uptimeSeconds,
        source: sourceAddress,
      });
    } else if (first) {
      log.info('sensor heard', { sensor: sensor.name, source: sourceAddress, signed });
    } else {
      log.debug('heartbeat', { sensor: sensor.name, type, source: sourceAddress });
    }
  }

  private currentDirectory(): SensorDirectory {
    const sensors = this.options.sensors();
    if (sensors !== this.directoryOf) {
      this.directoryOf = sensors;
      this.directory = sensorDirectory(sensors);
      const names = new Set(sensors.map((sensor) => sensor.name));
      this.options.book.retain(names);
      this.verifier.retain(names);
    }
    return this.directory;
  }
}
