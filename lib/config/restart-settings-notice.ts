import type { Log } from '../shared/log.js';
import { SETTING_SPECS, type AnySettingSpec } from './settings-table.js';
import type { Settings } from './types.js';

/**
 * Tells the user, once per edit, that a setting read only at start-up (`reload: 'restart'` in the settings
 * table) was changed on disk: the running value stays in force until pingwarden starts again, and without a
 * word the edit would look ignored (a sensor added while no heartbeat listener runs stays UNKNOWN).
 */
export class RestartSettingsNotice {
  private readonly specs: readonly AnySettingSpec[] = SETTING_SPECS.filter(
    (spec) => spec.reload === 'restart',
  );
  /** The value each key had in the configuration seen last, so one edit warns once, not every reload. */
  private readonly seen = new Map<string, unknown>();

  constructor(
    /** The settings pingwarden started with: what runs. */
    private readonly started: Settings,
    private readonly log: Log,
  ) {
    for (const spec of this.specs) this.seen.set(spec.key, started[spec.field]);
  }

  /** Looks at a newly loaded configuration's settings; give it every reload. */
  check(next: Settings): void {
    for (const spec of this.specs) {
      const value = next[spec.field];
      if (value === this.seen.get(spec.key)) continue;
      this.seen.set(spec.key, value);
      // Edited back to what runs: nothing to restart for.
      if (value === this.started[spec.field]) continue;
      this.log.warn('setting changed; restart pingwarden to apply it', {
        key: spec.key,
        old: shown(spec, this.started[spec.field]),
        new: shown(spec, value),
      });
    }
  }
}

function shown(spec: AnySettingSpec, value: unknown): string {
  if (spec.secret === true) return value === '' ? '(empty)' : '(hidden)';
  return value === '' ? '(empty)' : String(value);
}
