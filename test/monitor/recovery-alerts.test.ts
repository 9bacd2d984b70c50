import { expect } from 'chai';

import type { CycleAttempt } from '../../lib/monitor/actions.js';
import type { Alert } from '../../lib/monitor/alert.js';
import {
  applyActionEvents,
  evaluateActions,
  initialActionMemory,
  type ActionMemory,
  type ActionPolicy,
} from '../../lib/monitor/evaluate-actions.js';
import type { HostState, HostStatus } from '../../lib/monitor/host-state.js';
import { alertText } from '../../lib/notify/alert-text.js';
import { discordPayload } from '../../lib/notify/channels/discord/discord-notifier.js';
import { webhookPayload } from '../../lib/notify/channels/webhook/webhook-notifier.js';
import { kindCounts } from '../../lib/notify/notification-text.js';
import { testTarget } from '../fakes/fake-config.js';

const T0 = Date.UTC(2026, 10, 22, 13, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

const targets = [
  testTarget('10.0.0.1', { description: 'ISP first hop', location: 'WAN', cyclePlug: 'Modem' }),
  testTarget('9.9.9.9', { description: 'Quad9', location: 'Internet', cyclePlug: 'Modem' }),
];

const policy: ActionPolicy = {
  powerCycles: true,
  maxPerOutage: 2,
  minGapMs: 60_000,
  offMs: 1_000,
  bootWaitMs: 5_000,
  pollMs: 1_000,
  timeoutSeconds: 1,
  lampPlug: '',
  announceCycles: false,
  dryRun: false,
};

function states(status: HostStatus, since: Date): Map<string, HostState> {
  const state: HostState = { status, since, lastAlertAt: null, lastRttMs: null };
  return new Map(targets.map((target) => [target.id, state]));
}

const up = states('UP', at(0));
const down = states('DOWN', at(100));

/** Runs the pure cycle through `cycles` power cycles that each end `result`, returning the memory. */
function cycleThrough(
  results: readonly CycleAttempt['result'][],
  options: Partial<ActionPolicy> = {},
): { memory: ActionMemory; outgoing: Alert[] } {
  const p = { ...policy, ...options };
  let memory = evaluateActions(targets, up, initialActionMemory, p, at(0)).memory;
  const outgoing: Alert[] = [];
  for (const [index, result] of results.entries()) {
    const now = at(200 + index * 100);
    const decided = evaluateActions(targets, down, memory, p, now);
    outgoing.push(...decided.memory.outgoing);
    expect(decided.actions.map((a) => a.type)).to.include('power-cycle');
    const attempt: CycleAttempt = {
      plug: 'Modem',
      hosts: targets.map((t) => t.id),
      attempt: index + 1,
      max: p.maxPerOutage,
      result,
      startedAt: now,
      endedAt: at(210 + index * 100),
      offMs: result === 'plug-failed' ? null : 1_000,
      restoredAfterMs: null,
      ...(result === 'plug-failed' && { error: 'no answer from 192.168.1.50 within 5000 ms' }),
    };
    memory = applyActionEvents(
      { ...decided.memory, outgoing: [] },
      [
        { type: 'power-cycle-result', attempt, bootWaitMs: p.bootWaitMs },
        { type: 'power-cycle-ended', plug: 'Modem' },
      ],
      { targets, states: down, policy: p, now: at(210 + index * 100) },
    );
    outgoing.push(...memory.outgoing);
    memory = { ...memory, outgoing: [] };
  }
  return { memory, outgoing };
}

describe('monitor: recovery messages (a person is needed)', () => {
  it('the last allowed cycle failing gives NEEDS_PERSON at once, from the result event, exactly once', () => {
    const { memory, outgoing } = cycleThrough(['not-restored', 'not-restored']);
    expect(outgoing.map((a) => a.kind)).to.deep.equal(['NEEDS_PERSON']);
    const [needed] = outgoing;
    expect(needed!.at).to.deep.equal(at(310));
    expect(needed!.downSince).to.deep.equal(at(100));
    expect(needed!.recovery).to.deep.equal({
      plug: 'Modem',
      cycles: 2,
      max: 2,
      triggers: targets.map((t) => t.label),
      dryRun: false,
    });
    // Later cycles while the link stays down say nothing more.
    const later = evaluateActions(targets, down, memory, policy, at(1_000));
    expect(later.memory.outgoing).to.deep.equal([]);
    expect(later.actions.map((a) => a.type)).to.not.include('power-cycle');
  });

  it('an earlier failed cycle is no reason to call a person', () => {
    expect(cycleThrough(['not-restored']).outgoing).to.deep.equal([]);
  });

  it('LINK_BACK when a trigger answers after the give-up, dated from the outage start; nothing without a give-up', () => {
    const { memory } = cycleThrough(['not-restored', 'not-restored']);
    const back = states('UP', at(2_000));
    const decided = evaluateActions(targets, back, memory, policy, at(2_000), down);
    expect(decided.memory.outgoing.map((a) => a.kind)).to.deep.equal(['LINK_BACK']);
    expect(decided.memory.outgoing[0]!.durationMs).to.equal(1_900_000);
    const quiet = cycleThrough(['not-restored']).memory;
    expect(evaluateActions(targets, back, quiet, policy, at(2_000), down).memory.outgoing).to.deep.equal([]);
  });

  it('cycle_announce: a POWER_CYCLE message per cycle start, with the start note', () => {
    const { outgoing } = cycleThrough(['not-restored', 'not-restored'], { announceCycles: true });
    expect(outgoing.map((a) => `${a.kind} ${a.recovery?.cycles}`)).to.deep.equal([
      'POWER_CYCLE 1',
      'POWER_CYCLE 2',
      'NEEDS_PERSON 2',
    ]);
    expect(outgoing[0]!.notes).to.deep.equal([
      'power cycle 1/2 of Modem started: plug off for 1s, then up to 5s for the link to return',
    ]);
  });

  it('a plug that does not answer and a dry run are said in the message (email, webhook, Discord)', () => {
    const { outgoing } = cycleThrough(['plug-failed', 'plug-failed'], { dryRun: true });
    const [needed] = outgoing;
    const sentence =
      'Modem power-cycled 2/2 times (dry run (start --dry-run): the plug was not really switched; the plug did ' +
      'not answer: no answer from 192.168.1.50 within 5000 ms); the link is still down; automatic recovery ' +
      'has stopped — a person is needed.';
    const text = alertText(needed!, { timeZone: 'UTC' });
    expect(text.subject).to.equal(`[pingwarden] A person is needed: ${sentence.slice(0, -1)}`);
    expect(text.text).to.equal(
      `${sentence}\n\n` +
        'Plug:                   Modem\n' +
        'Power cycles:           2 of 2 allowed\n' +
        'Trigger hosts:          ISP first hop (10.0.0.1) — WAN\n' +
        '                        Quad9 (9.9.9.9) — Internet\n' +
        'Link down since:        2026-11-22 13:01:40 UTC\n' +
        'Link down since (UTC):  2026-11-22T13:01:40Z\n' +
        'Down for:               3m 30s\n' +
        'Dry run:                yes: pingwarden start --dry-run never switches plugs\n' +
        'Plug error:             no answer from 192.168.1.50 within 5000 ms\n',
    );
    const notification = { id: 'x-1', composedAt: at(310), overview: 'o', alerts: [needed!] };
    const context = { now: at(310), attempt: 1 };
    const event = webhookPayload(notification, context).events[0]!;
    expect(event.kind).to.equal('NEEDS_PERSON');
    expect(event.recovery?.message).to.equal(sentence);
    expect(event.recovery?.plugError).to.equal('no answer from 192.168.1.50 within 5000 ms');
    const embed = discordPayload(notification, context).embeds[0]!;
    expect(embed.title).to.equal('A person is needed: Modem could not bring the link back');
    expect(embed.description).to.include(sentence);
    expect(kindCounts([needed!, needed!])).to.equal('2 NEEDS_PERSON');
  });
});

describe('monitor: cycle_min_gap_seconds counts from when the plug was really switched', () => {
  it('a cycle that started 3 s after its decision (traces first) keeps the next one 60 s after that start', () => {
    let memory = evaluateActions(targets, up, initialActionMemory, policy, at(0)).memory;
    const first = evaluateActions(targets, down, memory, policy, at(200));
    expect(first.actions.map((a) => a.type)).to.include('power-cycle');
    const attempt: CycleAttempt = {
      plug: 'Modem',
      hosts: targets.map((t) => t.id),
      attempt: 1,
      max: policy.maxPerOutage,
      result: 'not-restored',
      startedAt: at(203),
      endedAt: at(210),
      offMs: 1_000,
      restoredAfterMs: null,
    };
    memory = applyActionEvents(first.memory, [
      { type: 'power-cycle-result', attempt, bootWaitMs: policy.bootWaitMs },
      { type: 'power-cycle-ended', plug: 'Modem' },
    ]);
    const cycles = (seconds: number) =>
      evaluateActions(targets, down, memory, policy, at(seconds)).actions.filter(
        (a) => a.type === 'power-cycle',
      );
    expect(cycles(260), '60 s after the decision, 57 s after the plug went off').to.have.length(0);
    expect(cycles(263), '60 s after the plug went off').to.have.length(1);
  });
});
