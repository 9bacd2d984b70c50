import { createHmac, type KeyObject } from 'node:crypto';

/**
 * The heartbeat wire format, shared by the sensor (sender) and the monitor (listener).
 *
 * Signed (version 1), one UDP datagram of ASCII text, fields separated by single spaces:
 *
 *     PW1 <name> <timestamp_ms> <seq> <PING|BOOT> <uptime_s> <mac>
 *
 * - name: the sensor's name in sensors.csv.
 * - timestamp_ms: the sensor's clock, Unix milliseconds; the monitor rejects values too far from its own.
 * - seq: a counter that grows with every message. The sender starts it at its start-up time in Unix
 *   milliseconds, so it keeps growing across restarts and one-shot (timer) runs.
 * - PING: "still here"; BOOT: "my program just started", sent once at start-up.
 * - uptime_s: the sensor machine's uptime in whole seconds (both types carry it, so a reboot is seen even
 *   when the BOOT message is lost).
 * - mac: lowercase hex HMAC-SHA256, keyed with the sensor's secret (UTF-8), over everything before the
 *   space that precedes it.
 *
 * Legacy (unsigned, from the tool this replaces): `PING` or `BOOT<uptime>`; accepted only from sensors
 * marked insecure, and only from their configured source address.
 */
export const PROTOCOL_TAG = 'PW1';

/** Datagrams longer than this are dropped before any parsing: a real heartbeat is under 200 bytes. */
export const MAX_HEARTBEAT_BYTES = 512;

/** What a heartbeat says. */
export type HeartbeatType = 'PING' | 'BOOT';

/** The content of one signed heartbeat. */
export interface HeartbeatMessage {
  readonly name: string;
  readonly timestampMs: number;
  readonly seq: number;
  readonly type: HeartbeatType;
  readonly uptimeSeconds: number;
}

/** A signed heartbeat taken apart, not yet verified. */
export interface ParsedSignedHeartbeat {
  readonly message: HeartbeatMessage;
  /** The exact text the MAC covers. */
  readonly signedText: string;
  /** The 32 MAC bytes as sent. */
  readonly mac: Buffer;
}

/** A legacy unsigned heartbeat. */
export interface LegacyHeartbeat {
  readonly type: HeartbeatType;
  /** From `BOOT<uptime>`; null for PING or a BOOT without a number. */
  readonly uptimeSeconds: number | null;
}

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]{0,63}';
// Up to 15 digits keeps every number a safe integer; no signs, no leading spaces, nothing else.
const SIGNED = new RegExp(
  `^${PROTOCOL_TAG} (${NAME}) ([0-9]{1,15}) ([0-9]{1,15}) (PING|BOOT) ([0-9]{1,10}) ([0-9a-f]{64})$`,
);
const LEGACY = /^(PING|BOOT)[ \t]*([0-9]{1,10}(?:\.[0-9]{1,9})?)?[ \t]*\r?\n?$/;

/**
 * The HMAC-SHA256 of `signedText` under `key` (the secret as text, or as a KeyObject made once from its
 * UTF-8 bytes, which makes each MAC about twice as fast: the listener keeps one per sensor).
 */
export function heartbeatMac(signedText: string, key: string | KeyObject): Buffer {
  const secret = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return createHmac('sha256', secret).update(signedText, 'latin1').digest();
}

/** The datagram text of a signed heartbeat. */
export function formatSignedHeartbeat(message: HeartbeatMessage, key: string): string {
  const { name, timestampMs, seq, type, uptimeSeconds } = message;
  const signedText = `${PROTOCOL_TAG} ${name} ${timestampMs} ${seq} ${type} ${Math.max(0, Math.floor(uptimeSeconds))}`;
  return `${signedText} ${heartbeatMac(signedText, key).toString('hex')}`;
}

/** Takes a signed heartbeat apart; null when the text is not exactly that shape. No MAC check here. */
export function parseSignedHeartbeat(text: string): ParsedSignedHeartbeat | null {
  const match = SIGNED.exec(text);
  if (!match) return null;
  const [, name = '', timestamp = '', seq = '', type = '', uptime = '', mac = ''] = match;
  return {
    message: {
      name,
      timestampMs: Number(timestamp),
      seq: Number(seq),
      type: type as HeartbeatType,
      uptimeSeconds: Number(uptime),
    },
    signedText: text.slice(0, text.length - mac.length - 1),
    mac: Buffer.from(mac, 'hex'),
  };
}

/** Reads the legacy `PING` / `BOOT<uptime>` format (a trailing newline is tolerated); null otherwise. */
export function parseLegacyHeartbeat(text: string): LegacyHeartbeat | null {
  const match = LEGACY.exec(text);
  if (!match) return null;
  const type = match[1] as HeartbeatType;
  const uptime = match[2];
  return {
    type,
    uptimeSeconds: type === 'BOOT' && uptime !== undefined ? Math.floor(Number(uptime)) : null,
  };
}
