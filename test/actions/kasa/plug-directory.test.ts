import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { PlugCache } from '../../../lib/actions/kasa/plug-cache.js';
import { PlugDirectory } from '../../../lib/actions/kasa/plug-directory.js';
import { VerifiedPlugSwitch } from '../../../lib/actions/kasa/plug-switch.js';
import { PlugError } from '../../../lib/actions/kasa/plug.js';
import { TplinkKasaNetwork } from '../../../lib/actions/kasa/tplink-network.js';
import { systemClock } from '../../../lib/shared/clock.js';
import type { KasaPlugEntry } from '../../../lib/config/types.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { SimulatedPlug } from '../../support/kasa-simulator.js';

// Loopback only: discovery broadcasts to 127.255.255.255 (which stays on lo) and asks these directly.
const MODEM = '127.0.0.61';
const LAMP = '127.0.0.62';
const FLAKY = '127.0.0.63';
const MOVED = '127.0.0.64';
const SCAN = [MODEM, LAMP, FLAKY, MOVED];

describe('Kasa plugs against tplink-smarthome-simulator', function () {
  this.timeout(30_000);
  let dir = '';
  let plugs: SimulatedPlug[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-kasa-'));
    plugs = [];
  });
  afterEach(async () => {
    await Promise.all(plugs.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  });

  async function simulate(alias: string, address: string, on = false): Promise<SimulatedPlug> {
    const plug = await SimulatedPlug.start({ alias, address, on });
    plugs.push(plug);
    return plug;
  }

  function directory(log: FakeLog, fixed: KasaPlugEntry[] = [], minDiscoveryGapMs = 0) {
    const network = new TplinkKasaNetwork({ timeoutMs: 1000, log, clock: systemClock });
    return new PlugDirectory({
      network,
      cache: new PlugCache(path.join(dir, 'kasa-cache.json'), log),
      clock: systemClock,
      log,
      fixed,
      discovery: { broadcast: '127.255.255.255', hosts: SCAN, durationMs: 600 },
      minDiscoveryGapMs,
    });
  }

  it('discovers plugs by alias, writes the cache, and uses it without discovering again', async () => {
    await simulate('Modem', MODEM, true);
    await simulate('Lamp', LAMP);
    const log = new FakeLog();
    const found = await directory(log).discoverAll();
    expect(found.map((p) => [p.alias, p.address, p.model, p.on])).to.deep.equal([
      ['Lamp', LAMP, 'HS100(US)', false],
      ['Modem', MODEM, 'HS100(US)', true],
    ]);
    const cache = JSON.parse(await readFile(path.join(dir, 'kasa-cache.json'), 'utf8')) as {
      plugs: { alias: string; address: string }[];
    };
    expect(cache.plugs.map((p) => [p.alias, p.address])).to.deep.equal([
      ['Lamp', LAMP],
      ['Modem', MODEM],
    ]);

    const fresh = new FakeLog();
    const modem = await directory(fresh).find('modem');
    expect([modem.alias, modem.address]).to.deep.equal(['Modem', MODEM]);
    expect(fresh.matching('INFO kasa discovery'), 'the cache was enough').to.deep.equal([]);
  });

  it('rediscovers and refreshes the cache when the plug moved to another address', async () => {
    const modem = await simulate('Modem', MODEM, true);
    await simulate('Lamp', LAMP);
    await directory(new FakeLog()).discoverAll();

    await modem.moveTo(MOVED);
    const log = new FakeLog();
    const found = await directory(log).find('Modem');
    expect(found.address).to.equal(MOVED);
    expect(log.lines.find((l) => l.startsWith('INFO kasa cache stale'))).to.match(
      /no answer at the cached address; rediscovering plug=Modem address=127\.0\.0\.61/,
    );
    const cache = await readFile(path.join(dir, 'kasa-cache.json'), 'utf8');
    expect(cache).to.include(`"address": "${MOVED}"`);

    // Another plug now answers at the cached address: the alias check catches it.
    await modem.moveTo(FLAKY);
    await simulate('Heater', MOVED);
    const again = new FakeLog();
    expect((await directory(again).find('Modem')).address).to.equal(FLAKY);
    expect(again.lines.find((l) => l.startsWith('INFO kasa cache stale'))).to.include(
      `another device answers at the cached address; rediscovering plug=Modem address=${MOVED}`,
    );
  });

  it('says which plugs it found when a name is unknown, and does not rediscover within the gap', async () => {
    await simulate('Lamp', LAMP);
    const log = new FakeLog();
    const dirWithGap = directory(log, [], 60_000);
    const error = await dirWithGap.find('Modem').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PlugError);
    expect((error as Error).message).to.equal('plug "Modem" not found by discovery (found: Lamp)');
    const second = await dirWithGap.find('Modem').catch((e: unknown) => e);
    expect((second as Error).message).to.match(
      /^plug "Modem" not found \(the last discovery, \d+s ago, did not find it\)$/,
    );
    expect(log.matching('INFO kasa discovery done')).to.have.length(1);
  });

  it('uses kasa.csv addresses and IPv4 names as given', async () => {
    const lamp = await simulate('Desk lamp', LAMP);
    const log = new FakeLog();
    const dirFixed = directory(log, [{ name: 'lamp', address: LAMP, line: 1 }]);
    await (await dirFixed.find('Lamp')).setPower(true);
    expect(lamp.on).to.equal(true);
    await (await dirFixed.find(LAMP)).setPower(false);
    expect(lamp.on).to.equal(false);
    expect(log.matching('INFO kasa discovery')).to.deep.equal([]);
  });

  it('retries an unreliable plug, reports each failed try, and switches it in the end', async () => {
    const flaky = await SimulatedPlug.start({ alias: 'Flaky', address: FLAKY, unreliable: 1 });
    plugs.push(flaky);
    const log = new FakeLog();
    const finder = directory(log, [{ name: 'Flaky', address: FLAKY, line: 1 }]);
    const failing = new VerifiedPlugSwitch({
      finder,
      clock: systemClock,
      log,
      attempts: 2,
      retryDelayMs: 10,
    });
    const error = await failing.switchTo('Flaky', true).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PlugError);
    expect((error as Error).message).to.match(/^plug Flaky did not switch on \(2 tries\): /);
    expect(log.matching('WARN plug command failed plug=Flaky to=on try=')).to.have.length(2);
    expect(flaky.on).to.equal(false);

    // Garbage until the first failed try (after which the directory forgets the plug): the retry gets through.
    const patient = new VerifiedPlugSwitch({
      finder: {
        find: (name) => finder.find(name),
        forget: (name) => {
          flaky.unreliable = 0;
          finder.forget(name);
        },
      },
      clock: systemClock,
      log,
      attempts: 3,
      retryDelayMs: 10,
    });
    flaky.unreliable = 1;
    await patient.switchTo('Flaky', true);
    expect(flaky.on).to.equal(true);
    expect(log.matching('WARN plug command failed plug=Flaky to=on try=')).to.have.length(3);
    expect(log.lines.at(-1)).to.equal(`INFO plug switched plug=Flaky alias=Flaky address=${FLAKY} to=on`);
  });
});
