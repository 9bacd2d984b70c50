import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Check, Target } from '../../lib/config/target.js';
import type { Config, Settings } from '../../lib/config/types.js';
import type { ConfigSource } from '../../lib/monitor/monitor-loop.js';

/** Settings as the defaults give them, with a short interval for loop tests. */
export const testSettings: Settings = { ...DEFAULT_SETTINGS, intervalSeconds: 60 };

/** What a test target may set besides its host. */
export interface TestTargetOptions {
  readonly description?: string;
  readonly location?: string;
  readonly line?: number;
  readonly parent?: string | null;
  readonly cyclePlug?: string | null;
  readonly lamp?: boolean | null;
  readonly check?: Check;
}

/** A target as a hosts.csv row of `host` would give it (an icmp check unless told otherwise). */
export function testTarget(host: string, options: TestTargetOptions = {}): Target {
  return {
    id: host,
    label: { host, description: options.description ?? '', location: options.location ?? '' },
    check: options.check ?? { kind: 'icmp' },
    parent: options.parent ?? null,
    cyclePlug: options.cyclePlug ?? null,
    lamp: options.lamp ?? null,
    line: options.line ?? 1,
  };
}

/** A config source whose config a test can swap between cycles. */
export class FakeConfigSource implements ConfigSource {
  config: Config;

  constructor(hosts: string[], settings: Partial<Settings> = {}) {
    this.config = {
      targets: hosts.map((host, index) =>
        testTarget(host, { description: `Host ${host}`, location: 'Lab', line: index + 1 }),
      ),
      settings: { ...testSettings, ...settings },
      smtp: null,
      warnings: [],
    };
  }

  async current(): Promise<Config> {
    return this.config;
  }

  setHosts(hosts: string[]): void {
    this.config = {
      ...this.config,
      targets: hosts.map((host, index) => testTarget(host, { line: index + 1 })),
    };
  }

  setTargets(targets: readonly Target[]): void {
    this.config = { ...this.config, targets };
  }
}
