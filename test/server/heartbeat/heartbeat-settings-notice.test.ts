import { expect } from 'chai';

import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { HeartbeatSettingsNotice } from '../../../lib/server/heartbeat/heartbeat-settings-notice.js';
import { testSettings } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';

function report(heartbeatPort: number, heartbeatListen = '127.0.0.1'): CycleReport {
  return {
    config: {
      hosts: [],
      settings: { ...testSettings, heartbeatPort, heartbeatListen },
      smtp: null,
      warnings: [],
    },
  } as unknown as CycleReport;
}

describe('HeartbeatSettingsNotice', () => {
  it('warns once per change of the listener settings, and not when they are back to what runs', () => {
    const log = new FakeLog();
    const notice = new HeartbeatSettingsNotice({ port: 0, address: '127.0.0.1' }, log);
    for (const r of [report(0), report(7777), report(7777), report(7777, '0.0.0.0'), report(0)]) {
      notice.cycleFinished(r);
    }
    expect(log.lines).to.deep.equal([
      'WARN heartbeat listener settings changed; restart pingwarden to apply them running=off configured=127.0.0.1:7777',
      'WARN heartbeat listener settings changed; restart pingwarden to apply them running=off configured=0.0.0.0:7777',
    ]);
  });
});
