import { expect } from 'chai';

import { actionMemoryFrom } from '../../lib/store/action-memory-rebuild.js';
import type { ActionHistory, RecordedCycle } from '../../lib/store/history-rebuild.js';
import { testTarget } from '../fakes/fake-config.js';

const T0 = Date.UTC(2026, 10, 22, 13, 0, 0);
const t = (seconds: number) => T0 + seconds * 1000;
const targets = [
  testTarget('10.0.0.1', { cyclePlug: 'Modem' }),
  testTarget('9.9.9.9', { cyclePlug: 'modem' }),
];

function history(options: {
  up?: Record<string, number>;
  cycles?: RecordedCycle[];
  gaveUpAt?: number;
}): ActionHistory {
  const up = options.up ?? {};
  return {
    seenUp: new Set(Object.keys(up)),
    lastUpAt: new Map(Object.entries(up)),
    cycles: new Map([['modem', options.cycles ?? []]]),
    gaveUpAt: options.gaveUpAt === undefined ? new Map() : new Map([['modem', options.gaveUpAt]]),
  };
}

const plugOf = (h: ActionHistory) => actionMemoryFrom(h, targets, { maxPerOutage: 2 }).plugs.get('modem')!;

describe('store: the power-cycle memory of a cron run, rebuilt from the history', () => {
  it('an empty history: not armed, nothing counted, not given up', () => {
    expect(plugOf(history({}))).to.deep.include({
      attempts: 0,
      lastStartAt: null,
      gaveUp: false,
      armed: false,
    });
  });

  it('armed only when every trigger was recorded UP', () => {
    expect(plugOf(history({ up: { '10.0.0.1': t(0) } })).armed).to.equal(false);
    expect(plugOf(history({ up: { '10.0.0.1': t(0), '9.9.9.9': t(0) } })).armed).to.equal(true);
  });

  it('counts the cycles since a trigger last became UP, the last start for the gap', () => {
    const plug = plugOf(
      history({
        up: { '10.0.0.1': t(100), '9.9.9.9': t(0) },
        cycles: [
          { at: t(50), attempt: 1, result: 'restored' },
          { at: t(200), attempt: 1, result: 'not-restored' },
        ],
      }),
    );
    expect(plug).to.deep.include({ attempts: 1, gaveUp: false, lastStartAt: new Date(t(200)) });
  });

  it('given up: the limit reached without the link, or a gave-up mark after the last UP', () => {
    const cycles: RecordedCycle[] = [
      { at: t(200), attempt: 1, result: 'not-restored' },
      { at: t(300), attempt: 2, result: 'plug-failed', error: 'no answer' },
    ];
    const up = { '10.0.0.1': t(0), '9.9.9.9': t(0) };
    expect(plugOf(history({ up, cycles }))).to.deep.include({
      attempts: 2,
      gaveUp: true,
      plugError: 'no answer',
    });
    expect(plugOf(history({ up, cycles: cycles.slice(0, 1), gaveUpAt: t(250) })).gaveUp).to.equal(true);
    // A mark from an earlier outage does not count.
    expect(plugOf(history({ up: { ...up, '9.9.9.9': t(400) }, gaveUpAt: t(250) })).gaveUp).to.equal(false);
  });
});
