import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import { flapPercent, withResult } from '../../lib/monitor/flapping.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import { alertBody, alertSubject } from '../../lib/notify/alert-text.js';
import { probeResult } from '../fakes/fake-pinger.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const policy: AlertPolicy = { realertMs: 3600_000, flapHighPercent: 30, flapLowPercent: 25 };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

function run(script: boolean[], p = policy, start: HostState = unknownHostState) {
  let state = start;
  const statuses: string[] = [];
  const alerts: Alert[] = [];
  script.forEach((alive, index) => {
    const outcome = step(
      state,
      probeResult(router.host, alive, at(index * 60 + 1)),
      router,
      at(index * 60),
      p,
    );
    state = outcome.next;
    statuses.push(state.status);
    alerts.push(...outcome.effects.map((effect) => effect.alert));
  });
  return { statuses, alerts, state };
}

// The cycle an alert belongs to: a DOWN is dated at its first failed attempt, a second into the cycle.
const kinds = (alerts: Alert[]) =>
  alerts.map((a) => `${a.kind}@${Math.floor((a.at.getTime() - t0) / 60_000)}`);
const toggling = (n: number) => Array.from({ length: n }, (_, i) => i % 2 === 0);

describe('monitor flapping: the weighted share', () => {
  const cases: [history: string, percent: number][] = [
    ['1', 0],
    ['11111111111111111111', 0],
    // One change, in the newest slot: weight 1.2 of 20.
    ['10', 6],
    ['1010101', 34.4],
    // 20 changes over 21 results: every weight from 0.8 to 1.2, i.e. 20 × 1.0 of 20.
    ['101010101010101010101', 100],
  ];
  for (const [history, percent] of cases) {
    it(`${history} → ${percent} %`, () => {
      expect(flapPercent(history)).to.be.closeTo(percent, 0.05);
    });
  }

  it('keeps the newest 21 results', () => {
    let history = '';
    for (let i = 0; i < 30; i++) history = withResult(history, i % 3 === 0);
    // Results 9 to 29: answered at 9, 12, ..., 27.
    expect(history).to.equal('100100100100100100100');
  });
});

describe('monitor flapping: step', () => {
  it('a host toggled every cycle: a few DOWN/RESTORED, then one FLAPPING and nothing per change', () => {
    const { statuses, alerts } = run(toggling(40));
    expect(kinds(alerts)).to.deep.equal([
      'DOWN@1',
      'RESTORED@2',
      'DOWN@3',
      'RESTORED@4',
      'DOWN@5',
      'FLAPPING@6',
    ]);
    expect(statuses.slice(6)).to.deep.equal(Array.from({ length: 34 }, () => 'FLAPPING'));
    expect(alerts.at(-1)?.flapPercent).to.equal(34.4);
  });

  it('stops flapping once the share falls below the low mark: one message, now UP', () => {
    const { statuses, alerts, state } = run([...toggling(12), ...Array.from({ length: 30 }, () => true)]);
    const stop = alerts.filter((alert) => alert.kind === 'FLAPPING_STOPPED');
    expect(stop).to.have.length(1);
    expect(stop[0]?.settledAs).to.equal('UP');
    expect(stop[0]?.downSince.toISOString(), 'flapping since').to.equal(at(6 * 60).toISOString());
    expect(kinds(alerts).slice(-2)).to.deep.equal([
      'FLAPPING@6',
      `FLAPPING_STOPPED@${statuses.indexOf('UP', 12)}`,
    ]);
    expect(state.status).to.equal('UP');
    expect(alertSubject(stop[0] as Alert)).to.match(
      /^\[pingwarden\] FLAPPING STOPPED Cisco Router \(10\.1\.1\.254\) — Bldg 6 MDF 101: now UP after /,
    );
  });

  it('stops flapping as DOWN with one message, then reminds as any outage', () => {
    const { alerts, state } = run([...toggling(12), ...Array.from({ length: 30 }, () => false)], {
      ...policy,
      realertMs: 600_000,
    });
    const stop = alerts.find((alert) => alert.kind === 'FLAPPING_STOPPED');
    expect(stop?.settledAs).to.equal('DOWN');
    expect(state.status).to.equal('DOWN');
    const after = alerts.slice(alerts.indexOf(stop as Alert) + 1).map((a) => a.kind);
    expect(after.length).to.be.above(0);
    expect(new Set(after)).to.deep.equal(new Set(['REMINDER']));
  });

  it('flap detection off (0): every change is told', () => {
    const { alerts } = run(toggling(10), { realertMs: 3600_000, flapHighPercent: 0 });
    expect(alerts.map((a) => a.kind)).to.deep.equal([
      'DOWN',
      'RESTORED',
      'DOWN',
      'RESTORED',
      'DOWN',
      'RESTORED',
      'DOWN',
      'RESTORED',
      'DOWN',
    ]);
  });

  it('a resumed FLAPPING host (no flap history) stays FLAPPING until 20 new results say otherwise', () => {
    const resumed: HostState = { ...unknownHostState, status: 'FLAPPING', since: at(-600) };
    const { statuses, alerts } = run(
      Array.from({ length: 21 }, () => true),
      policy,
      resumed,
    );
    expect(statuses.slice(0, 20)).to.deep.equal(Array.from({ length: 20 }, () => 'FLAPPING'));
    expect(statuses[20]).to.equal('UP');
    expect(kinds(alerts)).to.deep.equal(['FLAPPING_STOPPED@20']);
  });

  it('texts of FLAPPING', () => {
    const { alerts } = run(toggling(7));
    const flapping = alerts.at(-1) as Alert;
    expect(alertSubject(flapping)).to.equal(
      '[pingwarden] FLAPPING Cisco Router (10.1.1.254) — Bldg 6 MDF 101: 34.4 % state changes over the last 20 results',
    );
    expect(alertBody(flapping, { timeZone: 'UTC' })).to.contain(
      'is FLAPPING: 34.4 % state changes over the last 20 results. No DOWN or RESTORED message is sent for each change until it settles.',
    );
  });
});
