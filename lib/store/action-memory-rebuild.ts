import type { Target } from '../config/target.js';
import { initialActionMemory, type ActionMemory, type ActionPolicy } from '../monitor/evaluate-actions.js';
import { initialCyclePlugState, type CyclePlugState } from '../monitor/power-cycle-decision.js';
import { cycleRules, plugKey } from '../monitor/power-cycle-rules.js';
import type { ActionHistory } from './history-rebuild.js';

/**
 * The power-cycle memory a cron run (`pingwarden once`) starts from, rebuilt from the history so that
 * consecutive runs behave like one daemon:
 *
 * - **armed / seen UP**: a trigger recorded UP anywhere in the history read counts as seen UP;
 * - **attempts**: the power-cycle records of the plug since the last time one of its triggers became UP
 *   (that ended the outage, as the daemon's counter reset does);
 * - **last start**: the newest of those records, for `cycle_min_gap_seconds`;
 * - **gave up**: the attempts reached `cycle_max_per_outage` and the last one did not bring the link back,
 *   or a "person is needed" mark follows the last UP: the message was sent, it is not sent again;
 * - **plug error**: the last failed attempt's error, when the plug did not answer.
 *
 * Pure: the same history and targets give the same memory.
 */
export function actionMemoryFrom(
  history: ActionHistory,
  targets: readonly Target[],
  policy: Pick<ActionPolicy, 'maxPerOutage'>,
): ActionMemory {
  const plugs = new Map<string, CyclePlugState>();
  for (const rule of cycleRules(targets)) {
    const key = plugKey(rule.plug);
    const ids = rule.triggers.map((target) => target.id);
    const outageStart = Math.max(-Infinity, ...ids.map((id) => history.lastUpAt.get(id) ?? -Infinity));
    const cycles = (history.cycles.get(key) ?? []).filter((cycle) => cycle.at >= outageStart);
    const last = cycles.at(-1);
    const attempts = cycles.length;
    const markedAt = history.gaveUpAt.get(key);
    const marked = markedAt !== undefined && markedAt >= outageStart;
    const failed = cycles.filter((cycle) => cycle.result === 'plug-failed').at(-1);
    plugs.set(key, {
      ...initialCyclePlugState,
      attempts,
      lastStartAt: last ? new Date(last.at) : null,
      gaveUp: marked || (attempts >= policy.maxPerOutage && last !== undefined && last.result !== 'restored'),
      armed: ids.every((id) => history.seenUp.has(id)),
      plugError: failed ? (failed.error ?? 'the plug did not answer') : null,
    });
  }
  return { ...initialActionMemory, plugs, seenUp: new Set(history.seenUp) };
}
