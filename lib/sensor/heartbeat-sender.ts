import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import { formatSignedHeartbeat, type HeartbeatType } from '../probe/heartbeat/heartbeat-protocol.js';

/** Where and how a sensor sends its heartbeats. */
export interface HeartbeatSenderOptions {
  readonly clock: Clock;
  readonly log: Log;
  /** The monitor: an IP literal or a DNS name (resolved for every message, so a changed address is followed). */
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly key: string;
  readonly intervalSeconds: number;
  /** The machine's uptime in seconds (os.uptime in real use). */
  readonly uptime: () => number;
}

/**
 * The sensor side: signs and sends heartbeats over UDP. A failed send (link down, no route) is logged and
 * the next one is tried on schedule: that silence is exactly what the monitor is meant to notice.
 */
export class HeartbeatSender {
  private seq: number;
  private readonly socket: dgram.Socket;

  constructor(private readonly options: HeartbeatSenderOptions) {
    // Starting the counter at the start time in milliseconds keeps it growing across restarts and one-shot
    // runs (at most one message per millisecond is ever sent), which the monitor's replay check needs.
    this.seq = options.clock.now().getTime();
    this.socket = dgram.createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
    this.socket.on('error', (error) => options.log.warn('heartbeat socket error', { error: error.message }));
  }

  /** Sends BOOT now, then PING every interval until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, intervalSeconds } = this.options;
    let next = clock.now().getTime();
    let type: HeartbeatType = 'BOOT';
    while (!signal.aborted) {
      await this.send(type);
      type = 'PING';
      next += intervalSeconds * 1000;
      await clock.sleep(Math.max(0, next - clock.now().getTime()), signal);
    }
  }

  /** Sends one message; resolves once it left (or failed to), never rejects. */
  async send(type: HeartbeatType): Promise<boolean> {
    const { clock, log, host, port, name, key, uptime } = this.options;
    const seq = ++this.seq;
    const text = formatSignedHeartbeat(
      { name, timestampMs: clock.now().getTime(), seq, type, uptimeSeconds: Math.floor(uptime()) },
      key,
    );
    const failed = (error: Error) => {
      log.warn('heartbeat not sent', { type, server: `${host}:${port}`, error: error.message });
      return false;
    };
    return new Promise<boolean>((resolve) => {
      try {
        this.socket.send(text, port, host, (error) => {
          if (error) return resolve(failed(error));
          log.debug('heartbeat sent', { type, seq });
          resolve(true);
        });
      } catch (error) {
        // Some failures (a closed socket) throw instead of reaching the callback.
        resolve(failed(error instanceof Error ? error : new Error(String(error))));
      }
    });
  }

  /** Closes the socket. */
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
