import { errorMessage } from '../../shared/errors.js';
import type { OrgPrefix } from '../../config/parse-orgs.js';
import type { Settings } from '../../config/types.js';
import type { Log } from '../../shared/log.js';
import type { CheckSpec } from '../../config/check-spec.js';
import type { DeepProbeReport, DeepProbeRunner } from './deep-probe-result.js';

/** What a {@link ConfigFollowingProber} reads and builds with. */
export interface ConfigFollowingProberOptions {
  /** The settings in force (the reloader's latest configuration). */
  readonly settings: () => Settings;
  /** Changes whenever orgs.csv is edited, created or deleted. */
  readonly orgsStamp: () => Promise<string>;
  /** Reads orgs.csv (null when absent); throws ConfigErrors when it is invalid. */
  readonly loadOrgs: () => Promise<OrgPrefix[] | null>;
  readonly build: (settings: Settings, prefixes: readonly OrgPrefix[] | null) => DeepProbeRunner;
  readonly log: Log;
}

/**
 * A deep prober that follows configuration changes while the daemon runs: settings (timeouts, hops, IPinfo)
 * from the latest reload, and orgs.csv whenever it changes on disk. An invalid orgs.csv is logged and the
 * last good one kept, as for the other files. The prober (and its IPinfo cache) is rebuilt only on change.
 */
export class ConfigFollowingProber implements DeepProbeRunner {
  private settings: Settings | null = null;
  private stamp: string | null = null;
  private prefixes: readonly OrgPrefix[] | null = null;
  private prober: DeepProbeRunner | null = null;
  private refreshing: Promise<DeepProbeRunner> | null = null;

  constructor(private readonly options: ConfigFollowingProberOptions) {}

  async probe(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeReport> {
    // Concurrent probes share one refresh rather than each reading orgs.csv.
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null));
    const prober = await this.refreshing;
    return prober.probe(spec, signal);
  }

  private async refresh(): Promise<DeepProbeRunner> {
    const settings = this.options.settings();
    const stamp = await this.options.orgsStamp();
    let changed = this.prober === null || settings !== this.settings;
    if (stamp !== this.stamp) {
      try {
        this.prefixes = await this.options.loadOrgs();
        changed = true;
        if (this.stamp !== null)
          this.options.log.info('orgs.csv reloaded', { prefixes: this.prefixes?.length ?? 0 });
      } catch (error) {
        this.options.log.error('orgs.csv is invalid; keeping the last good one', {
          error: errorMessage(error),
        });
      }
      this.stamp = stamp;
    }
    if (changed || this.prober === null) {
      this.prober = this.options.build(settings, this.prefixes);
      this.settings = settings;
    }
    return this.prober;
  }
}
