import type { CheckSpec } from '../../config/check-spec.js';
import type { CheckOutcome, DeepProbeObservation, HopAddress } from './deep-probe-result.js';
import type { OrgPattern } from '../../config/org-pattern.js';

/**
 * Judges every check a {@link CheckSpec} asks for against what a probe saw. Pure: the same observation always
 * gives the same outcomes. `reachable` always comes first; it is the check the original tool forgot.
 */
export function evaluateChecks(spec: CheckSpec, seen: DeepProbeObservation): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [reachable(seen)];
  const rtts = seen.rttsMs;
  const min = rtts.length > 0 ? Math.min(...rtts) : null;
  const max = rtts.length > 0 ? Math.max(...rtts) : null;
  if (spec.minLatencyMs !== null) {
    const limit = spec.minLatencyMs;
    outcomes.push(
      min === null
        ? { check: 'min-latency', passed: false, reason: 'failed: no reply from the target' }
        : {
            check: 'min-latency',
            passed: min >= limit,
            reason: `fastest reply ${ms(min)} ${min >= limit ? '>=' : '<'} ${ms(limit)}`,
          },
    );
  }
  if (spec.maxLatencyMs !== null) {
    const limit = spec.maxLatencyMs;
    outcomes.push(
      max === null
        ? { check: 'max-latency', passed: false, reason: 'failed: no reply from the target' }
        : {
            check: 'max-latency',
            passed: max <= limit,
            reason: `slowest reply ${ms(max)} ${max <= limit ? '<=' : '>'} ${ms(limit)}`,
          },
    );
  }

  const hopAddresses = seen.hops.flatMap((hop) => hop.addresses.map((a) => ({ ttl: hop.ttl, ...a })));
  const silent = seen.hops.filter((hop) => hop.addresses.length === 0).length;
  const silentNote = silent > 0 ? ` (${silent} hop${silent === 1 ? '' : 's'} did not answer)` : '';
  if (spec.routeInclude.length > 0) {
    // Alternatives: the path must pass through at least one of the ranges (any hop inside one is enough).
    const names = spec.routeInclude.map((range) => range.text).join(',');
    let hit: { ttl: number; address: string; range: string } | undefined;
    for (const hop of hopAddresses) {
      const range = spec.routeInclude.find((r) => r.contains(hop.address));
      if (range) {
        hit = { ttl: hop.ttl, address: hop.address, range: range.text };
        break;
      }
    }
    outcomes.push({
      check: `route-include ${names}`,
      passed: hit !== undefined,
      reason: hit ? `hop ${hit.ttl} ${hit.address} is in ${hit.range}` : `no hop in ${names}${silentNote}`,
    });
  }
  for (const range of spec.routeExclude) {
    const hit = hopAddresses.find((hop) => range.contains(hop.address));
    outcomes.push({
      check: `route-exclude ${range.text}`,
      passed: hit === undefined,
      reason: hit
        ? `hop ${hit.ttl} ${hit.address} is in ${range.text}`
        : `no hop in ${range.text}${silentNote}`,
    });
  }
  if (spec.orgInclude.length > 0) outcomes.push(orgCheck('org-include', spec.orgInclude, hopAddresses));
  for (const pattern of spec.orgExclude) outcomes.push(orgCheck('org-exclude', [pattern], hopAddresses));
  return outcomes;
}

function reachable(seen: DeepProbeObservation): CheckOutcome {
  if (seen.reached) {
    const answered = seen.rttsMs.length;
    return {
      check: 'reachable',
      passed: true,
      reason: `${seen.destination ?? seen.target} answered ${answered} of ${seen.sent}`,
    };
  }
  if (seen.error !== null) return { check: 'reachable', passed: false, reason: `failed: ${seen.error}` };
  const last = seen.hops.at(-1);
  const unreachable = last?.annotations[0];
  return {
    check: 'reachable',
    passed: false,
    reason: unreachable
      ? `failed: hop ${last.ttl} reported ${unreachable} (unreachable)`
      : `failed: no reply from ${seen.destination ?? seen.target}`,
  };
}

/**
 * An org check over alternatives: `org-include` passes when any hop matches any of the patterns (the path
 * goes through `*.hargray.net` or AS12345); `org-exclude` is judged one pattern at a time.
 */
function orgCheck(
  check: 'org-include' | 'org-exclude',
  patterns: readonly OrgPattern[],
  hops: readonly (HopAddress & { ttl: number })[],
): CheckOutcome {
  const text = patterns.map((p) => p.text).join(',');
  const name = `${check} ${text}`;
  const orgText = (hop: HopAddress) => (hop.org?.status === 'found' ? hop.org.org : null);
  let hit: (HopAddress & { ttl: number }) | undefined;
  let pattern: OrgPattern | undefined;
  for (const hop of hops) {
    pattern = patterns.find((p) => p.matches(hop.name, orgText(hop)));
    if (pattern) {
      hit = hop;
      break;
    }
  }
  const failed = hops.filter((hop) => hop.org?.status === 'failed');
  const describeHit = (hop: HopAddress & { ttl: number }) =>
    `hop ${hop.ttl} ${hop.address}${hop.name ? ` (${hop.name})` : ''}${
      orgText(hop) !== null ? ` belongs to ${orgText(hop)}` : ''
    }`;
  if (hit) {
    return {
      check: name,
      passed: check === 'org-include',
      reason: `${describeHit(hit)}, matching ${pattern?.text ?? text}`,
    };
  }
  // No match among the hops we know about: if any owner is unknown because the lookup failed, the
  // answer is unknown too, and an unknown is never a pass.
  const firstFailure = failed[0];
  if (firstFailure?.org?.status === 'failed') {
    return {
      check: name,
      passed: false,
      reason: `failed: lookup failed for ${firstFailure.address}: ${firstFailure.org.reason}`,
    };
  }
  if (hops.length === 0) {
    return {
      check: name,
      passed: check === 'org-exclude',
      reason: 'no hop answered',
    };
  }
  return {
    check: name,
    passed: check === 'org-exclude',
    reason: `no hop matches ${patterns.map((p) => p.text).join(' or ')}`,
  };
}

function ms(value: number): string {
  return `${Number(value.toFixed(3))} ms`;
}
