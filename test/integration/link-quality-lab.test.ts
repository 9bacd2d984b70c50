import { expect } from 'chai';

import { CliProcess } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { requireLab } from '../support/netns-lab.js';
import { createUplinkLab, type LinkResponder, type UplinkLab } from '../support/uplink-lab.js';
import { waitFor } from '../support/wait-for.js';

const settings = [
  'key,value',
  'interval_seconds,2',
  'attempts,1',
  'timeout_seconds,1',
  'packets,5',
  'packet_interval_ms,50',
  'quality_window,3',
  'degraded_loss_percent,20',
  'down_after_cycles,2',
  'pinger,fping',
].join('\n');

/** Lines of `output` that are alerts for `host`, as `KIND`. */
function alertsFor(output: string, host: string): string[] {
  const pattern = new RegExp(`alert kind=(\\w+) host=${host.replace(/\./g, '\\.')}(?: |$)`, 'gm');
  return [...output.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** How many cycles the daemon has finished so far. */
function cycles(output: string): number {
  return output.match(/INFO +cycle hosts=/g)?.length ?? 0;
}

describe('integration: link quality in the lab (TUN responders with delay and loss, real fping)', function () {
  this.timeout(120_000);
  let lab: UplinkLab | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  let lossy: LinkResponder | undefined;
  let blip: LinkResponder | undefined;
  let toggled: LinkResponder | undefined;
  const hosts = { lossy: '', slow: '', blip: '', toggled: '' };

  before(async function () {
    await requireLab(this);
    lab = await createUplinkLab({ fastMs: 1, slowMs: 1 });
    const b = lab.range.slice(0, -'.0/24'.length);
    hosts.lossy = `${b}.201`;
    hosts.slow = `${b}.202`;
    hosts.blip = `${b}.203`;
    hosts.toggled = `${b}.204`;
    lossy = await lab.addResponder(hosts.lossy, { delayMs: 1 });
    await lab.addResponder(hosts.slow, { delayMs: 150 });
    blip = await lab.addResponder(hosts.blip, { delayMs: 1 });
    toggled = await lab.addResponder(hosts.toggled, { delayMs: 1 });
    site = await tempSite({
      'hosts.csv': [
        `${hosts.lossy},Lossy line,Lab`,
        `${hosts.slow},Slow 4G,Lab,degraded-rtt:100`,
        `${hosts.blip},Blipping switch,Lab`,
        `${hosts.toggled},Flapping AP,Lab`,
      ].join('\n'),
      'settings.csv': settings,
    });
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await lab?.destroy();
    await site?.remove();
  });

  function theDaemon(): CliProcess {
    if (daemon === undefined) throw new Error('daemon not started');
    return daemon;
  }

  /** Waits until `n` more cycles than now have finished. */
  async function nextCycles(n: number): Promise<void> {
    const target = cycles(theDaemon().output) + n;
    await waitFor(() => cycles(theDaemon().output) >= target, `${n} more cycles`, 30_000, 20);
  }

  it('150 ms host with degraded-rtt:100 goes DEGRADED; the others stay UP', async () => {
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await theDaemon().waitForOutput(/INFO +cycle hosts=4/, 30_000);
    await theDaemon().waitForOutput(
      new RegExp(`alert kind=DEGRADED host=${hosts.slow.replace(/\./g, '\\.')} .*avg_ms=15\\d`),
      15_000,
    );
    expect(alertsFor(theDaemon().output, hosts.lossy)).to.deep.equal([]);
  });

  it('a host at 30 % loss goes DEGRADED (not DOWN) and back to UP', async () => {
    await lossy!.drop(30);
    await theDaemon().waitForOutput(
      new RegExp(`alert kind=DEGRADED host=${hosts.lossy.replace(/\./g, '\\.')} `),
      30_000,
    );
    await lossy!.drop(0);
    await theDaemon().waitForOutput(
      new RegExp(`alert kind=QUALITY_RESTORED host=${hosts.lossy.replace(/\./g, '\\.')} `),
      30_000,
    );
    // WARN lines go to stderr, INFO to stdout: the order across the two is not kept, the count is.
    expect(alertsFor(theDaemon().output, hosts.lossy).sort()).to.deep.equal(['DEGRADED', 'QUALITY_RESTORED']);
    expect(theDaemon().output).not.to.match(
      new RegExp(`state host=${hosts.lossy.replace(/\./g, '\\.')} from=\\w+ to=DOWN`),
    );
  });

  it('down_after_cycles 2 ignores a one-cycle blip (logged as waiting, then not confirmed)', async () => {
    await blip!.drop(100);
    const escaped = hosts.blip.replace(/\./g, '\\.');
    await theDaemon().waitForOutput(
      new RegExp(`waiting for confirmation host=${escaped} state=UP toward=DOWN cycle=1/2`),
      30_000,
    );
    await blip!.drop(0);
    await theDaemon().waitForOutput(new RegExp(`not confirmed host=${escaped} state=UP toward=DOWN`), 30_000);
    expect(alertsFor(theDaemon().output, hosts.blip)).to.deep.equal([]);
  });

  it('a host toggled every cycle sends one FLAPPING message, not a stream of DOWN/RESTORED', async () => {
    const escaped = hosts.toggled.replace(/\./g, '\\.');
    let down = false;
    for (
      let i = 0;
      i < 12 && !new RegExp(`alert kind=FLAPPING host=${escaped}`).test(theDaemon().output);
      i++
    ) {
      down = !down;
      await toggled!.drop(down ? 100 : 0);
      await nextCycles(1);
    }
    // Four more toggles while flapping: still nothing per change.
    for (let i = 0; i < 4; i++) {
      down = !down;
      await toggled!.drop(down ? 100 : 0);
      await nextCycles(1);
    }
    expect(alertsFor(theDaemon().output, hosts.toggled)).to.deep.equal(['FLAPPING']);
  });

  it('a restart resumes FLAPPING and DEGRADED from the history, without new messages', async () => {
    await toggled!.drop(0);
    expect(await theDaemon().stop('SIGTERM')).to.equal(0);
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await nextCycles(2);
    const output = theDaemon().output;
    expect(output).to.match(/INFO +cycle hosts=4 up=\d+ down=0 unknown=0 .*degraded=1.*flapping=1/);
    for (const host of Object.values(hosts)) expect(alertsFor(output, host), host).to.deep.equal([]);
  });
});
