import path from 'node:path';

import { ConfigError } from '../shared/errors.js';
import { MIN_SECRET_LENGTH, type SensorEntry } from './sensor-entry.js';
import { openWithoutBlocking } from './read-config-file.js';

/** Sensors with their key files read, the problems, and warnings (files others can read). */
export interface ResolvedSensorSecrets {
  readonly sensors: readonly SensorEntry[];
  readonly errors: readonly ConfigError[];
  readonly warnings: readonly string[];
}

const MAX_SECRET_FILE_BYTES = 4096;

/**
 * Reads the key files named in sensors.csv: the key is the file's text with surrounding whitespace removed
 * (so `openssl rand -hex 32 > cabin.key` works). Relative paths are relative to the config folder.
 *
 * @param configDir where the config folder really is
 * @param sensorsFile the sensors.csv path as shown in messages
 */
export async function resolveSensorSecrets(
  sensors: readonly SensorEntry[],
  configDir: string,
  sensorsFile: string,
): Promise<ResolvedSensorSecrets> {
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  const resolved = await Promise.all(
    sensors.map(async (sensor) => {
      if (sensor.secretFile === null) return sensor;
      const problem = (message: string) => {
        errors.push(new ConfigError(sensorsFile, sensor.line, `key file ${sensor.secretFile}: ${message}`));
        return sensor;
      };
      const file = path.resolve(configDir, sensor.secretFile);
      const read = await readSecretFile(file);
      if ('problem' in read) return problem(read.problem);
      if (read.key === '') return problem('is empty');
      if (/\s/.test(read.key)) return problem('the key must be one word (no spaces or line breaks inside)');
      if (read.key.length < MIN_SECRET_LENGTH) {
        return problem(`the key is shorter than ${MIN_SECRET_LENGTH} characters`);
      }
      if (read.shared) {
        // The path as the user can type it: a relative one is relative to the config folder, not to here.
        const shown = path.isAbsolute(sensor.secretFile)
          ? sensor.secretFile
          : path.join(path.dirname(sensorsFile), sensor.secretFile);
        warnings.push(`${shown}: readable by other users; run "chmod 600 ${shown}"`);
      }
      return { ...sensor, key: read.key };
    }),
  );
  // Files are read in parallel and finish in any order; report problems in line order, like every file.
  errors.sort((a, b) => a.line - b.line);
  return { sensors: resolved, errors, warnings };
}

/** Reads a sensor key file: its trimmed text and whether group/others may read it. */
export async function readSecretFile(
  file: string,
): Promise<{ key: string; shared: boolean } | { problem: string }> {
  let handle;
  try {
    handle = await openWithoutBlocking(file);
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'is not a regular file' };
    if (info.size > MAX_SECRET_FILE_BYTES)
      return { problem: `is larger than ${MAX_SECRET_FILE_BYTES} bytes` };
    const text = (await handle.readFile()).toString('utf8');
    return { key: text.trim(), shared: (info.mode & 0o077) !== 0 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: 'not found' };
    if (code === 'EACCES' || code === 'EPERM') return { problem: 'permission denied' };
    return { problem: `cannot read (${code ?? 'unknown error'})` };
  } finally {
    await handle?.close();
  }
}
