import type { CycleAttempt } from '../monitor/actions.js';
import type { NewHistoryRecord } from './history-record.js';

/**
 * The history record of one finished power-cycle attempt, dated when it started (so the report counts it
 * for the outage that was open then).
 */
export function cycleAttemptRecord(attempt: CycleAttempt): NewHistoryRecord {
  return {
    kind: 'action',
    action: 'power-cycle',
    at: attempt.startedAt.toISOString(),
    plug: attempt.plug,
    hosts: [...attempt.hosts],
    attempt: attempt.attempt,
    max: attempt.max,
    result: attempt.result,
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
  };
}
