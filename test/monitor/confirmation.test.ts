import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import { initialActionMemory } from '../../lib/monitor/evaluate-actions.js';
import { cyclePolicy, evaluateCycle } from '../../lib/monitor/evaluate-cycle.js';
import { testSettings, testTarget } from '../fakes/fake-config.js';
import { probeResult } from '../fakes/fake-pinger.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

/** Cycles 60 s apart, each probe starting 1 s after the cycle; returns the statuses, alerts and last state. */
function run(script: boolean[], policy: AlertPolicy, start: HostState = unknownHostState) {
  let state = start;
  const statuses: string[] = [];
  const alerts: Alert[] = [];
  script.forEach((alive, index) => {
    const outcome = step(
      state,
      probeResult(router.host, alive, at(index * 60 + 1)),
      router,
      at(index * 60),
      policy,
    );
    state = outcome.next;
    statuses.push(state.pending === undefined ? state.status : `${state.status}→${state.pending.toward}?`);
    alerts.push(...outcome.effects.map((effect) => effect.alert));
  });
  return { statuses, alerts, state };
}

const kinds = (alerts: Alert[]) => alerts.map((a) => `${a.kind}@${(a.at.getTime() - t0) / 1000}`);

describe('monitor confirmation: down_after_cycles / up_after_cycles', () => {
  const twice: AlertPolicy = { realertMs: 3600_000, downAfterCycles: 2, upAfterCycles: 2 };

  it('ignores a one-cycle blip with down_after_cycles 2', () => {
    const { statuses, alerts } = run([true, false, true, true], twice);
    expect(statuses).to.deep.equal(['UP', 'UP→DOWN?', 'UP', 'UP']);
    expect(alerts).to.deep.equal([]);
  });

  it('confirms DOWN on the second failed cycle, dated from the first failed attempt', () => {
    const { statuses, alerts } = run([true, false, false], twice);
    expect(statuses).to.deep.equal(['UP', 'UP→DOWN?', 'DOWN']);
    expect(kinds(alerts)).to.deep.equal(['DOWN@120']);
    expect(alerts[0]?.downSince.toISOString()).to.equal(at(61).toISOString());
    expect(alerts[0]?.durationMs).to.equal(59_000);
  });

  it('restores only after up_after_cycles answering cycles; a relapse starts that count again', () => {
    const { statuses, alerts } = run([false, false, true, false, true, true], twice);
    expect(statuses).to.deep.equal(['UNKNOWN→DOWN?', 'DOWN', 'DOWN→UP?', 'DOWN', 'DOWN→UP?', 'UP']);
    expect(kinds(alerts)).to.deep.equal(['DOWN@60', 'RESTORED@300']);
    expect(alerts[1]?.downSince.toISOString(), 'the outage start is kept').to.equal(at(1).toISOString());
  });

  it('with the defaults (1 and 1) behaves as before: DOWN and RESTORED at once', () => {
    const { statuses, alerts } = run([true, false, true], { realertMs: 3600_000 });
    expect(statuses).to.deep.equal(['UP', 'DOWN', 'UP']);
    // Not before the outage began: the failed probe started a second into the cycle.
    expect(kinds(alerts)).to.deep.equal(['DOWN@61', 'RESTORED@120']);
  });

  it('reminds while failing, but not while a recovery waits for confirmation', () => {
    const { alerts } = run([false, false, true], { realertMs: 60_000, downAfterCycles: 1, upAfterCycles: 3 });
    expect(kinds(alerts)).to.deep.equal(['DOWN@1', 'REMINDER@60']);
  });
});

describe('monitor confirmation: evaluateCycle', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const targets = [testTarget('198.18.0.1', { line: 1 }), testTarget('198.18.0.2', { line: 2 })];
  const policy = cyclePolicy({ ...testSettings, downAfterCycles: 2 }, { powerCycles: true });

  it('logs a host waiting for confirmation, and a blip that was not confirmed', () => {
    const first = evaluateCycle({
      states: new Map(),
      results: [probeResult('198.18.0.1', true, T0), probeResult('198.18.0.2', false, T0)],
      targets,
      policy,
      now: T0,
      memory: initialActionMemory,
    });
    expect(first.logs.filter((entry) => entry.message !== 'lamp')).to.deep.include({
      level: 'info',
      message: 'waiting for confirmation',
      fields: {
        host: '198.18.0.2',
        state: 'UNKNOWN',
        toward: 'DOWN',
        cycle: '1/2',
        since: T0.toISOString(),
      },
    });
    expect(first.alerts).to.deep.equal([]);
    const later = new Date(T0.getTime() + 60_000);
    const second = evaluateCycle({
      states: first.states,
      results: [probeResult('198.18.0.1', true, later), probeResult('198.18.0.2', true, later)],
      targets,
      policy,
      now: later,
      memory: first.memory,
    });
    expect(second.logs).to.deep.include({
      level: 'info',
      message: 'not confirmed',
      fields: { host: '198.18.0.2', state: 'UP', toward: 'DOWN', cycles: 1, since: T0.toISOString() },
    });
    expect(second.alerts).to.deep.equal([]);
  });
});
