import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import { cyclePolicy } from '../../lib/monitor/evaluate-cycle.js';
import { acknowledged } from '../../lib/monitor/maintenance-step.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import { probeResult } from '../fakes/fake-pinger.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'HQ' };
/** Reminders every 10 min, escalation after 30 min. */
const policy: AlertPolicy = { realertMs: 600_000, escalateAfterMs: 1_800_000 };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (minutes: number) => new Date(t0 + minutes * 60_000);

/**
 * One host stepped once a minute by a fake clock from `from` to `to` minutes (down from minute 1), acked
 * at `ackAt` when given; returns every alert as `KIND@minute` and the last state.
 */
function outage(
  to: number,
  options: { ackAt?: number; start?: HostState; from?: number; p?: AlertPolicy } = {},
) {
  let state = options.start ?? unknownHostState;
  const alerts: string[] = [];
  for (let minute = options.from ?? 0; minute <= to; minute++) {
    if (minute === options.ackAt) state = acknowledged(state, { at: at(minute), note: null }) ?? state;
    const outcome = step(
      state,
      probeResult(router.host, minute === 0, at(minute)),
      router,
      at(minute),
      options.p ?? policy,
    );
    state = outcome.next;
    alerts.push(
      ...outcome.effects.map(
        (e: { alert: Alert }) => `${e.alert.kind}@${(e.alert.at.getTime() - t0) / 60_000}`,
      ),
    );
  }
  return { alerts, state };
}

describe('monitor/host-state escalation', () => {
  it('escalates an unacknowledged outage once, N minutes after it began, beside the reminders', () => {
    const { alerts, state } = outage(60);
    expect(alerts).to.deep.equal([
      'DOWN@1',
      'REMINDER@11',
      'REMINDER@21',
      // Down since minute 1: due at 31, with that minute's reminder.
      'REMINDER@31',
      'ESCALATION@31',
      'REMINDER@41',
      'REMINDER@51',
    ]);
    expect(state.escalatedAt).to.deep.equal(at(31));
  });

  it('does not escalate an outage acknowledged before N minutes', () => {
    expect(outage(60, { ackAt: 20 }).alerts).to.deep.equal(['DOWN@1', 'REMINDER@11']);
  });

  it('does not escalate an outage that ends before N minutes, and starts afresh for the next one', () => {
    let { state } = outage(20);
    state = step(state, probeResult(router.host, true, at(21)), router, at(21), policy).next;
    expect(state.escalatedAt).to.equal(undefined);
    const next = outage(70, { start: state, from: 22 });
    // Down again from minute 22 (minute 0 of the helper is only the first one): escalated at 52.
    expect(next.alerts.filter((a) => a.startsWith('ESCALATION'))).to.deep.equal(['ESCALATION@52']);
  });

  it('takes escalate_after_seconds from the settings', () => {
    const settings = { ...DEFAULT_SETTINGS, escalateAfterSeconds: 1800 };
    expect(cyclePolicy(settings, { powerCycles: false }).alerts.escalateAfterMs).to.equal(1_800_000);
    expect(cyclePolicy(DEFAULT_SETTINGS, { powerCycles: false }).alerts.escalateAfterMs).to.equal(0);
  });

  it('does not escalate a resumed outage that was escalated already (a restart), nor with escalation off', () => {
    const resumed: HostState = {
      status: 'DOWN',
      since: at(1),
      lastAlertAt: at(31),
      lastRttMs: null,
      escalatedAt: at(31),
    };
    expect(outage(45, { start: resumed, from: 32 }).alerts).to.deep.equal(['REMINDER@41']);
    expect(outage(60, { p: { realertMs: 0, escalateAfterMs: 0 } }).alerts).to.deep.equal(['DOWN@1']);
  });
});
