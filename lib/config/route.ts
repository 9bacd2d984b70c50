import type { Destination } from './destination.js';
import type { QuietHours } from './quiet-hours.js';
import type { TargetSelector } from './target-selector.js';

/** A row of routes.csv: the alerts of the hosts it matches go to its destinations. */
export interface Route {
  readonly selector: TargetSelector;
  /** Never empty. */
  readonly destinations: readonly Destination[];
  /** Non-urgent messages for these hosts are not sent during these hours; null: never quiet. */
  readonly quiet: QuietHours | null;
  /** 1-based line in routes.csv. */
  readonly line: number;
}
