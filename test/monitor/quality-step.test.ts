import { expect } from 'chai';

import type { Alert, HostLabel } from '../../lib/monitor/alert.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import { pooledQuality, withSample, type QualityThresholds } from '../../lib/monitor/quality-window.js';
import { linkQuality } from '../../lib/probe/link-quality.js';
import type { ProbeResult } from '../../lib/probe/pinger.js';
import { alertBody, alertSubject } from '../../lib/notify/alert-text.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const policy: AlertPolicy = { realertMs: 3600_000, qualityWindow: 3 };
const loss20: QualityThresholds = { lossPercent: 20, rttMs: 0 };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000);

/** A cycle of 5 packets of which `received` came back after `rttMs` each; 0 received = dead. */
type Cycle = [received: number, rttMs?: number];

function result(seconds: number, [received, rttMs = 10]: Cycle): ProbeResult {
  const rtts = Array.from({ length: received }, () => rttMs);
  const quality = linkQuality(received === 0 ? 7 : 5, rtts);
  return {
    host: router.host,
    alive: received > 0,
    attempts: quality.sent,
    rttMs: quality.avgMs,
    startedAt: at(seconds + 1),
    quality,
  };
}

/** Runs the cycles 60 s apart; returns every status and every alert. */
function run(
  cycles: Cycle[],
  thresholds: QualityThresholds | null = loss20,
  p = policy,
  start: HostState = unknownHostState,
): { statuses: string[]; alerts: Alert[]; last: HostState } {
  let state = start;
  const statuses: string[] = [];
  const alerts: Alert[] = [];
  cycles.forEach((cycle, index) => {
    const outcome = step(state, result(index * 60, cycle), router, at(index * 60), p, {
      ...(thresholds !== null && { thresholds }),
    });
    state = outcome.next;
    statuses.push(state.status);
    alerts.push(...outcome.effects.map((e) => e.alert));
  });
  return { statuses, alerts, last: state };
}

const kinds = (alerts: Alert[]) => alerts.map((a) => `${a.kind}@${(a.at.getTime() - t0) / 1000}`);

describe('monitor quality: pooled window', () => {
  it('pools loss and RTT over every packet of the window, not per cycle', () => {
    let window = withSample([], linkQuality(5, [10, 10, 10, 10, 10]), 3);
    window = withSample(window, linkQuality(5, [30, 30]), 3);
    window = withSample(window, linkQuality(5, [20, 20, 20]), 3);
    // 10 of 15 came back: 33.3 % loss; RTT (50 + 60 + 60) / 10 = 17.
    expect(pooledQuality(window).summary).to.deep.equal({ packets: 15, lossPercent: 33.3, avgMs: 17 });
    window = withSample(window, linkQuality(5, [10, 10, 10, 10, 10]), 3);
    expect(window).to.have.length(3);
    // The first cycle (5 × 10 ms) left, a like one came: the same numbers.
    expect(pooledQuality(window).summary).to.deep.equal({ packets: 15, lossPercent: 33.3, avgMs: 17 });
  });

  const cases: [name: string, window: [number, number][], thresholds: QualityThresholds, exceeds: boolean][] =
    [
      ['loss at the threshold', [[5, 4]], { lossPercent: 20, rttMs: 0 }, true],
      ['loss under it', [[10, 9]], { lossPercent: 20, rttMs: 0 }, false],
      ['loss off (0)', [[5, 1]], { lossPercent: 0, rttMs: 0 }, false],
      ['RTT at the threshold', [[5, 5]], { lossPercent: 0, rttMs: 100 }, true],
      ['RTT under it', [[5, 5]], { lossPercent: 0, rttMs: 101 }, false],
      ['nothing sent', [], { lossPercent: 20, rttMs: 1 }, false],
    ];
  for (const [name, samples, thresholds, exceeds] of cases) {
    it(`${exceeds ? 'exceeds' : 'does not exceed'} with ${name}`, () => {
      let window = withSample([], linkQuality(0, []), 3).slice(1);
      for (const [sent, received] of samples) {
        window = withSample(
          window,
          linkQuality(
            sent,
            Array.from({ length: received }, () => 100),
          ),
          3,
        );
      }
      expect(pooledQuality(window).exceeds(thresholds)).to.equal(exceeds);
    });
  }
});

describe('monitor quality: step', () => {
  it('goes DEGRADED at 30 % loss pooled over the window (not DOWN) and back to UP', () => {
    const { statuses, alerts } = run([[5], [5], [3], [3], [4], [5], [5], [5], [5]]);
    // Windows: 5/5, 10/10, 13/15 (13 %), 16/20 → 3 cycles 11/15 (26.7 %), 10/15 (33 %), 12/15 (20 %),
    // 14/15, 15/15 ...
    expect(statuses).to.deep.equal(['UP', 'UP', 'UP', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'UP', 'UP', 'UP']);
    expect(kinds(alerts)).to.deep.equal(['DEGRADED@180', 'QUALITY_RESTORED@360']);
    expect(alerts[0]?.quality).to.deep.equal({ packets: 15, lossPercent: 26.7, avgMs: 10 });
    expect(alerts[1]?.downSince.toISOString(), 'degraded since').to.equal(at(180).toISOString());
  });

  it('texts: "Cisco Router … DEGRADED: 35 % loss, avg 412 ms over 15 packets"', () => {
    const { alerts } = run(
      [
        [3, 412],
        [3, 412],
        [4, 412],
      ],
      { lossPercent: 20, rttMs: 0 },
    );
    expect(alerts.map(alertSubject)).to.deep.equal([
      '[pingwarden] DEGRADED Cisco Router (10.1.1.254) — Bldg 6 MDF 101: 40 % loss, avg 412 ms over 5 packets',
    ]);
    const { alerts: later } = run(
      [
        [5, 412],
        [5, 412],
        [5, 412],
        [3, 412],
        [2, 412],
      ],
      loss20,
    );
    expect(alertBody(later[0] as Alert, { timeZone: 'UTC' })).to.contain(
      'Cisco Router (10.1.1.254) — Bldg 6 MDF 101 is DEGRADED: 33.3 % loss, avg 412 ms over 15 packets.',
    );
  });

  it('goes DEGRADED on average RTT with an RTT threshold (150 ms host, 100 ms limit)', () => {
    const { statuses, alerts } = run([[5, 150]], { lossPercent: 20, rttMs: 100 });
    expect(statuses).to.deep.equal(['DEGRADED']);
    expect(alerts[0]?.quality).to.deep.equal({ packets: 5, lossPercent: 0, avgMs: 150 });
  });

  it('never DEGRADED without thresholds, and silent with alert_degraded off', () => {
    expect(run([[1], [1], [1]], null).statuses).to.deep.equal(['UP', 'UP', 'UP']);
    const quiet = run([[1], [1], [5], [5], [5]], loss20, { ...policy, alertDegraded: false });
    expect(quiet.statuses).to.deep.equal(['DEGRADED', 'DEGRADED', 'DEGRADED', 'DEGRADED', 'UP']);
    expect(quiet.alerts).to.deep.equal([]);
  });

  it('DOWN only when nothing answered; the outage empties the window, RESTORED quotes the new quality', () => {
    const { statuses, alerts } = run([[5], [0], [0], [5], [5]]);
    expect(statuses).to.deep.equal(['UP', 'DOWN', 'DOWN', 'UP', 'UP']);
    // Not before the outage began: the failed probe started a second into the cycle.
    expect(kinds(alerts)).to.deep.equal(['DOWN@61', 'RESTORED@180']);
    expect(alerts[1]?.quality).to.deep.equal({ packets: 5, lossPercent: 0, avgMs: 10 });
  });

  it('from DEGRADED to DOWN and back: DOWN, then RESTORED; the lossy first cycle back is quoted, not judged', () => {
    const { statuses, alerts } = run([[1], [0], [2], [5]]);
    // Without that rule every outage would end in DEGRADED, then a "quality restored" a cycle later.
    expect(statuses).to.deep.equal(['DEGRADED', 'DOWN', 'UP', 'UP']);
    expect(kinds(alerts)).to.deep.equal(['DEGRADED@0', 'DOWN@61', 'RESTORED@120']);
    expect(alerts[2]?.quality).to.deep.equal({ packets: 5, lossPercent: 60, avgMs: 10 });
    expect(alerts[1]?.downSince.toISOString()).to.equal(at(61).toISOString());
  });

  it('keeps the DEGRADED start through the window', () => {
    const { last } = run([[1], [1], [1]]);
    expect(last.status).to.equal('DEGRADED');
    expect(last.since?.toISOString()).to.equal(at(0).toISOString());
    expect(last.window).to.have.length(3);
  });
});

describe('monitor quality: a prober warning (cert-days)', () => {
  it('an answering target with a warning is DEGRADED with the warning as the reason, and UP once it clears', () => {
    const answer = (seconds: number, warning?: string): ProbeResult => ({
      host: router.host,
      alive: true,
      attempts: 1,
      rttMs: 3,
      startedAt: at(seconds),
      ...(warning !== undefined && { warning }),
    });
    const warning = 'certificate expires in 2 days, on 2026-03-03T12:00:00Z (cert-days:14)';
    const first = step(unknownHostState, answer(0), router, at(0), policy, {});
    const warned = step(first.next, answer(60, warning), router, at(60), policy, {});
    expect(warned.next.status).to.equal('DEGRADED');
    expect(warned.effects.map((e) => [e.alert.kind, e.alert.reason])).to.deep.equal([['DEGRADED', warning]]);
    const renewed = step(warned.next, answer(120), router, at(120), policy, {});
    expect(renewed.next.status).to.equal('UP');
    expect(renewed.effects.map((e) => e.alert.kind)).to.deep.equal(['QUALITY_RESTORED']);
  });
});
