import type { HostEntry } from '../../config/types.js';

/** One power-cycle rule: a plug and the hosts that must all be DOWN for it to be cycled. */
export interface CycleRule {
  /** The plug name as written in hosts.csv (first spelling met; names match case-insensitively). */
  readonly plug: string;
  readonly hosts: readonly string[];
}

/**
 * The power-cycle rules of hosts.csv: every host with `cycle:NAME` is a trigger of plug NAME, and the plug
 * is cycled only when all of its triggers are DOWN. One trigger cycles on its own; three internet anchors
 * with `cycle:Modem` cycle the modem only when none of them answers (the WAN is out, not one remote host).
 */
export function cycleRules(hosts: readonly HostEntry[]): CycleRule[] {
  const rules = new Map<string, { plug: string; hosts: string[] }>();
  for (const entry of hosts) {
    const plug = entry.options.get('cycle');
    if (plug === undefined) continue;
    const key = plug.toLowerCase();
    const rule = rules.get(key) ?? { plug, hosts: [] };
    rule.hosts.push(entry.host);
    rules.set(key, rule);
  }
  return [...rules.values()];
}

/**
 * The hosts whose outages light the indicator lamp: those with `lamp:yes` if any host has it, otherwise
 * every host except those with `lamp:no`.
 */
export function lampHosts(hosts: readonly HostEntry[]): string[] {
  const lamp = (entry: HostEntry) => entry.options.get('lamp')?.toLowerCase();
  const chosen = hosts.filter((entry) => lamp(entry) === 'yes');
  if (chosen.length > 0) return chosen.map((entry) => entry.host);
  return hosts.filter((entry) => lamp(entry) !== 'no').map((entry) => entry.host);
}
