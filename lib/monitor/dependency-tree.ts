import type { HostEntry } from '../config/types.js';
import type { ProbeResult } from '../probe/pinger.js';
import type { Alert } from './alert.js';
import type { HostState } from './host-state.js';

/**
 * hosts.csv entries ordered so that every parent comes before its children (`parent:`), otherwise in file
 * order: stepping hosts in this order lets a child see its parent's status of the same cycle.
 *
 * @param parents child host → parent host, as {@link resolveParents} gives it (loops were refused by the
 * config check; should one slip through, its members keep file order)
 */
export function dependencyOrder(
  hosts: readonly HostEntry[],
  parents: ReadonlyMap<string, string>,
): HostEntry[] {
  const byHost = new Map(hosts.map((entry) => [entry.host, entry]));
  const ordered: HostEntry[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (entry: HostEntry): void => {
    if (placed.has(entry.host) || visiting.has(entry.host)) return;
    visiting.add(entry.host);
    const parent = byHost.get(parents.get(entry.host) ?? '');
    if (parent) place(parent);
    visiting.delete(entry.host);
    placed.add(entry.host);
    ordered.push(entry);
  };
  hosts.forEach(place);
  return ordered;
}

/**
 * Whether `host`'s parent is DOWN or UNREACHABLE in `states`, or was so in `before` (the states at the start
 * of the cycle): then the host's own failure is UNREACHABLE. A parent that recovers in this very cycle
 * still counts: its children were probed at the same moment, while the path through it was coming back, so
 * their failures say nothing yet. The next cycle judges them.
 */
export function isParentDown(
  host: string,
  parents: ReadonlyMap<string, string>,
  states: ReadonlyMap<string, HostState>,
  before: ReadonlyMap<string, HostState> = states,
): boolean {
  const parent = parents.get(host);
  if (parent === undefined) return false;
  const down = (status: string | undefined) => status === 'DOWN' || status === 'UNREACHABLE';
  return down(states.get(parent)?.status) || down(before.get(parent)?.status);
}

/**
 * Adds to each DOWN and REMINDER alert the hosts behind it that are UNREACHABLE now, at any depth (a child
 * of an UNREACHABLE child is listed too), in hosts.csv order. Other alerts are returned unchanged.
 */
export function withUnreachableChildren(
  alerts: readonly Alert[],
  hosts: readonly HostEntry[],
  parents: ReadonlyMap<string, string>,
  states: ReadonlyMap<string, HostState>,
): Alert[] {
  const children = new Map<string, HostEntry[]>();
  for (const entry of hosts) {
    const parent = parents.get(entry.host);
    if (parent === undefined) continue;
    const list = children.get(parent) ?? [];
    list.push(entry);
    children.set(parent, list);
  }
  const unreachableBehind = (host: string): HostEntry[] => {
    const found: HostEntry[] = [];
    const seen = new Set<string>([host]);
    const queue = [host];
    while (queue.length > 0) {
      for (const child of children.get(queue.shift() ?? '') ?? []) {
        if (seen.has(child.host) || states.get(child.host)?.status !== 'UNREACHABLE') continue;
        seen.add(child.host);
        found.push(child);
        queue.push(child.host);
      }
    }
    return found.sort((a, b) => a.line - b.line);
  };
  return alerts.map((alert) => {
    if (alert.kind === 'RESTORED') return alert;
    const behind = unreachableBehind(alert.target.host);
    if (behind.length === 0) return alert;
    const unreachableChildren = behind.map(({ host, description, location }) => ({
      host,
      description,
      location,
    }));
    return { ...alert, unreachableChildren };
  });
}

/**
 * The parents to probe again before a cycle's results are judged: those that answered while a child of
 * theirs did not, leaving out `done` (already re-probed this cycle).
 */
export function parentsToConfirm(
  results: ReadonlyMap<string, ProbeResult>,
  parents: ReadonlyMap<string, string>,
  done: ReadonlySet<string>,
): string[] {
  const recheck = new Set<string>();
  for (const [child, parent] of parents) {
    if (done.has(parent) || results.get(child)?.alive !== false) continue;
    if (results.get(parent)?.alive === true) recheck.add(parent);
  }
  return [...recheck];
}

/**
 * The children to probe again before a cycle's results are judged: those that answered while their parent
 * did not, leaving out `done`. If the parent died mid-cycle after they replied, the fresh probe fails and
 * they are listed as UNREACHABLE in the parent's DOWN alert instead of going quiet a cycle later.
 */
export function childrenToConfirm(
  results: ReadonlyMap<string, ProbeResult>,
  parents: ReadonlyMap<string, string>,
  done: ReadonlySet<string>,
): string[] {
  const recheck: string[] = [];
  for (const [child, parent] of parents) {
    if (done.has(child) || results.get(child)?.alive !== true) continue;
    if (results.get(parent)?.alive === false) recheck.push(child);
  }
  return recheck;
}
