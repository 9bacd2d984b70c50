import { expect } from 'chai';

import { cycleRules, lampHosts } from '../../../lib/actions/power-cycle/plug-rules.js';
import type { HostEntry } from '../../../lib/config/types.js';

function host(address: string, options: Record<string, string> = {}): HostEntry {
  return { host: address, description: '', location: '', options: new Map(Object.entries(options)), line: 1 };
}

describe('plug rules from hosts.csv', () => {
  it('groups the hosts of each cycle: plug, names matched in any case', () => {
    expect(
      cycleRules([
        host('a', { cycle: 'Modem' }),
        host('b'),
        host('c', { cycle: 'modem' }),
        host('d', { cycle: 'Router' }),
      ]),
    ).to.deep.equal([
      { plug: 'Modem', hosts: ['a', 'c'] },
      { plug: 'Router', hosts: ['d'] },
    ]);
  });

  const lampCases: [string, HostEntry[], string[]][] = [
    ['every host by default', [host('a'), host('b')], ['a', 'b']],
    ['all but lamp:no', [host('a', { lamp: 'no' }), host('b')], ['b']],
    [
      'only lamp:yes when any host has it',
      [host('a', { lamp: 'YES' }), host('b'), host('c', { lamp: 'no' })],
      ['a'],
    ],
  ];
  for (const [name, hosts, expected] of lampCases) {
    it(`lamp hosts: ${name}`, () => expect(lampHosts(hosts)).to.deep.equal(expected));
  }
});
