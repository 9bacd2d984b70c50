import { expect } from 'chai';

import { runCli } from '../../support/cli-process.js';
import { tempSite, type TempSite } from '../../support/config-dir.js';

describe('cli/commands/snooze-commands', function () {
  this.timeout(60_000);
  let site: TempSite | undefined;
  afterEach(async () => {
    await site?.remove();
  });

  // Found in acceptance: "alerts resume at the next cycle" while a location snooze still silenced the host.
  it('unsnooze says when another snooze still silences the host, and "alerts resume" when none does', async () => {
    site = await tempSite({ 'hosts.csv': '127.0.0.1,Core,Bldg 6\n127.0.0.2,Edge,Bldg 6\n::1,Other,Annex\n' });
    const paths = ['--config', site.configDir, '--logs', site.logsDir];
    for (const target of ['127.0.0.1', 'location:Bldg 6', '::1']) {
      const snoozed = await runCli(['snooze', target, '2h', ...paths]);
      expect(snoozed.code, snoozed.output()).to.equal(0);
    }
    const first = await runCli(['unsnooze', '127.0.0.1', ...paths]);
    expect(first.code, first.output()).to.equal(0);
    expect(first.stdout).to.equal('unsnoozed 127.0.0.1; still silenced by the snooze of location:Bldg 6\n');
    const second = await runCli(['unsnooze', 'location:Bldg 6', ...paths]);
    expect(second.stdout).to.equal('unsnoozed location:Bldg 6; alerts resume at the next cycle\n');
  });
});
