import { expect } from 'chai';

import { TplinkKasaNetwork } from '../../../lib/actions/kasa/tplink-network.js';
import { systemClock } from '../../../lib/shared/clock.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { SimulatedPlug } from '../../support/kasa-simulator.js';

const PLUG = '127.0.0.101';
const SLOW = '127.0.0.102';
const GARBLED = '127.0.0.103';
const NOBODY = '127.0.0.104';

describe('TplinkKasaNetwork against tplink-smarthome-simulator', function () {
  this.timeout(20_000);
  const plugs: SimulatedPlug[] = [];
  const network = new TplinkKasaNetwork({ timeoutMs: 500, log: new FakeLog(), clock: systemClock });

  before(async () => {
    plugs.push(await SimulatedPlug.start({ alias: 'Modem', address: PLUG, on: true }));
    plugs.push(await SimulatedPlug.start({ alias: 'Slow', address: SLOW, responseDelayMs: 2_000 }));
    plugs.push(await SimulatedPlug.start({ alias: 'Garbled', address: GARBLED, unreliable: 1 }));
  });
  after(async () => {
    await Promise.all(plugs.map((p) => p.stop()));
  });

  it('describes a plug and switches its relay', async () => {
    const [modem] = plugs;
    expect(await network.describe(PLUG)).to.deep.equal({
      alias: 'Modem',
      address: PLUG,
      model: 'HS100(US)',
      on: true,
    });
    await network.setPower(PLUG, false);
    expect(modem!.on).to.equal(false);
    await network.setPower(PLUG, true);
    expect(modem!.on).to.equal(true);
  });

  const escaped = (address: string) => address.replace(/\./g, '\\.');
  const failures: [string, string, RegExp][] = [
    ['nobody listening', NOBODY, new RegExp(`^connect ECONNREFUSED ${escaped(NOBODY)}:9999$`)],
    ['a plug slower than the timeout', SLOW, new RegExp(`^no answer from ${escaped(SLOW)} within 500 ms$`)],
    // Random garbage: unparsable when it arrives whole, or a frame that never completes (a timeout).
    [
      'a garbled answer',
      GARBLED,
      new RegExp(
        `^(unreadable answer from ${escaped(GARBLED)}|no answer from ${escaped(GARBLED)} within 500 ms)$`,
      ),
    ],
  ];
  for (const [name, address, message] of failures) {
    it(`turns ${name} into one plain sentence`, async () => {
      for (const attempt of [() => network.describe(address), () => network.setPower(address, true)]) {
        const error = await attempt().catch((e: unknown) => e);
        expect(error).to.be.instanceOf(Error);
        expect((error as Error).message).to.match(message);
      }
    });
  }
});
