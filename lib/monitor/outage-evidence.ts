import type { FaultLabel, TraceSnapshot } from '../shared/fault-evidence.js';
import type { Alert } from './alert.js';
import type { StateChange } from './evaluate-cycle.js';
import { faultClassifier, type FaultClassifier, type FaultContext } from './fault-layer.js';
import { beginsOutage, endsOutage } from './trace-plan.js';

/** Where an outage that began or ended in a cycle broke: its fault layer (at the start) and its snapshot. */
export interface OutageEvidence {
  /** Outages that begin: the fault layer and why. */
  readonly fault?: FaultLabel;
  /** The path snapshot taken as the outage began (`down`) or ended (`restored`), when one was taken. */
  readonly trace?: TraceSnapshot;
}

/**
 * The evidence of every outage that began or ended in a cycle, by target id. An outage that begins is
 * labelled with its own snapshot, or, for a WAN anchor not traced this cycle, with another anchor's
 * (the anchors share the path out); one that ends keeps only its snapshot.
 *
 * @param traces the snapshots taken this cycle, by target id
 */
export function outageEvidence(
  changes: readonly StateChange[],
  traces: ReadonlyMap<string, TraceSnapshot>,
  context: FaultContext,
): Map<string, OutageEvidence> {
  const evidence = new Map<string, OutageEvidence>();
  const anchorTrace = changes
    .filter((change) => beginsOutage(change) && change.target.cyclePlug !== null)
    .map((change) => traces.get(change.target.id))
    .find((trace) => trace !== undefined);
  // Built at the first outage only: most cycles have none.
  let classify: FaultClassifier | undefined;
  for (const change of changes) {
    const trace = traces.get(change.target.id);
    if (beginsOutage(change)) {
      const pathTrace = trace ?? (change.target.cyclePlug !== null ? anchorTrace : undefined) ?? null;
      evidence.set(change.target.id, {
        fault: (classify ??= faultClassifier(context))(change.target, pathTrace),
        ...(trace !== undefined && { trace }),
      });
    } else if (endsOutage(change) && trace !== undefined) {
      evidence.set(change.target.id, { trace });
    }
  }
  return evidence;
}

/**
 * The alerts with their outage's evidence: a DOWN gets the fault layer and the `down` snapshot, a
 * RESTORED the `restored` one. Other alerts are left as they are.
 *
 * @param evidence by target id; `idOf` maps an alert to its target's id
 */
export function withEvidence(
  alerts: readonly Alert[],
  evidence: ReadonlyMap<string, OutageEvidence>,
  idOf: (alert: Alert) => string | undefined,
): Alert[] {
  if (evidence.size === 0) return [...alerts];
  return alerts.map((alert) => {
    if (alert.kind !== 'DOWN' && alert.kind !== 'RESTORED') return alert;
    const id = idOf(alert);
    const found = id === undefined ? undefined : evidence.get(id);
    if (found === undefined) return alert;
    const trace =
      found.trace?.phase === (alert.kind === 'DOWN' ? 'down' : 'restored') ? found.trace : undefined;
    return {
      ...alert,
      ...(alert.kind === 'DOWN' && found.fault !== undefined && { fault: found.fault }),
      ...(trace !== undefined && { trace }),
    };
  });
}
