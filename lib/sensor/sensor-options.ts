import { validateHostAddress } from '../config/host-address.js';
import { SENSOR_NAME_PATTERN } from '../config/sensor-entry.js';
import { UserError } from '../shared/errors.js';

/** A mistake in the `pingwarden sensor` arguments. */
export class SensorUsageError extends UserError {
  override name = 'SensorUsageError';
}

/** The monitor address of `--server HOST:PORT`. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `--server`: `HOST:PORT`, with an IPv6 literal in brackets (`[2001:db8::1]:7777`).
 * @throws {SensorUsageError} naming what is wrong
 */
export function parseServerAddress(text: string): ServerAddress {
  const match = /^\[([^\]]+)\]:([0-9]+)$/.exec(text) ?? /^([^:[\]]+):([0-9]+)$/.exec(text);
  if (!match) {
    throw new SensorUsageError(
      `--server ${JSON.stringify(text)}: expected HOST:PORT (IPv6 as [ADDRESS]:PORT)`,
    );
  }
  const [, host = '', portText = ''] = match;
  const problem = validateHostAddress(host);
  if (problem !== null) throw new SensorUsageError(`--server host ${JSON.stringify(host)} ${problem}`);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SensorUsageError(`--server port must be from 1 to 65535, got ${portText}`);
  }
  return { host, port };
}

/** @throws {SensorUsageError} when `name` is not a valid sensor name */
export function checkSensorName(name: string): string {
  if (!SENSOR_NAME_PATTERN.test(name)) {
    throw new SensorUsageError(
      `--name ${JSON.stringify(name)}: use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  return name;
}

/** @throws {SensorUsageError} when `text` is not a whole number of seconds from 1 to 86400 */
export function parseSensorInterval(text: string): number {
  const value = Number(text);
  if (!/^[0-9]{1,5}$/.test(text) || value < 1 || value > 86400) {
    throw new SensorUsageError(`--interval must be a whole number of seconds from 1 to 86400, got ${text}`);
  }
  return value;
}
