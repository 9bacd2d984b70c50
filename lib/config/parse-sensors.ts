import { isIP } from 'node:net';

import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { parseHostOptions, type HostOptionValidator } from './host-options.js';
import { MIN_SECRET_LENGTH, SENSOR_NAME_PATTERN, sensorHost, type SensorEntry } from './sensor-entry.js';

/** The sensors of sensors.csv and every problem found in it. */
export interface ParsedSensors {
  readonly sensors: readonly SensorEntry[];
  readonly errors: readonly ConfigError[];
}

const COLUMNS = ['name', 'secret_file_or_key', 'down_seconds', 'description', 'location', 'options'] as const;
const MIN_DOWN_SECONDS = 10;
const MAX_DOWN_SECONDS = 604800;

/** Option keys of the 6th column of sensors.csv. */
export const SENSOR_OPTIONS: ReadonlyMap<string, HostOptionValidator> = new Map<string, HostOptionValidator>([
  [
    'insecure',
    (value) => (isIP(value) === 0 ? 'must be the IPv4 or IPv6 address the sensor sends from' : null),
  ],
]);

/**
 * Parses sensors.csv: rows of `name,secret_file_or_key,down_seconds,description,location[,options]`.
 * A first row whose first cell is `name` is a header. No disk access: a secret given as a file path
 * (starting with `/`, `./` or `../`; relative paths are relative to the config folder) is left for
 * {@link resolveSensorSecrets} to read, anything else in that column is the key itself.
 * Options: `insecure:ADDRESS` also accepts the unsigned legacy format, only from that source address; such a
 * sensor may leave the secret empty.
 *
 * @param file the path shown in messages, e.g. `config/sensors.csv`
 */
export function parseSensors(text: string, file: string): ParsedSensors {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const sensors: SensorEntry[] = [];
  const firstLineOf = new Map<string, number>();

  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && /^name$/i.test(cells[0] ?? '')) return;
    if (cells.length > COLUMNS.length) {
      problem(
        `too many values (${cells.length}): expected ` +
          'name,secret_file_or_key,down_seconds,description,location[,options]',
      );
      return;
    }
    if (cells.some(hasLineBreak)) {
      problem('line breaks are not allowed in sensors.csv');
      return;
    }
    const [name = '', secret = '', downText = '', description = '', location = '', optionText = ''] = cells;
    const before = errors.length;

    if (name === '') problem('missing sensor name (the first value)');
    else if (!SENSOR_NAME_PATTERN.test(name)) {
      problem(
        `invalid sensor name ${JSON.stringify(name.slice(0, 80))}: use 1-64 letters, digits, ".", "_" or "-", ` +
          'starting with a letter or digit',
      );
    } else {
      const firstLine = firstLineOf.get(name.toLowerCase());
      if (firstLine === undefined) firstLineOf.set(name.toLowerCase(), line);
      else problem(`duplicate sensor "${name}" (first listed on line ${firstLine})`);
    }

    const { options, problems } = parseHostOptions(optionText, SENSOR_OPTIONS);
    problems.forEach(problem);
    const insecureAddress = options.get('insecure') ?? null;

    let key: string | null = null;
    let secretFile: string | null = null;
    if (secret === '') {
      if (insecureAddress === null) {
        problem('missing secret (the second value): a key file path or the key itself');
      }
    } else if (isSecretPath(secret)) {
      secretFile = secret;
    } else if (/\s/.test(secret)) {
      // The key itself is never echoed: it would end up in logs.
      problem('the key must not contain spaces');
    } else if (secret.length < MIN_SECRET_LENGTH) {
      problem(
        `the key is shorter than ${MIN_SECRET_LENGTH} characters (make one with "openssl rand -hex 32")`,
      );
    } else {
      key = secret;
    }

    let downSeconds = 0;
    if (!/^[0-9]{1,7}$/.test(downText)) {
      problem(
        downText === ''
          ? 'missing down_seconds (the third value)'
          : `down_seconds ${JSON.stringify(downText.slice(0, 20))} is not a whole number of seconds`,
      );
    } else {
      downSeconds = Number(downText);
      if (downSeconds < MIN_DOWN_SECONDS || downSeconds > MAX_DOWN_SECONDS) {
        problem(`down_seconds must be from ${MIN_DOWN_SECONDS} to ${MAX_DOWN_SECONDS}, got ${downSeconds}`);
      }
    }

    if (errors.length > before) return;
    sensors.push({
      name,
      host: sensorHost(name),
      key,
      secretFile,
      downSeconds,
      description,
      location,
      insecureAddress,
      line,
    });
  });

  errors.sort((a, b) => a.line - b.line);
  return { sensors, errors };
}

/** A secret written as a path rather than as the key itself; hex and base64 keys never start like this. */
export function isSecretPath(text: string): boolean {
  return text.startsWith('/') || text.startsWith('./') || text.startsWith('../');
}
