import { formatDuration } from '../shared/format-duration.js';
import type { CycleAttempt, PowerCycleSpec } from './actions.js';

/** `power cycle 1/2 of Modem started: plug off for 30s, then up to 5m 0s for the link to return`. */
export function cycleStartNote(spec: PowerCycleSpec): string {
  return (
    `power cycle ${spec.attempt}/${spec.max} of ${spec.plug} started: plug off for ${formatDuration(spec.offMs)}, ` +
    `then up to ${formatDuration(spec.bootWaitMs)} for the link to return`
  );
}

/** What happened in one cycle, one sentence for alert emails. */
export function cycleResultNote(attempt: CycleAttempt, bootWaitMs: number): string {
  const head = `power cycle ${attempt.attempt}/${attempt.max} of ${attempt.plug}`;
  const off = attempt.offMs === null ? '' : `plug off ${formatDuration(attempt.offMs)}, on again; `;
  switch (attempt.result) {
    case 'restored':
      if (attempt.restoredIn === 'switching-off') return `${head}: link back before the plug went off`;
      if (attempt.restoredIn === 'off') {
        return `${head}: link back while the plug was off; it goes on again after the off time`;
      }
      return `${head}: ${off}link restored ${formatDuration(attempt.restoredAfterMs ?? 0)} after power-on`;
    case 'not-restored':
      return `${head}: ${off}link not back after ${formatDuration(bootWaitMs)}`;
    case 'interrupted':
      return `${head} interrupted by shutdown; ${attempt.offMs === null ? 'plug left on' : 'plug switched back on'}`;
    case 'plug-failed':
      return `${head} failed: ${attempt.error ?? 'the plug did not answer'}`;
  }
}

/** `power cycle 2/2 of Modem did not restore the link; giving up until it comes back`. */
export function giveUpNote(plug: string, attempts: number): string {
  return `power cycle ${attempts}/${attempts} of ${plug} did not restore the link; giving up until it comes back`;
}

/** Said once per outage when the triggers are down but cycling is not armed yet. */
export function notArmedNote(plug: string): string {
  return (
    `${plug} not power-cycled: its trigger hosts have not all answered since pingwarden started ` +
    '(cycling is armed once they have)'
  );
}
