import type { Log } from '../../shared/log.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import type { AlertNotes } from '../../notify/alert-notes.js';
import { errorText } from '../kasa/plug.js';
import { lampHosts } from '../power-cycle/plug-rules.js';
import type { PlugSwitch } from '../kasa/plug-switch.js';

/** What the {@link IndicatorLamp} is built from. */
export interface IndicatorLampDeps {
  readonly plugs: PlugSwitch;
  readonly log: Log;
  readonly notes: AlertNotes;
}

/**
 * Keeps the `indicator_lamp` plug on while any lamp host (see {@link lampHosts}) is DOWN and off when all
 * are up. Its state is not trusted across restarts: the first cycle after start switches the lamp to what
 * it should be, whatever it was. Switching runs in the background; a failure is logged, noted in the next
 * alert of the down hosts once, and retried at the next cycle.
 */
export class IndicatorLamp implements MonitorObserver {
  readonly name = 'indicator-lamp';
  /** What the lamp was last successfully switched to, and which plug; null: unknown. */
  private current: { plug: string; on: boolean } | null = null;
  private busy: Promise<void> | null = null;
  private failing = false;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: IndicatorLampDeps) {}

  cycleFinished(report: CycleReport): void {
    const plug = report.config.settings.indicatorLamp;
    if (plug === '' || this.busy || this.stopping.signal.aborted) return;
    const down = lampHosts(report.config.hosts).filter((host) => report.states.get(host)?.status === 'DOWN');
    const on = down.length > 0;
    if (this.current?.plug === plug && this.current.on === on) return;
    this.busy = this.switchLamp(plug, on, down).finally(() => {
      this.busy = null;
    });
  }

  /** Waits for a switch in progress (its retries cut short). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.busy;
  }

  private async switchLamp(plug: string, on: boolean, down: readonly string[]): Promise<void> {
    const { plugs, log, notes } = this.deps;
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
        error: errorText(error),
      });
      if (!this.failing)
        notes.add(
          down,
          `indicator lamp ${plug} could not be switched ${on ? 'on' : 'off'}: ${errorText(error)}`,
        );
      this.failing = true;
    }
  }
}
