import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import { PlugError, type Plug } from './plug.js';

/** What the lamp and the power cycler need from plugs: switch one by name, verified. */
export interface PlugSwitch {
  /**
   * Switches the plug named `name` and reads its state back. Retried; `signal` only shortens the waits
   * between tries (a plug must still be switched on during shutdown).
   * @throws PlugError when every try failed
   */
  switchTo(name: string, on: boolean, signal?: AbortSignal): Promise<void>;
}

/** Where plugs are found; {@link PlugDirectory} is the real one. */
export interface PlugFinder {
  find(name: string): Promise<Plug>;
  forget(name: string): void;
}

/** Options of {@link VerifiedPlugSwitch}. */
export interface VerifiedPlugSwitchOptions {
  readonly finder: PlugFinder;
  readonly clock: Clock;
  readonly log: Log;
  /** Tries per command (`kasa_attempts`). */
  readonly attempts: number;
  readonly retryDelayMs: number;
}

/**
 * Switches plugs and trusts only what they report afterwards: after each command the relay state is read
 * back, and a plug that reports the wrong state counts as a failed try. A failed try makes the directory
 * forget the plug, so the next try checks its address again (it may have moved).
 */
export class VerifiedPlugSwitch implements PlugSwitch {
  constructor(private readonly options: VerifiedPlugSwitchOptions) {}

  async switchTo(name: string, on: boolean, signal?: AbortSignal): Promise<void> {
    const { finder, clock, log, attempts, retryDelayMs } = this.options;
    const to = on ? 'on' : 'off';
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const plug = await finder.find(name);
        await plug.setPower(on);
        const state = await plug.getState();
        if (state !== on) throw new Error(`plug reports ${state ? 'on' : 'off'} after switching ${to}`);
        log.info('plug switched', { plug: name, alias: plug.alias, address: plug.address, to });
        return;
      } catch (error) {
        lastError = error;
        finder.forget(name);
        log.warn('plug command failed', {
          plug: name,
          to,
          try: `${attempt}/${attempts}`,
          error: errorMessage(error),
        });
        if (attempt < attempts) await clock.sleep(retryDelayMs, signal);
      }
    }
    throw new PlugError(
      name,
      `plug ${name} did not switch ${to} (${attempts} ${attempts === 1 ? 'try' : 'tries'}): ${errorMessage(lastError)}`,
      { cause: lastError },
    );
  }
}

/** `--dry-run`: logs what would be switched and touches nothing. */
export class DryRunPlugSwitch implements PlugSwitch {
  constructor(private readonly log: Log) {}

  switchTo(name: string, on: boolean): Promise<void> {
    this.log.info('dry run: would switch plug', { plug: name, to: on ? 'on' : 'off' });
    return Promise.resolve();
  }
}
