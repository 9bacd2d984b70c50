import type { Target } from '../config/target.js';
import type { ProbeResult } from '../probe/pinger.js';
import type { Alert } from './alert.js';
import type { HostState, HostStatus } from './host-state.js';

// A configuration's targets stay the same array from one cycle to the next until a reload replaces it, so
// what is derived from them alone is worked out once per configuration, not once per cycle (10,000 hosts
// every cycle made these the largest allocations of a steady cycle). Weak: a replaced config is let go.
const parentsByTargets = new WeakMap<readonly Target[], ReadonlyMap<string, string>>();
const orderByTargets = new WeakMap<readonly Target[], readonly Target[]>();

/** Child id → parent id, for the targets that have a listed parent (`parent:`). */
export function parentsOf(targets: readonly Target[]): ReadonlyMap<string, string> {
  const known = parentsByTargets.get(targets);
  if (known !== undefined) return known;
  const parents = new Map<string, string>();
  for (const target of targets) if (target.parent !== null) parents.set(target.id, target.parent);
  parentsByTargets.set(targets, parents);
  return parents;
}

/**
 * Targets ordered so that every parent comes before its children (`parent:`), otherwise in file order:
 * stepping targets in this order lets a child see its parent's status of the same cycle. Loops were
 * refused by the config check; should one slip through, its members keep file order.
 */
export function dependencyOrder(targets: readonly Target[]): readonly Target[] {
  const known = orderByTargets.get(targets);
  if (known !== undefined) return known;
  const byId = new Map(targets.map((target) => [target.id, target]));
  const ordered: Target[] = [];
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const place = (target: Target): void => {
    if (placed.has(target.id) || visiting.has(target.id)) return;
    visiting.add(target.id);
    const parent = target.parent === null ? undefined : byId.get(target.parent);
    if (parent) place(parent);
    visiting.delete(target.id);
    placed.add(target.id);
    ordered.push(target);
  };
  targets.forEach(place);
  orderByTargets.set(targets, ordered);
  return ordered;
}

/** Whether a parent in this status hides its children's failures (they become UNREACHABLE). */
const SHADOWS_CHILDREN = {
  UNKNOWN: false,
  UP: false,
  // Answering, however badly: its children's silence is their own.
  DEGRADED: false,
  DOWN: true,
  UNREACHABLE: true,
  // Answering part of the time: its children are judged on their own.
  FLAPPING: false,
  // Depends on whether it answers: see `shadows` below.
  MAINTENANCE: false,
} as const satisfies Record<HostStatus, boolean>;

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
  // A parent in maintenance that does not answer hides its children as a DOWN one does: the work on it
  // is why they are silent.
  const shadows = (state: HostState | undefined) =>
    state !== undefined &&
    (SHADOWS_CHILDREN[state.status] || (state.status === 'MAINTENANCE' && state.pending?.toward === 'DOWN'));
  return shadows(states.get(parent)) || shadows(before.get(parent));
}

/**
 * Adds to each DOWN and REMINDER alert the hosts behind it that are UNREACHABLE now, at any depth (a child
 * of an UNREACHABLE child is listed too), in hosts.csv order. Other alerts are returned unchanged.
 */
export function withUnreachableChildren(
  alerts: readonly Alert[],
  targets: readonly Target[],
  states: ReadonlyMap<string, HostState>,
): Alert[] {
  const children = new Map<string, Target[]>();
  for (const target of targets) {
    if (target.parent === null) continue;
    const list = children.get(target.parent) ?? [];
    list.push(target);
    children.set(target.parent, list);
  }
  const unreachableBehind = (id: string): Target[] => {
    const found: Target[] = [];
    const seen = new Set<string>([id]);
    const queue = [id];
    while (queue.length > 0) {
      for (const child of children.get(queue.shift() ?? '') ?? []) {
        if (seen.has(child.id) || states.get(child.id)?.status !== 'UNREACHABLE') continue;
        seen.add(child.id);
        found.push(child);
        queue.push(child.id);
      }
    }
    return found.sort((a, b) => a.line - b.line);
  };
  return alerts.map((alert) => {
    if (alert.kind === 'RESTORED') return alert;
    const behind = unreachableBehind(alert.target.host);
    if (behind.length === 0) return alert;
    return { ...alert, unreachableChildren: behind.map((target) => target.label) };
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
