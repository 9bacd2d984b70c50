import { expect } from 'chai';

import { LampRunner } from '../../../lib/actions/lamp/lamp-runner.js';
import type { Target } from '../../../lib/config/target.js';
import type { HostStatus } from '../../../lib/monitor/host-state.js';
import { ActionRig } from '../../fakes/action-rig.js';
import { testSettings, testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakePlugSwitch } from '../../fakes/fake-plug-switch.js';

function host(address: string, options: { lamp?: 'yes' | 'no' } = {}): Target {
  return testTarget(address, { lamp: options.lamp === undefined ? null : options.lamp === 'yes' });
}

class Rig {
  readonly plugs = new FakePlugSwitch();
  readonly log = new FakeLog();
  readonly lamp = new LampRunner({ plugs: this.plugs, log: this.log });
  private readonly actions: ActionRig;

  constructor(hosts: Target[], lamp = 'Lamp') {
    const settings = { ...testSettings, indicatorLamp: lamp };
    this.actions = new ActionRig(hosts, settings, [this.lamp], this.log, () => new Date(0));
  }

  readonly notes = { pendingFor: (id: string) => this.actions.pendingFor(id) };

  async cycle(statuses: Record<string, HostStatus>): Promise<void> {
    this.actions.cycle(statuses);
    // Switching runs in the background; the fake switch answers at once.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('actions/lamp: the lamp decision carried out by the LampRunner', () => {
  it('sets the lamp at the first cycle whatever it was, then switches only on changes', async () => {
    const rig = new Rig([host('a'), host('b')]);
    rig.plugs.states.set('Lamp', true);
    await rig.cycle({ a: 'UP', b: 'UP' });
    expect(rig.plugs.states.get('Lamp'), 'restored to off after a restart').to.equal(false);
    await rig.cycle({ a: 'UP', b: 'UP' });
    await rig.cycle({ a: 'DOWN', b: 'UP' });
    expect(rig.plugs.states.get('Lamp')).to.equal(true);
    await rig.cycle({ a: 'DOWN', b: 'DOWN' });
    await rig.cycle({ a: 'UP', b: 'UP' });
    expect(rig.plugs.commands).to.deep.equal(['Lamp off', 'Lamp on', 'Lamp off']);
    expect(rig.log.matching('INFO indicator lamp')).to.deep.equal([
      'INFO indicator lamp plug=Lamp state=off down=0',
      'INFO indicator lamp plug=Lamp state=on down=1',
      'INFO indicator lamp plug=Lamp state=off down=0',
    ]);
  });

  it('follows only the chosen hosts', async () => {
    const rig = new Rig([host('a', { lamp: 'yes' }), host('b')]);
    await rig.cycle({ a: 'UP', b: 'DOWN' });
    expect(rig.plugs.states.get('Lamp')).to.equal(false);
  });

  it('logs a plug failure, notes it once in the next alert, and retries at the next cycle', async () => {
    const rig = new Rig([host('a')]);
    rig.plugs.failing.add('Lamp');
    await rig.cycle({ a: 'DOWN' });
    await rig.cycle({ a: 'DOWN' });
    expect(rig.plugs.commands).to.deep.equal(['Lamp on', 'Lamp on']);
    expect(rig.log.matching('ERROR indicator lamp could not be switched')).to.have.length(2);
    expect(rig.notes.pendingFor('a')).to.deep.equal([
      'indicator lamp Lamp could not be switched on: plug Lamp did not switch on (3 tries): connect ECONNREFUSED',
    ]);
  });

  it('does nothing without indicator_lamp', async () => {
    const rig = new Rig([host('a')], '');
    await rig.cycle({ a: 'DOWN' });
    expect(rig.plugs.commands).to.deep.equal([]);
  });
});
