import type { SensorEntry } from '../../lib/config/sensor-entry.js';

/** The key every test sensor signs with (32 characters, above the 16-character minimum). */
export const TEST_SENSOR_KEY = '0123456789abcdef0123456789abcdef';

/** A signed sensor as sensors.csv would give it, for tests; `extra` overrides any field. */
export function sensorEntry(name: string, extra: Partial<SensorEntry> = {}): SensorEntry {
  return {
    name,
    host: `sensor:${name}`,
    key: TEST_SENSOR_KEY,
    secretFile: null,
    downSeconds: 180,
    description: '',
    location: '',
    insecureAddress: null,
    line: 1,
    ...extra,
  };
}
