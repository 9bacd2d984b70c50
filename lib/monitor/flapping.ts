/**
 * Flap detection the way Icinga does it: of the last {@link FLAP_RESULTS} results of a host, the share
 * that changed state from the one before, recent changes weighted more (0.8 for the oldest slot up to 1.2
 * for the newest), as a percentage of {@link FLAP_RESULTS}. A host starts FLAPPING above the high
 * threshold and stops below the low one.
 */
export const FLAP_RESULTS = 20;

const WEIGHT_MIN = 0.8;
const WEIGHT_MAX = 1.2;

/**
 * The answers of a host's last cycles, oldest first, `1` answered and `0` not: one more than
 * {@link FLAP_RESULTS}, as 21 results make 20 changes. A string keeps the state small and serialisable.
 */
export type FlapHistory = string;

const ALWAYS_ANSWERED: FlapHistory = '1'.repeat(FLAP_RESULTS + 1);
const NEVER_ANSWERED: FlapHistory = '0'.repeat(FLAP_RESULTS + 1);

/** `history` with this cycle's answer appended, keeping the newest {@link FLAP_RESULTS} + 1. */
export function withResult(history: FlapHistory | undefined, alive: boolean): FlapHistory {
  // A host answering (or silent) all along keeps the same history: no new string for it every cycle.
  if (history === (alive ? ALWAYS_ANSWERED : NEVER_ANSWERED)) return history;
  const next = (history ?? '') + (alive ? '1' : '0');
  return next.length > FLAP_RESULTS + 1 ? next.slice(next.length - FLAP_RESULTS - 1) : next;
}

/**
 * Whether `history` is long enough to judge a host's flapping as over (a resumed state may start short, or
 * empty without a quality series).
 */
export function isFull(history: FlapHistory): boolean {
  return history.length === FLAP_RESULTS + 1;
}

/**
 * The weighted share of state changes in `history`, 0–100. Change slots are aligned to the newest end, so
 * the newest change always gets the highest weight, however short the history.
 */
export function flapPercent(history: FlapHistory): number {
  let sum = 0;
  const changes = history.length - 1;
  for (let i = 1; i < history.length; i++) {
    if (history[i] === history[i - 1]) continue;
    // Slot of this change among the FLAP_RESULTS slots: the newest change is in slot FLAP_RESULTS − 1.
    const slot = FLAP_RESULTS - changes + (i - 1);
    sum += WEIGHT_MIN + ((WEIGHT_MAX - WEIGHT_MIN) * slot) / (FLAP_RESULTS - 1);
  }
  return (sum * 100) / FLAP_RESULTS;
}
