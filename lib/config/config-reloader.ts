import { ConfigErrors } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { Config, Settings } from './types.js';

/** What the reloader needs from the disk; the real ones are loadConfig and configFingerprint. */
export interface ConfigReaders {
  load(): Promise<Config>;
  fingerprint(): Promise<string>;
}

/** Told about every configuration that replaced the one in force (after a successful reload). */
export type ReloadListener = (next: Config, previous: Config) => void;

/**
 * Serves the last good configuration and re-reads the files at the next cycle when they changed on disk or
 * a reload was requested (SIGHUP). A broken edit is logged and the last good configuration stays in force.
 *
 * Every component reads the configuration in force through {@link latest} or {@link settings}, never a copy
 * taken at start-up; the settings table says which settings are only read once (`reload: 'restart'`).
 */
export class ConfigReloader {
  private reloadRequested = false;
  private readonly listeners: ReloadListener[] = [];

  private constructor(
    private readonly readers: ConfigReaders,
    private readonly log: Log,
    private config: Config,
    private fingerprint: string,
  ) {}

  /**
   * Loads the configuration for the first time; throws {@link ConfigErrors} when it is invalid.
   *
   * @param loaded the configuration the caller already read, with the fingerprint taken before reading it
   *   (so an edit made meanwhile is still seen at the next cycle): the files are not parsed a second time,
   *   which for 10,000 hosts is a fifth of a second of a cron run's CPU.
   */
  static async open(
    readers: ConfigReaders,
    log: Log,
    loaded?: { readonly config: Config; readonly fingerprint: string },
  ): Promise<ConfigReloader> {
    if (loaded !== undefined) return new ConfigReloader(readers, log, loaded.config, loaded.fingerprint);
    const fingerprint = await readers.fingerprint();
    return new ConfigReloader(readers, log, await readers.load(), fingerprint);
  }

  /** Asks for a re-read at the next cycle even if no file seems to have changed (SIGHUP). */
  requestReload(): void {
    this.reloadRequested = true;
  }

  /** The configuration in force now, without looking at the disk. */
  latest(): Config {
    return this.config;
  }

  /** The settings in force now: the one accessor components are given (`() => settings`). */
  readonly settings = (): Settings => this.config.settings;

  /** Calls `listener` after each reload that replaced the configuration. */
  onReload(listener: ReloadListener): void {
    this.listeners.push(listener);
  }

  /** The configuration for the next cycle. */
  async current(): Promise<Config> {
    const fingerprint = await this.readers.fingerprint();
    if (!this.reloadRequested && fingerprint === this.fingerprint) return this.config;
    this.reloadRequested = false;
    // Remember the fingerprint even when the new files are bad, so the same problems are logged once.
    this.fingerprint = fingerprint;
    const previous = this.config;
    try {
      this.config = await this.readers.load();
    } catch (error) {
      if (!(error instanceof ConfigErrors)) throw error;
      this.log.error('config reload failed; keeping the last good config', {
        problems: error.problems.length,
      });
      for (const problem of error.problems) this.log.error(problem.message);
      return this.config;
    }
    this.log.info('config reloaded', { hosts: this.config.targets.length });
    for (const warning of this.config.warnings) this.log.warn(warning);
    for (const listener of this.listeners) listener(this.config, previous);
    return this.config;
  }
}
