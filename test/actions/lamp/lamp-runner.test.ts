import { expect } from 'chai';

import { IndicatorLamp } from '../../../lib/actions/lamp/indicator-lamp.js';
import type { Config, HostEntry } from '../../../lib/config/types.js';
import type { HostState, HostStatus } from '../../../lib/monitor/host-state.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { AlertNotes } from '../../../lib/notify/alert-notes.js';
import { testSettings } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakePlugSwitch } from '../../fakes/fake-plug-switch.js';

function host(address: string, options: Record<string, string> = {}): HostEntry {
  return { host: address, description: '', location: '', options: new Map(Object.entries(options)), line: 1 };
}

class Rig {
  readonly plugs = new FakePlugSwitch();
  readonly log = new FakeLog();
  readonly notes = new AlertNotes();
  readonly lamp = new IndicatorLamp({ plugs: this.plugs, log: this.log, notes: this.notes });
  config: Config;

  constructor(hosts: HostEntry[], lamp = 'Lamp') {
    this.config = { hosts, settings: { ...testSettings, indicatorLamp: lamp }, smtp: null, warnings: [] };
  }

  async cycle(statuses: Record<string, HostStatus>): Promise<void> {
    const states = new Map(
      Object.entries(statuses).map(([h, status]): [string, HostState] => [
        h,
        { status, since: null, lastAlertAt: null, lastRttMs: null },
      ]),
    );
    this.lamp.cycleFinished({ at: new Date(), config: this.config, states } as unknown as CycleReport);
    // Switching runs in the background; the fake switch answers at once.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('IndicatorLamp', () => {
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
