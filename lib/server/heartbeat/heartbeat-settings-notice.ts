import type { Log } from '../../shared/log.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';

/** The listener settings the daemon started with. */
export interface HeartbeatStartSettings {
  readonly port: number;
  readonly address: string;
}

/**
 * Tells the user, once per change, that an edited `heartbeat_port` or `heartbeat_listen` needs a restart:
 * the socket is bound at start-up, and a sensor added while no listener runs would otherwise stay UNKNOWN
 * without a word.
 */
export class HeartbeatSettingsNotice implements MonitorObserver {
  readonly name = 'heartbeat-settings';
  private lastWarned: string;

  constructor(
    private readonly started: HeartbeatStartSettings,
    private readonly log: Log,
  ) {
    this.lastWarned = `${started.address}:${started.port}`;
  }

  cycleFinished(report: CycleReport): void {
    const { heartbeatPort: port, heartbeatListen: address } = report.config.settings;
    const wanted = `${address}:${port}`;
    if (wanted === this.lastWarned) return;
    this.lastWarned = wanted;
    if (port === this.started.port && address === this.started.address) return;
    this.log.warn('heartbeat listener settings changed; restart pingwarden to apply them', {
      running: this.started.port === 0 ? 'off' : `${this.started.address}:${this.started.port}`,
      configured: port === 0 ? 'off' : wanted,
    });
  }
}
