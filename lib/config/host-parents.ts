import { ConfigError } from '../shared/errors.js';
import { hostIdentity } from './host-address.js';
import type { HostRow } from './types.js';

/**
 * Each host's parent (the `parent:` option) as the parent is listed in hosts.csv, keyed by the child's host.
 * Hosts without a parent, or whose parent is not listed, are left out.
 */
export function resolveParents(hosts: readonly HostRow[]): ReadonlyMap<string, string> {
  // Most lists name no parent at all; then there is no need to index 10,000 hosts by identity.
  if (!hosts.some(hasParentOption)) return new Map();
  const byIdentity = new Map(hosts.map((entry) => [hostIdentity(entry.host), entry.host]));
  const parents = new Map<string, string>();
  for (const entry of hosts) {
    const named = entry.options.get('parent');
    const parent = named === undefined ? undefined : byIdentity.get(hostIdentity(named));
    if (parent !== undefined && parent !== entry.host) parents.set(entry.host, parent);
  }
  return parents;
}

/**
 * The rules of `parent:` that span rows: the parent must be listed in hosts.csv, must not be the host itself,
 * and following parents must never lead back to where it started. A loop is reported once, on the line of
 * its first member, naming the whole loop.
 *
 * @param file the path shown in messages, e.g. `config/hosts.csv`
 * @param parents {@link resolveParents} of `hosts`, when the caller has it already
 */
export function checkParents(
  hosts: readonly HostRow[],
  file: string,
  parents: ReadonlyMap<string, string> = resolveParents(hosts),
): ConfigError[] {
  const errors: ConfigError[] = [];
  if (!hosts.some(hasParentOption)) return errors;
  const byIdentity = new Map(hosts.map((entry) => [hostIdentity(entry.host), entry]));
  for (const entry of hosts) {
    const named = entry.options.get('parent');
    if (named === undefined) continue;
    const parent = byIdentity.get(hostIdentity(named));
    if (parent === undefined) {
      errors.push(new ConfigError(file, entry.line, `parent "${named}" is not listed in hosts.csv`));
    } else if (parent === entry) {
      errors.push(new ConfigError(file, entry.line, `host "${entry.host}" cannot be its own parent`));
    }
  }

  // Each host has at most one parent, so every walk ends at a root, at a host already walked, or in a loop.
  // Marking walked hosts makes the whole check linear: 10,000-deep chains take milliseconds, not minutes.
  const lineOf = new Map(hosts.map((entry) => [entry.host, entry.line]));
  const walked = new Set<string>();
  for (const entry of hosts) {
    const onPath = new Map<string, number>();
    const path: string[] = [];
    let current: string | undefined = entry.host;
    while (current !== undefined && !walked.has(current) && !onPath.has(current)) {
      onPath.set(current, path.length);
      path.push(current);
      current = parents.get(current);
    }
    path.forEach((host) => walked.add(host));
    if (current === undefined || !onPath.has(current)) continue;
    const loop = path.slice(onPath.get(current));
    // Start the loop's story at the member listed first, so the message does not depend on where we began.
    const first = loop.reduce((a, b) => ((lineOf.get(a) ?? 0) <= (lineOf.get(b) ?? 0) ? a : b));
    const start = loop.indexOf(first);
    const ordered = [...loop.slice(start), ...loop.slice(0, start), first];
    errors.push(
      new ConfigError(file, lineOf.get(first) ?? 0, `parent hosts form a loop: ${ordered.join(' → ')}`),
    );
  }
  return errors;
}

function hasParentOption(entry: HostRow): boolean {
  return entry.options.has('parent');
}
