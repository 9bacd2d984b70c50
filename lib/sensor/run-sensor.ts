import os from 'node:os';

import type { Clock } from '../shared/clock.js';
import { readSecretFile } from '../config/sensor-secrets.js';
import { MIN_SECRET_LENGTH } from '../config/sensor-entry.js';
import type { ClosableLog, LoggerOptions } from '../shared/logger.js';
import { HeartbeatSender } from './heartbeat-sender.js';
import {
  checkSensorName,
  parseSensorInterval,
  parseServerAddress,
  SensorUsageError,
} from './sensor-options.js';

/** The options of `pingwarden sensor`, as commander hands them over. */
export interface SensorCommandOptions {
  readonly server: string;
  readonly name: string;
  readonly secretFile: string;
  readonly interval: string;
  readonly once?: boolean;
  readonly verbose?: boolean;
}

/**
 * `pingwarden sensor`: sends BOOT, then a signed PING every interval, until SIGTERM or SIGINT (exit 0).
 * With `--once` it sends a single PING and exits (for a systemd timer or cron).
 * @throws {SensorUsageError} for bad arguments or an unusable key file (printed without a stack trace)
 */
export async function runSensorCommand(
  options: SensorCommandOptions,
  /** The clock and the log factory; the CLI passes the app's (see lib/app/deps.ts). */
  deps: { readonly clock: Clock; readonly createLog: (options: LoggerOptions) => ClosableLog },
): Promise<number> {
  const server = parseServerAddress(options.server);
  const name = checkSensorName(options.name);
  const intervalSeconds = parseSensorInterval(options.interval);
  const secret = await readSecretFile(options.secretFile);
  if ('problem' in secret) throw new SensorUsageError(`key file ${options.secretFile}: ${secret.problem}`);
  if (secret.key.length < MIN_SECRET_LENGTH || /\s/.test(secret.key)) {
    throw new SensorUsageError(
      `key file ${options.secretFile}: the key must be one word of at least ${MIN_SECRET_LENGTH} characters`,
    );
  }

  const log = deps.createLog({
    logsDir: null,
    retentionDays: 1,
    level: options.verbose === true ? 'debug' : 'info',
    console: true,
  });
  if (secret.shared) {
    log.warn(`${options.secretFile}: readable by other users; run "chmod 600 ${options.secretFile}"`);
  }
  const sender = new HeartbeatSender({
    clock: deps.clock,
    log,
    host: server.host,
    port: server.port,
    name,
    key: secret.key,
    intervalSeconds,
    uptime: () => os.uptime(),
  });

  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping.signal.aborted) return;
    log.info('sensor stopping', { signal });
    stopping.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    if (options.once === true) {
      return (await sender.send('PING')) ? 0 : 1;
    }
    log.info('sensor started', { name, server: options.server, interval_s: intervalSeconds });
    await sender.run(stopping.signal);
    log.info('sensor stopped', { name });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await sender.close();
    await log.close();
  }
}
