/** Prefix that turns a sensor name into its host identity: `sensor:cabin`. No hosts.csv host can look like it. */
export const SENSOR_HOST_PREFIX = 'sensor:';

/** Sensor names: what the sensor puts in its heartbeats and what people see after `sensor:`. */
export const SENSOR_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Shortest shared secret accepted; `openssl rand -hex 32` makes a good one. */
export const MIN_SECRET_LENGTH = 16;

/** One remote sensor: a row of sensors.csv. */
export interface SensorEntry {
  /** As written in sensors.csv and sent in every heartbeat, e.g. `cabin`. */
  readonly name: string;
  /** Its identity among the monitored hosts: {@link sensorHost} of the name. */
  readonly host: string;
  /**
   * The shared secret heartbeats are signed with (UTF-8 text, whitespace trimmed); null for an insecure
   * sensor without one. While only parsed (before the files are read) a file-based secret is null too.
   */
  readonly key: string | null;
  /** The secret file as written in sensors.csv, or null when the key was written inline. */
  readonly secretFile: string | null;
  /** Silence longer than this makes the sensor DOWN. */
  readonly downSeconds: number;
  readonly description: string;
  readonly location: string;
  /** Source address from which the unsigned legacy format (`PING`, `BOOT<uptime>`) is accepted; null: never. */
  readonly insecureAddress: string | null;
  /** 1-based line in sensors.csv. */
  readonly line: number;
}

/** The host identity of sensor `name`, e.g. `sensor:cabin`. */
export function sensorHost(name: string): string {
  return `${SENSOR_HOST_PREFIX}${name}`;
}
