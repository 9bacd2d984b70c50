import type { Config, HostEntry, Settings } from '../../lib/config/types.js';
import type { ConfigSource } from '../../lib/monitor/monitor-loop.js';

/** Settings as the defaults give them, with a short interval for loop tests. */
export const testSettings: Settings = {
  intervalSeconds: 60,
  attempts: 3,
  timeoutSeconds: 2,
  realertSeconds: 3600,
  fromAddress: '',
  logRetentionDays: 30,
  logLevel: 'info',
  maxConcurrentProbes: 64,
  smtpAllowSelfSigned: false,
  smtpTimeoutSeconds: 30,
  pinger: 'auto',
  fpingThreshold: 50,
  fpingIntervalMs: 1,
};

/** A hosts.csv row for tests. */
export function hostEntry(host: string, description = '', location = '', line = 1): HostEntry {
  return { host, description, location, options: new Map(), line };
}

/** A config source whose config a test can swap between cycles. */
export class FakeConfigSource implements ConfigSource {
  config: Config;

  constructor(hosts: string[], settings: Partial<Settings> = {}) {
    this.config = {
      hosts: hosts.map((host, index) => hostEntry(host, `Host ${host}`, 'Lab', index + 1)),
      settings: { ...testSettings, ...settings },
      smtp: null,
      warnings: [],
    };
  }

  async current(): Promise<Config> {
    return this.config;
  }

  setHosts(hosts: string[]): void {
    this.config = { ...this.config, hosts: hosts.map((host, index) => hostEntry(host, '', '', index + 1)) };
  }
}
