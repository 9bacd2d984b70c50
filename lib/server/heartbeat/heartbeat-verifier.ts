import { createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

import type { SensorEntry } from '../../config/sensor-entry.js';
import {
  heartbeatMac,
  MAX_HEARTBEAT_BYTES,
  parseLegacyHeartbeat,
  parseSignedHeartbeat,
  type HeartbeatType,
} from '../../probe/heartbeat/heartbeat-protocol.js';

/** Why a datagram was dropped. */
export type DropReason =
  /** Longer than MAX_HEARTBEAT_BYTES. */
  | 'oversize'
  /** Neither a signed heartbeat nor the legacy format. */
  | 'malformed'
  /** Signed, but the name is not in sensors.csv. */
  | 'unknown_sensor'
  /** Legacy unsigned format from an address no insecure sensor is configured with. */
  | 'unsigned'
  /** The MAC does not match the sensor's secret (forged, or a wrong key). */
  | 'bad_signature'
  /** Correctly signed, but the timestamp is too far from the monitor's clock. */
  | 'stale'
  /** Correctly signed, but its sequence number was already used: a replay. */
  | 'replayed';

/** Every {@link DropReason}, in the order logs list them. */
export const DROP_REASONS: readonly DropReason[] = [
  'oversize',
  'malformed',
  'unknown_sensor',
  'unsigned',
  'bad_signature',
  'stale',
  'replayed',
];

/** A heartbeat that passed every check. */
export interface AcceptedHeartbeat {
  readonly sensor: SensorEntry;
  readonly type: HeartbeatType;
  /** null when a legacy PING did not say. */
  readonly uptimeSeconds: number | null;
  readonly signed: boolean;
}

/** The outcome of checking one datagram. */
export type HeartbeatVerdict =
  | { readonly ok: true; readonly heartbeat: AcceptedHeartbeat }
  | { readonly ok: false; readonly reason: DropReason; readonly sensor?: string };

/** The configured sensors, indexed for the checks. */
export interface SensorDirectory {
  readonly byName: ReadonlyMap<string, SensorEntry>;
  /** Insecure sensors by the (canonical) source address they may send legacy heartbeats from. */
  readonly byInsecureAddress: ReadonlyMap<string, SensorEntry>;
  /** Each keyed sensor's secret, ready for HMAC. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** Builds the {@link SensorDirectory} of a sensor list. */
export function sensorDirectory(sensors: readonly SensorEntry[]): SensorDirectory {
  const byInsecureAddress = new Map<string, SensorEntry>();
  const keys = new Map<string, KeyObject>();
  for (const sensor of sensors) {
    if (sensor.insecureAddress !== null) {
      byInsecureAddress.set(canonicalAddress(sensor.insecureAddress), sensor);
    }
    if (sensor.key !== null) keys.set(sensor.name, createSecretKey(Buffer.from(sensor.key, 'utf8')));
  }
  return { byName: new Map(sensors.map((sensor) => [sensor.name, sensor])), byInsecureAddress, keys };
}

/** `::ffff:192.0.2.1` (an IPv4 sender on a dual-stack socket) is `192.0.2.1`; IPv6 in lower case. */
export function canonicalAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

interface ReplayMark {
  seq: number;
  timestampMs: number;
}

/**
 * Checks heartbeat datagrams: size, shape, sensor, signature, freshness and replay, in that order, with
 * bounded work per datagram (one HMAC at most) and no memory per sender. Pure apart from the replay marks
 * it keeps per configured sensor (set only by correctly signed messages, so junk cannot grow them).
 *
 * Replay rules for signed messages: the timestamp must be within `maxSkewMs` of the monitor's clock, and
 * the sequence number must be above the last accepted one. A BOOT may restart the sequence (a sensor that
 * lost its counter) if its timestamp is newer than the last accepted message's. After a monitor restart
 * the marks are empty, so a message captured in the last `maxSkewMs` could be replayed once: it can only
 * claim that the sensor was alive at a moment when it was.
 */
export class HeartbeatVerifier {
  private readonly marks = new Map<string, ReplayMark>();

  verify(
    packet: Buffer,
    sourceAddress: string,
    now: Date,
    directory: SensorDirectory,
    maxSkewMs: number,
  ): HeartbeatVerdict {
    if (packet.length > MAX_HEARTBEAT_BYTES) return { ok: false, reason: 'oversize' };
    const text = packet.toString('latin1');
    const signed = parseSignedHeartbeat(text);
    if (signed === null) return this.verifyLegacy(text, sourceAddress, directory);

    const { message } = signed;
    const sensor = directory.byName.get(message.name);
    if (!sensor) return { ok: false, reason: 'unknown_sensor', sensor: message.name };
    const key = directory.keys.get(sensor.name);
    if (key === undefined) return { ok: false, reason: 'bad_signature', sensor: sensor.name };
    const expected = heartbeatMac(signed.signedText, key);
    if (!timingSafeEqual(expected, signed.mac)) {
      return { ok: false, reason: 'bad_signature', sensor: sensor.name };
    }
    if (Math.abs(message.timestampMs - now.getTime()) > maxSkewMs) {
      return { ok: false, reason: 'stale', sensor: sensor.name };
    }
    const mark = this.marks.get(sensor.name);
    if (mark) {
      const advances = message.seq > mark.seq;
      const restarts = message.type === 'BOOT' && message.timestampMs > mark.timestampMs;
      if (!advances && !restarts) return { ok: false, reason: 'replayed', sensor: sensor.name };
    }
    this.marks.set(sensor.name, { seq: message.seq, timestampMs: message.timestampMs });
    return {
      ok: true,
      heartbeat: { sensor, type: message.type, uptimeSeconds: message.uptimeSeconds, signed: true },
    };
  }

  /** Drops the replay marks of sensors no longer configured. */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.marks.keys()) if (!names.has(name)) this.marks.delete(name);
  }

  private verifyLegacy(text: string, sourceAddress: string, directory: SensorDirectory): HeartbeatVerdict {
    const legacy = parseLegacyHeartbeat(text);
    if (legacy === null) return { ok: false, reason: 'malformed' };
    const sensor = directory.byInsecureAddress.get(canonicalAddress(sourceAddress));
    if (!sensor) return { ok: false, reason: 'unsigned' };
    return {
      ok: true,
      heartbeat: { sensor, type: legacy.type, uptimeSeconds: legacy.uptimeSeconds, signed: false },
    };
  }
}
