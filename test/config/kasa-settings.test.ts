import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { loadConfig } from '../../lib/config/load-config.js';
import { parseSettings } from '../../lib/config/parse-settings.js';
import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Settings } from '../../lib/config/types.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

const FILE = 'config/settings.csv';

describe('Kasa settings and files', () => {
  const good: [string, string, Partial<Settings>][] = [
    [
      'power-cycle limits',
      'cycle_off_seconds,2\ncycle_boot_wait_seconds,5\ncycle_poll_seconds,1\ncycle_max_per_outage,1\ncycle_min_gap_seconds,0',
      {
        cycleOffSeconds: 2,
        cycleBootWaitSeconds: 5,
        cyclePollSeconds: 1,
        cycleMaxPerOutage: 1,
        cycleMinGapSeconds: 0,
      },
    ],
    ['a lamp alias with spaces', 'indicator_lamp,Desk lamp', { indicatorLamp: 'Desk lamp' }],
    [
      'a loopback broadcast',
      'kasa_discovery_broadcast,127.255.255.255',
      { kasaDiscoveryBroadcast: '127.255.255.255' },
    ],
    [
      'discovery hosts, spaces normalised',
      'kasa_discovery_hosts,  192.168.1.50   192.168.1.51 ',
      { kasaDiscoveryHosts: '192.168.1.50 192.168.1.51' },
    ],
    [
      'plug command tunables',
      'kasa_timeout_seconds,1\nkasa_attempts,10',
      { kasaTimeoutSeconds: 1, kasaAttempts: 10 },
    ],
  ];
  for (const [name, text, changed] of good) {
    it(`reads ${name}`, () => {
      const { settings, errors } = parseSettings(text, FILE);
      expect(errors.map((e) => e.message)).to.deep.equal([]);
      expect(settings).to.deep.equal({ ...DEFAULT_SETTINGS, ...changed });
    });
  }

  const bad: [string, string, string][] = [
    ['zero off time', 'cycle_off_seconds,0', 'cycle_off_seconds must be an integer from 1 to 3600, got "0"'],
    [
      'zero cycles',
      'cycle_max_per_outage,0',
      'cycle_max_per_outage must be an integer from 1 to 100, got "0"',
    ],
    [
      'a name as broadcast',
      'kasa_discovery_broadcast,lan',
      'kasa_discovery_broadcast must be an IPv4 address, got "lan"',
    ],
    [
      'a name among discovery hosts',
      'kasa_discovery_hosts,192.168.1.50 plug.lan',
      'kasa_discovery_hosts must be IPv4 addresses separated by spaces, or empty, got "192.168.1.50 plug.lan"',
    ],
    [
      'a lamp name too long',
      `indicator_lamp,${'x'.repeat(65)}`,
      `indicator_lamp must be a plug name (kasa.csv name, Kasa alias or IPv4 address) of at most 64 characters, or empty, got "${'x'.repeat(65)}"`,
    ],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name}`, () => {
      expect(parseSettings(text, FILE).errors.map((e) => e.message)).to.deep.equal([`${FILE}:1: ${message}`]);
    });
  }

  describe('kasa.csv in a config folder', () => {
    let dir = '';
    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-kasa-config-'));
      await writeFile(path.join(dir, 'hosts.csv'), '127.0.0.1,Loopback,Here,cycle:Modem lamp:yes\n');
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('is optional, and read when present', async () => {
      expect((await loadConfig(dir, { displayDir: 'config', env: {} })).kasaPlugs).to.deep.equal([]);
      await writeFile(path.join(dir, 'kasa.csv'), 'Modem,192.168.1.50\n');
      const config = await loadConfig(dir, { displayDir: 'config', env: {} });
      expect(config.kasaPlugs).to.deep.equal([{ name: 'Modem', address: '192.168.1.50', line: 1 }]);
      expect(config.targets[0]).to.include({ cyclePlug: 'Modem', lamp: true });
    });

    it('reports its problems with file and line, with those of other files', async () => {
      await writeFile(path.join(dir, 'kasa.csv'), 'Modem,192.168.1.50\nLamp,lamp.lan\n');
      await writeFile(path.join(dir, 'settings.csv'), 'cycle_off_seconds,-1\n');
      const error = await loadConfig(dir, { displayDir: 'config', env: {} }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ConfigErrors);
      expect((error as ConfigErrors).problems.map((p) => p.message)).to.deep.equal([
        'config/settings.csv:1: cycle_off_seconds must be an integer from 1 to 3600, got "-1"',
        'config/kasa.csv:2: invalid plug address "lamp.lan": Kasa plugs need an IPv4 address',
      ]);
    });
  });
});
