import { expect } from 'chai';

import { DropLog } from '../../../lib/server/heartbeat/drop-log.js';
import { FakeLog } from '../../fakes/fake-log.js';

const T0 = Date.parse('2026-11-22T13:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

describe('DropLog', () => {
  it('logs the first drop at once, then one summary a minute, also when no more drops come', () => {
    const log = new FakeLog();
    const drops = new DropLog(log);
    drops.note('malformed', '203.0.113.9', undefined, at(0));
    for (let i = 1; i <= 500; i++)
      drops.note(i % 2 ? 'bad_signature' : 'malformed', '203.0.113.9', 'cabin', at(i / 100));
    drops.flushIfDue(at(59));
    expect(log.lines).to.deep.equal([
      'WARN heartbeats dropped total=1 malformed=1 last_reason=malformed last_source=203.0.113.9 next_summary_s=60',
    ]);
    drops.flushIfDue(at(60));
    drops.flushIfDue(at(200));
    expect(log.lines.slice(1)).to.deep.equal([
      'WARN heartbeats dropped total=500 malformed=250 bad_signature=250 last_reason=malformed last_source=203.0.113.9 last_sensor=cabin next_summary_s=60',
    ]);
    drops.note('replayed', '198.51.100.1', 'cabin', at(201));
    expect(log.lines).to.have.length(3);
    drops.flush(at(202));
    expect(log.lines).to.have.length(3);
  });
});
