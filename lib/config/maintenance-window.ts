import type { TargetSelector } from './target-selector.js';
import type { TimeZone } from './time-zone.js';

/**
 * When a maintenance window is open: once, from `start` to `end`; or every time a cron pattern fires (a
 * `daily` or `weekly` row becomes one), for `durationMs` from then, read in `zone`.
 */
export type WindowTiming =
  | { readonly kind: 'once'; readonly start: Date; readonly end: Date }
  | {
      readonly kind: 'recurring';
      /** A 5- or 6-field cron pattern (croner syntax). */
      readonly pattern: string;
      readonly durationMs: number;
      readonly zone: TimeZone;
      /** The `when` cell as written (`daily 02:00`, `weekly sat sun 03:00`, `cron 0 4 1 * *`). */
      readonly text: string;
    };

/** A row of maintenance.csv: during its window, matching targets raise no alerts and no power cycles. */
export interface MaintenanceWindow {
  readonly selector: TargetSelector;
  readonly timing: WindowTiming;
  /** The row's note (why, who); empty when none was given. */
  readonly note: string;
  /** 1-based line in maintenance.csv. */
  readonly line: number;
}
