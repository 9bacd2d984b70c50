import { errorMessage, FaultError } from '../shared/errors.js';
import { HOST_STATUSES, IS_OUTAGE } from '../monitor/host-state.js';
import { buildMonitorApp, type MonitorFlags } from './monitor-app.js';
import { ensureWritableLogs } from '../shared/writable-folder.js';
import { isHeld, takeOnceLock } from './once-lock.js';
import type { AppDeps } from './deps.js';
import { startServices, stopErrorTo } from './service.js';

/** Exit status of `once`: 0 all up, 1 something down, 3 another `once` holds the lock. */
export type OnceOutcome = 'all up' | 'something down' | 'busy';

/**
 * `pingwarden start` and `watch`: builds the services, starts them in order, runs until SIGINT/SIGTERM
 * (SIGHUP asks for a config reload), then stops them in reverse. A service that fails to start stops those
 * already started and the error propagates (a port in use is a FaultError: one line, exit 1).
 */
export async function runDaemon(deps: AppDeps, flags: MonitorFlags): Promise<void> {
  const app = await buildMonitorApp(deps, flags);
  const { log, config } = app;
  const running = await startServices(app.services, stopErrorTo(deps.io.err));
  const initial = config.latest();
  log.info('pingwarden started', {
    pid: deps.pid,
    hosts: initial.targets.length,
    interval_s: initial.settings.intervalSeconds,
    config: deps.paths.configDir,
    // `watch` without --save writes nothing: naming ./logs would send people looking for files that never come.
    logs: flags.mode === 'watch' && flags.save !== true ? '(none)' : deps.paths.logsDir,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void app.loop.stop();
  };
  const reload = () => {
    log.info('reload requested', { signal: 'SIGHUP' });
    config.requestReload();
    try {
      app.reloadTls();
    } catch (error) {
      log.error('could not reload the TLS certificate; keeping the old one', { error: errorMessage(error) });
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);
  try {
    await app.loopEnded();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', reload);
    await running.stop();
  }
}

/**
 * `pingwarden once`: one cycle for cron, its alerts delivered (or queued), then everything stopped. It
 * power-cycles like the daemon (the counters rebuilt from the history); when it started a power cycle it
 * waits for its end (the boot wait), probes once more without starting another, and exits with that
 * result. `logs/once.lock` keeps two overlapping runs from cycling twice: the second says so and exits 3.
 */
export async function runOnce(deps: AppDeps): Promise<OnceOutcome> {
  // A logs folder that cannot be written is the user's to fix (exit 2), said before the lock is tried in it.
  await ensureWritableLogs(deps.paths.logsDir, { create: true });
  const lock = await takeOnceLock(deps.paths.logsDir, deps.pid);
  if (!isHeld(lock)) {
    const who = lock.pid === null ? 'another run' : `pid ${lock.pid}`;
    deps.io.err(`pingwarden: another pingwarden once is running (${who}, lock ${lock.file}); this run exits`);
    return 'busy';
  }
  try {
    const app = await buildMonitorApp(deps, { mode: 'once' });
    const running = await startServices(app.services, stopErrorTo(deps.io.err));
    try {
      // A cron run has no next cycle to retry held alerts in (disk full, read-only): it keeps trying a while.
      const retryHeldForMs = app.config.latest().settings.onceHeldRetrySeconds * 1000;
      let summary = await app.loop.runOnce({ retryHeldForMs });
      if (await app.plugActions.idle()) {
        await app.loop.settle();
        summary = await app.loop.runOnce({ startCycles: false, retryHeldForMs });
      }
      await app.loop.settle();
      const held = app.loop.heldAlerts;
      if (held > 0) {
        // Not recorded as alerted in the history, so the next run derives them again from the outage.
        throw new FaultError(
          `${held} alert${held === 1 ? '' : 's'} could not be stored in ${deps.paths.logsDir}/outbox ` +
            `(disk full or read-only?) after ${Math.round(retryHeldForMs / 1000)} s of retries; ` +
            'the next run sends the DOWN again once logs/ can be written',
        );
      }
      await app.outbox.deliverPending();
      const outages = HOST_STATUSES.filter((status) => IS_OUTAGE[status] && summary.counts[status] > 0);
      return outages.length > 0 ? 'something down' : 'all up';
    } finally {
      await running.stop();
    }
  } finally {
    await lock.release();
  }
}
