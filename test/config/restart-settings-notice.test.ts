import { expect } from 'chai';

import { RestartSettingsNotice } from '../../lib/config/restart-settings-notice.js';
import { SETTING_SPECS } from '../../lib/config/settings-table.js';
import type { Settings } from '../../lib/config/types.js';
import { testSettings } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';

const started: Settings = { ...testSettings, httpPort: 8080, heartbeatPort: 0 };

describe('RestartSettingsNotice', () => {
  it('warns once per edit of a restart-only setting, not when it is back to what runs', () => {
    const log = new FakeLog();
    const notice = new RestartSettingsNotice(started, log);
    for (const edit of [
      { httpPort: 9090 },
      { httpPort: 9090 },
      { httpPort: 9091 },
      { httpPort: 8080 },
      { heartbeatPort: 7777, heartbeatListen: '0.0.0.0' },
    ]) {
      notice.check({ ...started, ...edit });
    }
    expect(log.lines).to.deep.equal([
      'WARN setting changed; restart pingwarden to apply it key=http_port old=8080 new=9090',
      'WARN setting changed; restart pingwarden to apply it key=http_port old=8080 new=9091',
      'WARN setting changed; restart pingwarden to apply it key=heartbeat_port old=0 new=7777',
      'WARN setting changed; restart pingwarden to apply it key=heartbeat_listen old=127.0.0.1 new=0.0.0.0',
    ]);
  });

  it('says nothing about settings that apply live', () => {
    const log = new FakeLog();
    const notice = new RestartSettingsNotice(started, log);
    notice.check({
      ...started,
      intervalSeconds: 5,
      attempts: 1,
      discordWebhook: 'https://example.test/hook',
    });
    expect(log.lines).to.deep.equal([]);
  });

  it('never logs a token, only that it changed', () => {
    const log = new FakeLog();
    new RestartSettingsNotice(started, log).check({ ...started, httpToken: 'a-very-secret-token' });
    expect(log.lines).to.deep.equal([
      'WARN setting changed; restart pingwarden to apply it key=http_token old=(empty) new=(hidden)',
    ]);
  });

  it('knows which settings are read only at start-up', () => {
    const restart = SETTING_SPECS.filter((spec) => spec.reload === 'restart').map((spec) => spec.key);
    expect(restart).to.include.members([
      'heartbeat_port',
      'heartbeat_listen',
      'http_port',
      'http_listen',
      'log_level',
    ]);
    expect(restart).to.not.include.members([
      'interval_seconds',
      'attempts',
      'realert_seconds',
      'discord_webhook',
    ]);
  });
});
