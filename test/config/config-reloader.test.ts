import { expect } from 'chai';

import { ConfigReloader } from '../../lib/config/config-reloader.js';
import type { Config } from '../../lib/config/types.js';
import { ConfigError, ConfigErrors } from '../../lib/shared/errors.js';
import { testSettings } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';

function config(intervalSeconds: number): Config {
  return { targets: [], settings: { ...testSettings, intervalSeconds }, smtp: null, warnings: [] };
}

/** Readers over a list of loads: each fingerprint change loads the next one (a Config, or problems). */
function readers(loads: (Config | ConfigErrors)[]) {
  let stamp = 0;
  let next = 0;
  return {
    edit: () => void stamp++,
    readers: {
      fingerprint: () => Promise.resolve(String(stamp)),
      load: () => {
        const load = loads[next++];
        if (load === undefined) throw new Error('no more loads');
        return load instanceof ConfigErrors ? Promise.reject(load) : Promise.resolve(load);
      },
    },
  };
}

describe('ConfigReloader', () => {
  it('serves the settings in force through one accessor and tells listeners about each replacement', async () => {
    const disk = readers([
      config(60),
      config(30),
      new ConfigErrors([new ConfigError('config/settings.csv', 1, 'bad')]),
      config(10),
    ]);
    const log = new FakeLog();
    const reloader = await ConfigReloader.open(disk.readers, log);
    const { settings } = reloader;
    const seen: string[] = [];
    reloader.onReload((next, previous) =>
      seen.push(`${previous.settings.intervalSeconds}->${next.settings.intervalSeconds}`),
    );
    expect(settings().intervalSeconds).to.equal(60);
    await reloader.current();
    expect(seen, 'no edit, no reload').to.deep.equal([]);
    for (const expected of [30, 30, 10]) {
      disk.edit();
      await reloader.current();
      expect(settings().intervalSeconds).to.equal(expected);
    }
    expect(seen, 'a broken edit replaces nothing').to.deep.equal(['60->30', '30->10']);
    expect(log.matching('ERROR')).to.deep.equal([
      'ERROR config reload failed; keeping the last good config problems=1',
      'ERROR config/settings.csv:1: bad',
    ]);
  });

  it('opened with a configuration already read, does not read the files again, and reloads a later edit', async () => {
    // The only load on the list is the edit's: a second read at open would take it and fail the test.
    const disk = readers([config(30)]);
    const reloader = await ConfigReloader.open(disk.readers, new FakeLog(), {
      config: config(60),
      fingerprint: '0',
    });
    expect(reloader.settings().intervalSeconds).to.equal(60);
    await reloader.current();
    expect(reloader.settings().intervalSeconds, 'same fingerprint: nothing read').to.equal(60);
    disk.edit();
    await reloader.current();
    expect(reloader.settings().intervalSeconds).to.equal(30);
  });

  it('an edit between the fingerprint and the read of the first configuration is reloaded at the next cycle', async () => {
    const disk = readers([config(30)]);
    // The caller took fingerprint "0", then the file changed (stamp 1) while it was being read.
    const reloader = await ConfigReloader.open(disk.readers, new FakeLog(), {
      config: config(60),
      fingerprint: '0',
    });
    disk.edit();
    await reloader.current();
    expect(reloader.settings().intervalSeconds).to.equal(30);
  });
});
