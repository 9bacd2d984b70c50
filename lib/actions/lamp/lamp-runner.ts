import type { Action, ActionEvent, EffectRunner } from '../../monitor/actions.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { PlugSwitch } from '../kasa/plug-switch.js';

/** What the {@link LampRunner} is built from. */
export interface LampRunnerDeps {
  readonly plugs: PlugSwitch;
  readonly log: Log;
}

/**
 * Carries out the cycle's `lamp` action: keeps the `indicator_lamp` plug on while any lamp target is DOWN
 * and off when all are up. What the lamp is really set to is not trusted across restarts: the first cycle
 * after start switches it to what it should be, whatever it was. Switching runs in the background; a
 * failure is logged, reported once (so it is noted in the next alert of the down targets) and retried at
 * the next cycle.
 */
export class LampRunner implements EffectRunner {
  readonly name = 'indicator-lamp';
  /** What the lamp was last successfully switched to, and which plug; null: unknown. */
  private current: { plug: string; on: boolean } | null = null;
  private busy: Promise<void> | null = null;
  private failing = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: LampRunnerDeps) {}

  run(actions: readonly Action[], report: (event: ActionEvent) => void): void {
    for (const action of actions) {
      if (action.type !== 'lamp' || this.busy || this.stopping.signal.aborted) continue;
      if (this.current?.plug === action.plug && this.current.on === action.on) continue;
      const { plug, on, down } = action;
      this.busy = this.switchLamp(plug, on, down, report).finally(() => {
        this.busy = null;
      });
    }
  }

  /** Waits for a switch in progress (its retries cut short). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.busy;
  }

  private async switchLamp(
    plug: string,
    on: boolean,
    down: readonly string[],
    report: (event: ActionEvent) => void,
  ): Promise<void> {
    const { plugs, log } = this.deps;
    try {
      await plugs.switchTo(plug, on, this.stopping.signal);
      this.current = { plug, on };
      this.failing = false;
      log.info('indicator lamp', { plug, state: on ? 'on' : 'off', down: down.length });
    } catch (error) {
      this.current = null;
      log.error('indicator lamp could not be switched', {
        plug,
        to: on ? 'on' : 'off',
        error: errorMessage(error),
      });
      if (!this.failing) report({ type: 'lamp-failed', plug, on, down, error: errorMessage(error) });
      this.failing = true;
    }
  }
}
