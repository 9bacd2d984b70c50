import type { Target } from '../config/target.js';

/** One power-cycle rule: a plug and the targets that must all be DOWN for it to be cycled. */
export interface CycleRule {
  /** The plug name as written in hosts.csv (first spelling met; names match case-insensitively). */
  readonly plug: string;
  /** The trigger targets, in file order. */
  readonly triggers: readonly Target[];
}

/**
 * The power-cycle rules of hosts.csv: every target with `cycle:NAME` is a trigger of plug NAME, and the plug
 * is cycled only when all of its triggers are DOWN. One trigger cycles on its own; three internet anchors
 * with `cycle:Modem` cycle the modem only when none of them answers (the WAN is out, not one remote host).
 */
export function cycleRules(targets: readonly Target[]): CycleRule[] {
  const rules = new Map<string, { plug: string; triggers: Target[] }>();
  for (const target of targets) {
    const plug = target.cyclePlug;
    if (plug === null) continue;
    const key = plugKey(plug);
    const rule = rules.get(key) ?? { plug, triggers: [] };
    rule.triggers.push(target);
    rules.set(key, rule);
  }
  return [...rules.values()];
}

/** Plug names match case-insensitively: the key a plug's memory is kept under. */
export function plugKey(plug: string): string {
  return plug.toLowerCase();
}

/**
 * The ids of the targets whose outages light the indicator lamp: those with `lamp:yes` if any has it,
 * otherwise every target except those with `lamp:no`.
 */
export function lampTargets(targets: readonly Target[]): string[] {
  const chosen = targets.filter((target) => target.lamp === true);
  if (chosen.length > 0) return chosen.map((target) => target.id);
  return targets.filter((target) => target.lamp !== false).map((target) => target.id);
}
