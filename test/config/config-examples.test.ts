import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { KNOWN_HOST_OPTIONS } from '../../lib/config/host-options.js';
import { loadConfig, loadSettingsAndOrgs } from '../../lib/config/load-config.js';
import { maintenanceExampleText } from '../../lib/config/maintenance-example.js';
import { routesExampleText } from '../../lib/config/routes-example.js';
import { settingsExampleText } from '../../lib/config/settings-example.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

const shipped = (file: string) => new URL(`../../config/${file}`, import.meta.url);
const CONFIG_DIR = path.dirname(new URL(shipped('hosts.csv')).pathname);

/** The example rows of a shipped file made live: lines such as `#Modem,192.168.1.50` lose their `#`. */
function uncommented(text: string): string {
  return text
    .split('\n')
    .map((line) => (/^#[^\s#]/.test(line) ? line.slice(1) : line))
    .join('\n');
}

describe('the shipped example config (config/)', () => {
  it('settings.csv is exactly what "npm run examples" generates from the settings table', async () => {
    expect(await readFile(shipped('settings.csv'), 'utf8')).to.equal(settingsExampleText());
  });

  it('maintenance.csv is exactly what "npm run examples" generates, comment lines only', async () => {
    const text = await readFile(shipped('maintenance.csv'), 'utf8');
    expect(text).to.equal(maintenanceExampleText());
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).to.deep.equal([]);
  });

  it('routes.csv is exactly what "npm run examples" generates, comment lines only', async () => {
    const text = await readFile(shipped('routes.csv'), 'utf8');
    expect(text).to.equal(routesExampleText());
    expect(text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))).to.deep.equal([]);
  });

  it('runs out of the box: loopback only, no email, the commented files change nothing', async () => {
    const config = await loadConfig(CONFIG_DIR, { displayDir: 'config', env: {} });
    expect(config.targets.map((target) => target.id)).to.deep.equal(['127.0.0.1', 'localhost']);
    expect(config.smtp).to.equal(null);
    expect(config.kasaPlugs ?? []).to.deep.equal([]);
    expect(config.settings.intervalSeconds).to.equal(60);
  });

  it('hosts.csv documents every hosts.csv option', async () => {
    const text = await readFile(shipped('hosts.csv'), 'utf8');
    for (const key of KNOWN_HOST_OPTIONS.keys()) {
      expect(text, `hosts.csv mentions ${key}:`).to.match(new RegExp(`^#\\s+${key}:`, 'm'));
    }
  });

  it('the example rows of hosts.csv, kasa.csv, sensors.csv and orgs.csv parse through the loader', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-examples-'));
    try {
      for (const file of [
        'hosts.csv',
        'kasa.csv',
        'sensors.csv',
        'orgs.csv',
        'maintenance.csv',
        'routes.csv',
      ]) {
        const live = uncommented(await readFile(shipped(file), 'utf8'));
        expect(live, `${file} has example rows`).not.to.equal(await readFile(shipped(file), 'utf8'));
        await writeFile(path.join(dir, file), live);
      }
      // Sensors need a heartbeat listener; the routes name email addresses and ntfy.
      await writeFile(
        path.join(dir, 'settings.csv'),
        'heartbeat_port,7777\nfrom_address,pingwarden@example.com\nntfy_url,http://127.0.0.1:9/alerts\n',
      );
      await writeFile(path.join(dir, 'server_info.csv'), '127.0.0.1,2525\n');
      await writeFile(path.join(dir, 'email_recipients.csv'), 'ops@example.com\n');
      let config;
      try {
        config = await loadConfig(dir, { displayDir: 'config', env: {} });
      } catch (error) {
        if (error instanceof ConfigErrors) expect.fail(error.message);
        throw error;
      }
      expect(config.targets.map((target) => target.id)).to.deep.equal([
        '10.1.1.254',
        '10.1.2.7',
        '192.0.2.1',
        'tcp://10.1.1.25:25',
        'https://intranet.example.com/login',
        'dns://10.1.1.53/www.example.com',
        '127.0.0.1',
        'localhost',
        'sensor:cabin',
        'sensor:oldpi',
      ]);
      expect(config.kasaPlugs?.map((plug) => plug.name)).to.deep.equal(['Modem', 'Desk lamp']);
      expect(config.maintenance?.map((window) => [window.line, window.timing.kind])).to.deep.equal([
        [13, 'once'],
        [14, 'recurring'],
        [15, 'recurring'],
        [16, 'recurring'],
      ]);
      expect(config.routes?.map((route) => route.line)).to.deep.equal([16, 17, 18]);
      const { orgs } = await loadSettingsAndOrgs(dir, 'config');
      expect(orgs?.map((org) => org.prefix)).to.deep.equal(['192.168.2.0/24', '203.0.113.0/24']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
