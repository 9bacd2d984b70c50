import { expect } from 'chai';

import type { HostLabel } from '../../lib/monitor/alert.js';
import { step, unknownHostState, type AlertPolicy, type HostState } from '../../lib/monitor/host-state.js';
import {
  cyclesToResume,
  listedCycles,
  resumeFromMs,
  resumeQualityMemory,
  type QualityCycle,
} from '../../lib/monitor/quality-resume.js';
import type { QualityThresholds } from '../../lib/monitor/quality-window.js';
import { linkQuality } from '../../lib/probe/link-quality.js';
import type { ProbeResult } from '../../lib/probe/pinger.js';

const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'Bldg 6 MDF 101' };
const loss20: QualityThresholds = { lossPercent: 20, rttMs: 0 };
const t0 = Date.parse('2026-03-01T12:00:00Z');
const at = (cycle: number) => new Date(t0 + cycle * 60_000);

/** Packets back out of 5 in a cycle (0: nothing answered, after 2 retries: 7 sent), each after 10 ms. */
type Script = number[];

function result(cycle: number, received: number): ProbeResult {
  const quality = linkQuality(
    received === 0 ? 7 : 5,
    Array.from({ length: received }, () => 10),
  );
  return {
    host: router.host,
    alive: received > 0,
    attempts: quality.sent,
    rttMs: quality.avgMs,
    startedAt: at(cycle),
    quality,
  };
}

/** What the quality series keeps of the same cycles. */
function recorded(script: Script): QualityCycle[] {
  return script.map((received, cycle) => {
    const { sent, avgMs } = result(cycle, received).quality!;
    return { at: at(cycle).getTime(), sent, received, avgMs };
  });
}

/** The daemon: every cycle stepped from the last state, never restarted; the state after each cycle. */
function daemon(script: Script, policy: AlertPolicy): HostState[] {
  let state = unknownHostState;
  return script.map((received, cycle) => {
    state = step(state, result(cycle, received), router, at(cycle), policy, { thresholds: loss20 }).next;
    return state;
  });
}

/** A state as the history resumes it: status, since and alert time, but no window and no flap history. */
function fromHistory(state: HostState): HostState {
  return {
    status: state.status,
    since: state.since,
    lastAlertAt: state.lastAlertAt,
    lastRttMs: state.lastRttMs,
  };
}

function resumed(state: HostState, script: Script, policy: AlertPolicy): HostState {
  const states = new Map([[router.host, fromHistory(state)]]);
  return resumeQualityMemory(states, listedCycles(new Map([[router.host, recorded(script)]])), policy).get(
    router.host,
  )!;
}

describe('monitor/quality-resume: the window and flap history a running daemon would have', () => {
  // Each script is cut after every cycle: the rebuilt memory must equal the daemon's at that point.
  const windowCases: [name: string, script: Script, policy: AlertPolicy][] = [
    ['steady loss', [5, 3, 3, 3, 5, 5, 5, 2, 5], { realertMs: 0, qualityWindow: 3 }],
    [
      'an outage empties the window; the recovery cycle is not judged',
      [5, 3, 0, 0, 4, 3, 5, 5],
      { realertMs: 0, qualityWindow: 3 },
    ],
    [
      'a one-cycle blip under down_after_cycles 2 keeps the window',
      [5, 3, 0, 4, 3, 0, 0, 5, 5, 5],
      { realertMs: 0, qualityWindow: 3, downAfterCycles: 2 },
    ],
    [
      'up_after_cycles 2: both recovery cycles are left out',
      [5, 5, 0, 3, 3, 4, 5, 5],
      { realertMs: 0, qualityWindow: 3, upAfterCycles: 2 },
    ],
    ['a window of 5', [5, 2, 2, 5, 5, 0, 5, 2, 2, 2, 2, 5], { realertMs: 0, qualityWindow: 5 }],
  ];
  for (const [name, script, policy] of windowCases) {
    it(`window: ${name}`, () => {
      const states = daemon(script, policy);
      states.forEach((state, cut) => {
        if (state.status !== 'UP' && state.status !== 'DEGRADED') return;
        const rebuilt = resumed(state, script.slice(0, cut + 1), policy);
        expect(rebuilt.window, `after cycle ${cut}`).to.deep.equal(state.window ?? []);
      });
      // The script reaches DEGRADED somewhere, or the case would prove little.
      expect(
        states.some((s) => s.status === 'DEGRADED'),
        'reaches DEGRADED',
      ).to.equal(true);
    });
  }

  it('flap history: the answers of the newest 21 cycles, whatever the status', () => {
    const policy: AlertPolicy = { realertMs: 0, flapHighPercent: 30, flapLowPercent: 25 };
    const script = [5, 5, 0, 5, 0, 5, 0, 5, 0, 5, 5, 5, 5, 0, 5, 0, 5, 5, 0, 0, 5, 5, 5, 0, 5, 0, 5, 5];
    const states = daemon(script, policy);
    expect(
      states.some((s) => s.status === 'FLAPPING'),
      'the script flaps',
    ).to.equal(true);
    states.forEach((state, cut) => {
      expect(resumed(state, script.slice(0, cut + 1), policy).flap, `after cycle ${cut}`).to.equal(
        state.flap,
      );
    });
  });

  it('a DEGRADED host resumed judges over its real window at the first cycle: no early QUALITY_RESTORED', () => {
    const policy: AlertPolicy = { realertMs: 0, qualityWindow: 3 };
    const script = [5, 2, 2, 2];
    const before = daemon(script, policy).at(-1)!;
    expect(before.status).to.equal('DEGRADED');
    // One good cycle after the restart: 6 + 5 of 15 back is still 27 % loss, so still DEGRADED.
    const next = (state: HostState) =>
      step(state, result(4, 5), router, at(4), policy, { thresholds: loss20 });
    const withMemory = next(resumed(before, script, policy));
    expect(withMemory.next.status).to.equal('DEGRADED');
    expect(withMemory.effects).to.deep.equal([]);
    // Without it (as before issue 14's resume): a window of one good cycle, restored at once.
    const without = next(fromHistory(before));
    expect(without.next.status).to.equal('UP');
    expect(without.effects.map((e) => e.alert.kind)).to.deep.equal(['QUALITY_RESTORED']);
  });

  it('leaves MAINTENANCE hosts and hosts without cycles alone; no flap history while flap detection is off', () => {
    const states = new Map<string, HostState>([
      ['m', { status: 'MAINTENANCE', since: at(0), lastAlertAt: null, lastRttMs: null }],
      ['quiet', { status: 'UP', since: at(0), lastAlertAt: null, lastRttMs: null }],
      ['down', { status: 'DOWN', since: at(0), lastAlertAt: at(0), lastRttMs: null }],
    ]);
    const cycles = recorded([5, 0, 5]);
    const recent = listedCycles(
      new Map([
        ['m', cycles],
        ['down', cycles],
      ]),
    );
    const off = resumeQualityMemory(states, recent, { realertMs: 0, qualityWindow: 3 });
    expect(off.get('m')).to.deep.equal(states.get('m'));
    expect(off.get('quiet')).to.deep.equal(states.get('quiet'));
    expect(off.get('down')).to.deep.equal(states.get('down'));
    const on = resumeQualityMemory(states, recent, { realertMs: 0, flapHighPercent: 30 });
    // A DOWN host has no window, but its answers count toward flapping.
    expect(on.get('down')).to.deep.equal({ ...states.get('down'), flap: '101' });
    expect(on.get('m')).to.deep.equal(states.get('m'));
  });

  it('asks for 21 cycles (or a longer window) and at most two intervals per cycle back', () => {
    expect(cyclesToResume({ realertMs: 0 })).to.equal(21);
    expect(cyclesToResume({ realertMs: 0, qualityWindow: 30, downAfterCycles: 2 })).to.equal(32);
    expect(resumeFromMs(at(100), 21, 60_000)).to.equal(at(100).getTime() - 44 * 60_000);
  });
});
