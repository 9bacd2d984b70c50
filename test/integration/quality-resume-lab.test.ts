import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { CliProcess, runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { requireLab } from '../support/netns-lab.js';
import { createUplinkLab, type LinkResponder, type UplinkLab } from '../support/uplink-lab.js';
import { waitFor } from '../support/wait-for.js';

// An interval long enough that a loaded machine's `once` runs (a process each) stay within the two
// intervals per cycle that the resume reads back; the daemon part is paced by its own cycles.
const settings = [
  'key,value',
  'interval_seconds,5',
  'attempts,1',
  'timeout_seconds,1',
  'packets,5',
  'packet_interval_ms,50',
  'quality_window,3',
  'degraded_loss_percent,20',
  'pinger,fping',
].join('\n');

const escape = (host: string) => host.replace(/\./g, '\\.');

/** `KIND` of every alert line for `host` in `output`, in order. */
function alertsFor(output: string, host: string): string[] {
  const pattern = new RegExp(`alert kind=(\\w+) host=${escape(host)}(?: |$)`, 'gm');
  return [...output.matchAll(pattern)].map((match) => match[1] ?? '');
}

/** The newest status the history recorded for `host` (a run without a change keeps the one before). */
async function recordedStatus(logsDir: string, host: string): Promise<string> {
  const dir = path.join(logsDir, 'history');
  let status = 'UNKNOWN';
  for (const name of (await readdir(dir)).filter((file) => file.endsWith('.jsonl')).sort()) {
    for (const line of (await readFile(path.join(dir, name), 'utf8')).split('\n')) {
      if (line === '') continue;
      const record = JSON.parse(line) as { kind?: string; host?: string; state?: string };
      if (record.kind === 'state' && record.host === host && record.state) status = record.state;
    }
  }
  return status;
}

describe('integration: quality window and flap history across `once` runs and a daemon restart (lab)', function () {
  this.timeout(240_000);
  let lab: UplinkLab | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  let lossy: LinkResponder | undefined;
  let toggled: LinkResponder | undefined;
  const hosts = { lossy: '', toggled: '' };

  before(async function () {
    await requireLab(this);
    lab = await createUplinkLab({ fastMs: 1, slowMs: 1 });
    const b = lab.range.slice(0, -'.0/24'.length);
    hosts.lossy = `${b}.211`;
    hosts.toggled = `${b}.212`;
    lossy = await lab.addResponder(hosts.lossy, { delayMs: 1 });
    toggled = await lab.addResponder(hosts.toggled, { delayMs: 1 });
    site = await tempSite({
      'hosts.csv': [`${hosts.lossy},Lossy line,Lab`, `${hosts.toggled},Flapping AP,Lab`].join('\n'),
      'settings.csv': settings,
    });
  });

  after(async () => {
    await daemon?.stop('SIGKILL');
    await lab?.destroy();
    await site?.remove();
  });

  it('`once` run N times pools quality_window runs for DEGRADED and detects FLAPPING, as the daemon does', async () => {
    // Per run: the lossy host's loss, and whether the toggled host answers (every other run).
    const runs: { loss: number; toggledUp: boolean }[] = [
      { loss: 0, toggledUp: true },
      { loss: 0, toggledUp: false },
      { loss: 0, toggledUp: true },
      { loss: 40, toggledUp: false },
      { loss: 40, toggledUp: true },
      { loss: 0, toggledUp: false },
      { loss: 0, toggledUp: true },
      { loss: 0, toggledUp: false },
    ];
    const lossyStatus: string[] = [];
    const toggledStatus: string[] = [];
    const lossyAlerts: string[][] = [];
    const toggledAlerts: string[][] = [];
    for (const run of runs) {
      await lossy!.drop(run.loss);
      await toggled!.drop(run.toggledUp ? 0 : 100);
      const result = await runCli(['once', '--config', site!.configDir, '--logs', site!.logsDir]);
      const output = result.output();
      expect(result.code, output).to.be.oneOf([0, 1]);
      lossyStatus.push(await recordedStatus(site!.logsDir, hosts.lossy));
      toggledStatus.push(await recordedStatus(site!.logsDir, hosts.toggled));
      lossyAlerts.push(alertsFor(output, hosts.lossy));
      toggledAlerts.push(alertsFor(output, hosts.toggled));
    }
    // Pooled over 3 runs: one run at 40 % loss is 2 of 15 packets (13 %, UP); two are 4 of 15 (27 %,
    // DEGRADED); one good run after them still 27 %; two good runs 13 %: QUALITY RESTORED. Judged per
    // run (no memory), the first lossy run would be DEGRADED and the first good one restored.
    expect(lossyStatus).to.deep.equal(['UP', 'UP', 'UP', 'UP', 'DEGRADED', 'DEGRADED', 'UP', 'UP']);
    expect(lossyAlerts).to.deep.equal([[], [], [], [], ['DEGRADED'], [], ['QUALITY_RESTORED'], []]);
    // Toggled every run: DOWN, RESTORED, DOWN, RESTORED, DOWN, then FLAPPING on the 7th result, as README
    // says of the daemon; afterwards no message per change.
    expect(toggledStatus).to.deep.equal(['UP', 'DOWN', 'UP', 'DOWN', 'UP', 'DOWN', 'FLAPPING', 'FLAPPING']);
    expect(toggledAlerts).to.deep.equal([
      [],
      ['DOWN'],
      ['RESTORED'],
      ['DOWN'],
      ['RESTORED'],
      ['DOWN'],
      ['FLAPPING'],
      [],
    ]);
  });

  it('a daemon restart keeps the window: a DEGRADED host is judged over its real window at the first cycle', async () => {
    await toggled!.drop(0);
    await lossy!.drop(40);
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await daemon.waitForOutput(new RegExp(`alert kind=DEGRADED host=${escape(hosts.lossy)} `), 60_000);
    // Two more lossy cycles, so the window holds three lossy cycles whatever the runs before left in it.
    const cycles = () => daemon!.output.match(/INFO +cycle hosts=/g)?.length ?? 0;
    const target = cycles() + 2;
    await waitFor(() => cycles() >= target, '2 more cycles', 60_000, 20);
    expect(await daemon.stop('SIGTERM')).to.equal(0);

    await lossy!.drop(0);
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await daemon.waitForOutput(
      new RegExp(`alert kind=QUALITY_RESTORED host=${escape(hosts.lossy)} `),
      60_000,
    );
    const summaries = () => daemon!.output.match(/INFO +cycle hosts=2 .*/g) ?? [];
    await waitFor(() => summaries().length >= 2, 'two cycles after the restart', 30_000, 20);
    // The first cycle after the restart pools 2 lossy cycles and a good one (4 of 15 lost): still DEGRADED,
    // no message; the second pools one lossy and two good (2 of 15): restored. Without the rebuilt window the
    // first good cycle alone would have restored it at once.
    expect(summaries()[0], daemon.output).to.match(/degraded=1/);
    expect(summaries()[1], daemon.output).to.not.match(/degraded=1/);
    expect(alertsFor(daemon.output, hosts.lossy)).to.deep.equal(['QUALITY_RESTORED']);
  });
});
