import { expect } from 'chai';

import type { Target } from '../../lib/config/target.js';
import { cycleRules, lampTargets } from '../../lib/monitor/power-cycle-rules.js';
import { testTarget } from '../fakes/fake-config.js';

function host(address: string, options: { cycle?: string; lamp?: 'yes' | 'no' | 'YES' } = {}): Target {
  const lamp = options.lamp === undefined ? null : options.lamp.toLowerCase() === 'yes';
  return testTarget(address, { cyclePlug: options.cycle ?? null, lamp });
}

describe('monitor/power-cycle-rules (plug rules from hosts.csv)', () => {
  it('groups the hosts of each cycle: plug, names matched in any case', () => {
    expect(
      cycleRules([
        host('a', { cycle: 'Modem' }),
        host('b'),
        host('c', { cycle: 'modem' }),
        host('d', { cycle: 'Router' }),
      ]),
    ).to.deep.equal([
      { plug: 'Modem', triggers: [host('a', { cycle: 'Modem' }), host('c', { cycle: 'modem' })] },
      { plug: 'Router', triggers: [host('d', { cycle: 'Router' })] },
    ]);
  });

  const lampCases: [string, Target[], string[]][] = [
    ['every host by default', [host('a'), host('b')], ['a', 'b']],
    ['all but lamp:no', [host('a', { lamp: 'no' }), host('b')], ['b']],
    [
      'only lamp:yes when any host has it',
      [host('a', { lamp: 'YES' }), host('b'), host('c', { lamp: 'no' })],
      ['a'],
    ],
  ];
  for (const [name, hosts, expected] of lampCases) {
    it(`lamp hosts: ${name}`, () => expect(lampTargets(hosts)).to.deep.equal(expected));
  }
});
