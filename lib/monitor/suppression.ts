import { Cron } from 'croner';

import type { MaintenanceWindow, WindowTiming } from '../config/maintenance-window.js';
import { cronZone } from '../config/parse-maintenance.js';
import type { Target } from '../config/target.js';
import { selects, type TargetSelector } from '../config/target-selector.js';

/**
 * A `pingwarden snooze`: the targets it names raise no alerts and no power cycles until `until`. Stored in
 * logs/snoozes.json by the command, read by the loop every cycle.
 */
export interface Snooze {
  readonly selector: TargetSelector;
  /** When the snooze was given. */
  readonly at: Date;
  readonly until: Date;
  readonly note: string | null;
}

/** A `pingwarden ack`: stops the reminders of the host's outage open at `at`. */
export interface AckRequest {
  /** The target id as the command resolved it. */
  readonly host: string;
  readonly at: Date;
  readonly note: string | null;
}

/** What the running monitor is told between cycles by commands (snooze, ack). */
export interface OperatorControls {
  readonly snoozes: readonly Snooze[];
  readonly acks: readonly AckRequest[];
}

/** No snoozes, no acks. */
export const NO_CONTROLS: OperatorControls = { snoozes: [], acks: [] };

/** Where the loop reads the operator's controls from each cycle (logs/snoozes.json, logs/acks.json). */
export interface ControlSource {
  read(): Promise<OperatorControls>;
}

/** Why a target is silenced in a cycle, and until when. */
export interface Suppression {
  readonly kind: 'maintenance' | 'snooze';
  /** When the window or snooze ends (the latest end when several apply). */
  readonly until: Date;
  /** The window's or the snooze's note; null when none. */
  readonly note: string | null;
}

/**
 * Until when `timing` is open at `now`, or null when it is closed. A window is open from its start
 * (included) to its end (excluded). A recurring window is open when a start of its pattern lies within the
 * last `durationMs`: that start is the pattern's first run after `now - durationMs`.
 */
export function openUntil(timing: WindowTiming, now: Date): Date | null {
  const time = now.getTime();
  if (timing.kind === 'once') {
    return timing.start.getTime() <= time && time < timing.end.getTime() ? timing.end : null;
  }
  const cron = new Cron(timing.pattern, { paused: true, ...cronZone(timing.zone) });
  // croner's nextRun is strictly after its argument: one millisecond back lets a start at exactly
  // `now - duration` count (it ends at `now`, so it is then closed, as it should be).
  const start = cron.nextRun(new Date(time - timing.durationMs - 1));
  if (start === null || start.getTime() > time) return null;
  const end = start.getTime() + timing.durationMs;
  return end > time ? new Date(end) : null;
}

/**
 * Every target silenced at `now` by a maintenance window or a snooze, with the reason that lasts longest
 * (a maintenance window wins a tie). Pure: the loop calls it with the cycle's `now`.
 */
export function suppressionsAt(
  targets: readonly Target[],
  windows: readonly MaintenanceWindow[],
  snoozes: readonly Snooze[],
  now: Date,
): ReadonlyMap<string, Suppression> {
  const found = new Map<string, Suppression>();
  const offer = (selector: TargetSelector, suppression: Suppression) => {
    for (const target of targets) {
      if (!selects(selector, target)) continue;
      const current = found.get(target.id);
      if (current === undefined || current.until.getTime() < suppression.until.getTime()) {
        found.set(target.id, suppression);
      }
    }
  };
  for (const window of windows) {
    const until = openUntil(window.timing, now);
    if (until !== null) offer(window.selector, { kind: 'maintenance', until, note: window.note || null });
  }
  for (const snooze of snoozes) {
    if (snooze.until.getTime() <= now.getTime()) continue;
    offer(snooze.selector, { kind: 'snooze', until: snooze.until, note: snooze.note });
  }
  return found;
}
