import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import { probeResult } from '../fakes/fake-pinger.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const policy: AlertPolicy = { realertMs: 3600_000 };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

/**
 * Feeds one host a script of `[seconds, alive]` probes (the probe starts 1 s after the cycle's `now`)
 * and returns every alert in order.
 */
function run(script: [number, boolean][], start: HostState = unknownHostState, p = policy): Alert[] {
  let state = start;
  const alerts: Alert[] = [];
  for (const [seconds, alive] of script) {
    const outcome = step(state, probeResult(router.host, alive, at(seconds + 1)), router, at(seconds), p);
    state = outcome.next;
    alerts.push(...outcome.effects.map((e) => e.alert));
  }
  return alerts;
}

// A DOWN is dated when its failed probe started (1 s after the cycle here), never before its downSince.
const kinds = (alerts: Alert[]) => alerts.map((a) => `${a.kind}@${(a.at.getTime() - t0) / 1000}`);

describe('monitor/host-state step', () => {
  it('a clock stepped back while running never dates an outage end before its start (issue 13)', () => {
    let state = unknownHostState;
    const feed = (seconds: number, alive: boolean) => {
      const outcome = step(
        state,
        probeResult(router.host, alive, at(seconds + 1)),
        router,
        at(seconds),
        policy,
      );
      state = outcome.next;
      return outcome.effects.map((e) => e.alert);
    };
    feed(0, true);
    feed(600, false); // DOWN since t=601
    const [restored] = feed(300, true); // the clock went back ten minutes
    expect(state.status).to.equal('UP');
    expect(state.since!.getTime()).to.be.at.least(at(601).getTime());
    expect(restored!.kind).to.equal('RESTORED');
    expect(restored!.durationMs).to.be.at.least(0);
    feed(0, false); // and back again: the next outage does not begin before the UP
    expect(state.status).to.equal('DOWN');
    expect(state.since!.getTime()).to.be.at.least(at(601).getTime());
  });

  it('stays quiet while a host is up, including its first result', () => {
    expect(
      run([
        [0, true],
        [60, true],
        [120, true],
      ]),
    ).to.deep.equal([]);
  });

  it('emits DOWN on the first failure, dated from the first failed attempt', () => {
    const alerts = run([
      [0, true],
      [60, false],
    ]);
    expect(kinds(alerts)).to.deep.equal(['DOWN@61']);
    expect(alerts[0]!.downSince.toISOString()).to.equal(at(61).toISOString());
    expect(alerts[0]!.at.getTime(), 'never dated before its downSince').to.equal(
      alerts[0]!.downSince.getTime(),
    );
    expect(alerts[0]!.attempts).to.equal(3);
    expect(alerts[0]!.lastRttMs, 'the RTT seen before the outage').to.equal(1.5);
  });

  it('emits DOWN for a host that is already down when monitoring starts', () => {
    expect(kinds(run([[0, false]]))).to.deep.equal(['DOWN@1']);
  });

  it('emits DOWN once, then nothing until the reminder is due', () => {
    const script: [number, boolean][] = [[0, false]];
    for (let s = 300; s < 3600; s += 300) script.push([s, false]);
    expect(kinds(run(script))).to.deep.equal(['DOWN@1']);
  });

  it('emits a REMINDER exactly at realert_seconds after the last alert, not before', () => {
    expect(
      kinds(
        run([
          [0, false],
          [3599, false],
        ]),
      ),
    ).to.deep.equal(['DOWN@1']);
    expect(
      kinds(
        run([
          [0, false],
          [3599, false],
          [3600, false],
        ]),
      ),
    ).to.deep.equal(['DOWN@1', 'REMINDER@3600']);
  });

  it('times each reminder from the previous one, not from the outage start', () => {
    const script: [number, boolean][] = [
      [0, false],
      [3600, false],
      [5400, false],
      [7199, false],
      [7200, false],
    ];
    expect(kinds(run(script))).to.deep.equal(['DOWN@1', 'REMINDER@3600', 'REMINDER@7200']);
  });

  it('sends no reminders when realert is 0', () => {
    expect(
      kinds(
        run(
          [
            [0, false],
            [3600, false],
            [99999, false],
          ],
          unknownHostState,
          { realertMs: 0 },
        ),
      ),
    ).to.deep.equal(['DOWN@1']);
  });

  it('emits RESTORED carrying the whole outage duration and the restoring RTT', () => {
    const alerts = run([
      [0, true],
      [60, false],
      [120, false],
      [814, true],
    ]);
    expect(kinds(alerts)).to.deep.equal(['DOWN@61', 'RESTORED@814']);
    const restored = alerts[1]!;
    expect(restored.durationMs).to.equal((814 - 61) * 1000);
    expect(restored.downSince.toISOString()).to.equal(at(61).toISOString());
    expect(restored.lastRttMs).to.equal(1.5);
    expect(restored.attempts).to.equal(1);
  });

  it('carries the duration so far in reminders', () => {
    const alerts = run([
      [0, false],
      [3600, false],
    ]);
    expect(alerts[1]!.durationMs).to.equal(3599_000);
  });

  it('tracks two hosts independently: only the one that recovers is restored', () => {
    const other: HostLabel = { host: 'printer.local', description: 'Printer', location: '' };
    let a = unknownHostState;
    let b = unknownHostState;
    const alerts: string[] = [];
    const probe = (label: HostLabel, state: HostState, alive: boolean, seconds: number) => {
      const outcome = step(state, probeResult(label.host, alive, at(seconds)), label, at(seconds), policy);
      alerts.push(...outcome.effects.map((e) => `${e.alert.kind} ${e.alert.target.host}`));
      return outcome.next;
    };
    a = probe(router, a, false, 0);
    b = probe(other, b, false, 0);
    a = probe(router, a, true, 60);
    b = probe(other, b, false, 60);
    b = probe(other, b, true, 120);
    expect(alerts).to.deep.equal([
      'DOWN 10.1.1.254',
      'DOWN printer.local',
      'RESTORED 10.1.1.254',
      'RESTORED printer.local',
    ]);
    expect(a.status).to.equal('UP');
    expect(b.status).to.equal('UP');
  });

  it('follows a flapping host with one DOWN and one RESTORED per outage', () => {
    const script: [number, boolean][] = [
      [0, true],
      [60, false],
      [120, true],
      [180, false],
      [240, false],
      [300, true],
      [360, true],
    ];
    const alerts = run(script);
    expect(kinds(alerts)).to.deep.equal(['DOWN@61', 'RESTORED@120', 'DOWN@181', 'RESTORED@300']);
    expect(alerts.map((a) => a.durationMs)).to.deep.equal([0, 59_000, 0, 119_000]);
  });

  it('restarts the reminder cadence for a new outage', () => {
    const alerts = run([
      [0, false],
      [3000, true],
      [3060, false],
      [3600, false],
      [6660, false],
    ]);
    expect(kinds(alerts)).to.deep.equal(['DOWN@1', 'RESTORED@3000', 'DOWN@3061', 'REMINDER@6660']);
  });

  it('passes the probe failure reason on to the alert', () => {
    const result = { ...probeResult('nowhere.invalid', false, at(0)), error: 'name did not resolve' };
    const outcome = step(unknownHostState, result, { ...router, host: 'nowhere.invalid' }, at(0), policy);
    expect(outcome.effects[0]!.alert.reason).to.equal('name did not resolve');
  });

  it('keeps an outage start handed over from an earlier run', () => {
    const resumed: HostState = { status: 'DOWN', since: at(-600), lastAlertAt: at(-600), lastRttMs: 2 };
    const outcome = step(resumed, probeResult(router.host, true, at(0)), router, at(0), policy);
    expect(outcome.effects.map((e) => e.alert.kind)).to.deep.equal(['RESTORED']);
    expect(outcome.effects[0]!.alert.durationMs).to.equal(600_000);
  });
});

describe('monitor/host-state step behind a parent (parent:)', () => {
  /** `[seconds, alive, parentDown]` probes; returns alerts as `KIND@s` and the statuses after each step. */
  function runBehind(script: [number, boolean, boolean][], start: HostState = unknownHostState) {
    let state = start;
    const alerts: Alert[] = [];
    const statuses: string[] = [];
    for (const [seconds, alive, parentDown] of script) {
      const result = probeResult(router.host, alive, at(seconds + 1));
      const outcome = step(state, result, router, at(seconds), policy, { parentDown });
      state = outcome.next;
      statuses.push(state.status);
      alerts.push(...outcome.effects.map((e) => e.alert));
    }
    return { alerts, statuses, state };
  }

  const cases: [name: string, script: [number, boolean, boolean][], statuses: string[], alerts: string[]][] =
    [
      [
        'a failing child of a down parent is UNREACHABLE and quiet',
        [
          [0, true, false],
          [60, false, true],
          [3700, false, true],
        ],
        ['UP', 'UNREACHABLE', 'UNREACHABLE'],
        [],
      ],
      [
        'it comes back quietly with its parent',
        [
          [0, true, false],
          [60, false, true],
          [120, true, false],
        ],
        ['UP', 'UNREACHABLE', 'UP'],
        [],
      ],
      [
        'still failing once the parent is back: DOWN, alerted',
        [
          [0, true, false],
          [60, false, true],
          [120, false, false],
          [180, true, false],
        ],
        ['UP', 'UNREACHABLE', 'DOWN', 'UP'],
        ['DOWN@120', 'RESTORED@180'],
      ],
      [
        'a child already DOWN before its parent failed stays DOWN',
        [
          [0, false, false],
          [60, false, true],
          [120, true, false],
        ],
        ['DOWN', 'DOWN', 'UP'],
        ['DOWN@1', 'RESTORED@120'],
      ],
      ['an answering child is UP whatever its parent does', [[0, true, true]], ['UP'], []],
      [
        'a child down from the start behind a down parent is UNREACHABLE',
        [[0, false, true]],
        ['UNREACHABLE'],
        [],
      ],
    ];
  for (const [name, script, statuses, alerts] of cases) {
    it(name, () => {
      const outcome = runBehind(script);
      expect(outcome.statuses).to.deep.equal(statuses);
      expect(kinds(outcome.alerts)).to.deep.equal(alerts);
    });
  }

  it('dates the outage of a child that turns DOWN from when it became UNREACHABLE', () => {
    const { alerts, state } = runBehind([
      [0, true, false],
      [60, false, true],
      [120, false, true],
      [180, false, false],
    ]);
    expect(alerts[0]!.downSince.toISOString()).to.equal(at(61).toISOString());
    expect(alerts[0]!.at.getTime(), 'dated at the cycle, after its downSince').to.be.above(
      alerts[0]!.downSince.getTime(),
    );
    expect(alerts[0]!.durationMs).to.equal(119_000);
    expect(state.since!.toISOString()).to.equal(at(61).toISOString());
  });
});
