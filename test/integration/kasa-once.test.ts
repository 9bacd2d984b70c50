import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import type { SimulatedPlug } from '../support/kasa-simulator.js';
import { ModemRig, type RelayRecorder } from '../support/modem-rig.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import type { ReceivedMessage, SmtpTestServer } from '../support/smtp-test-server.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'plug and play';
const MODEM = '127.0.0.73';
const LAMP = '127.0.0.74';
const MIN_GAP_S = 6;

function settingsCsv(): string {
  const settings: Record<string, string | number> = {
    // The cron period: consecutive runs continue one monitoring session.
    interval_seconds: 2,
    attempts: 1,
    timeout_seconds: 1,
    realert_seconds: 3600,
    smtp_allow_self_signed: 'yes',
    indicator_lamp: 'Lamp',
    kasa_discovery_broadcast: '127.255.255.255',
    kasa_discovery_hosts: `${MODEM} ${LAMP}`,
    kasa_discovery_seconds: 1,
    kasa_timeout_seconds: 2,
    cycle_max_per_outage: 2,
    cycle_min_gap_seconds: MIN_GAP_S,
    cycle_off_seconds: 1,
    cycle_boot_wait_seconds: 3,
    cycle_poll_seconds: 1,
  };
  return ['key,value', ...Object.entries(settings).map(([k, v]) => `${k},${v}`)].join('\n');
}

const subjectOf = (m: ReceivedMessage) => m.parsed.subject ?? '';
const textOf = (m: ReceivedMessage) => m.parsed.text ?? '';

describe('integration: pingwarden once power-cycles like the daemon (lab, Kasa simulator, SMTP)', function () {
  this.timeout(120_000);
  let lab: NetnsLab | undefined;
  let rig: ModemRig | undefined;
  let smtp: SmtpTestServer | undefined;
  let site: TempSite | undefined;
  let modem: SimulatedPlug | undefined;
  let lamp: SimulatedPlug | undefined;
  let recorder: RelayRecorder | undefined;
  const runs: CliProcess[] = [];
  let hop = '';
  let anchor = '';

  before(async function () {
    await requireLab(this);
    lab = await createLab();
  });
  after(async () => {
    await lab?.destroy();
  });

  beforeEach(async () => {
    rig = await ModemRig.start(lab!, {
      hosts: [21, 22],
      modemAddress: MODEM,
      lampAddress: LAMP,
      lampOn: false,
      smtpUser: user,
      smtpPassword: password,
    });
    ({ hop, anchor, modem, lamp, recorder, smtp } = rig);
    site = await tempSite({
      'hosts.csv': [
        'host,description,location,options',
        `${hop},ISP first hop,WAN,cycle:Modem`,
        `${anchor},Public anchor,WAN,cycle:Modem`,
      ].join('\n'),
      'settings.csv': settingsCsv(),
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    });
  });
  afterEach(async () => {
    for (const run of runs.splice(0)) await run.stop('SIGKILL');
    await rig?.stop();
    await site?.remove();
  });

  const onceArgs = () => ['once', '--config', site!.configDir, '--logs', site!.logsDir];
  const startRun = () => {
    const run = new CliProcess(onceArgs());
    runs.push(run);
    return run;
  };

  const wanDown = () => rig!.wanDown();

  it('cron-style runs every 2 s while the WAN is dead: exactly cycle_max_per_outage cycles, spaced by the min gap, one "a person is needed" message, then "link back"', async () => {
    // The first run sees the triggers UP: cycling is armed for the runs that follow.
    const first = await runCli(onceArgs());
    expect(first.code, first.output()).to.equal(0);
    await wanDown();

    // Cron ticks every 2 s, never waiting for the previous run: overlapping ones must step aside.
    const exits: Promise<number | null>[] = [];
    const neededMessages = () => smtp!.messages.filter((m) => /A person is needed/.test(subjectOf(m)));
    const deadline = Date.now() + 60_000;
    // Ticks after the message: more than the min gap, so a third cycle or a second message would show.
    let after = 0;
    while (Date.now() < deadline && after < 5) {
      exits.push(startRun().exit(60_000));
      if (neededMessages().length > 0) after++;
      // The cron cadence itself, not a wait for a condition.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    expect(neededMessages(), 'the message within 60 s').to.not.have.length(0);
    const codes = await Promise.all(exits);
    expect(
      codes.every((code) => code === 1 || code === 3),
      `exit codes ${codes.join(',')}`,
    ).to.equal(true);
    expect(codes, 'some ticks found the previous run still busy').to.include(3);
    expect(recorder!.offTimes, 'power cycles over all runs').to.have.length(2);
    const [one, two] = recorder!.offTimes;
    expect(two! - one!, 'gap between the two cycles (ms)').to.be.at.least(MIN_GAP_S * 1000 - 500);
    expect(modem!.on, 'the modem is on').to.equal(true);
    expect(lamp!.on, 'the lamp is on while the WAN is down').to.equal(true);

    const needed = neededMessages();
    expect(needed, 'one "a person is needed" message').to.have.length(1);
    expect(subjectOf(needed[0]!)).to.equal(
      '[pingwarden] A person is needed: Modem power-cycled 2/2 times; the link is still down; ' +
        'automatic recovery has stopped — a person is needed',
    );
    expect(textOf(needed[0]!)).to.include(
      'Modem power-cycled 2/2 times; the link is still down; automatic recovery has stopped — a person is needed.',
    );
    expect(textOf(needed[0]!)).to.match(/Trigger hosts: +ISP first hop/);

    await lab!.addHost(hop);
    await lab!.addHost(anchor);
    const back = await runCli(onceArgs());
    expect(back.code, back.output()).to.equal(0);
    await waitFor(
      () => smtp!.messages.some((m) => /^\[pingwarden\] Link back:/.test(subjectOf(m))),
      'the "link back" message',
      10_000,
    );
    const linkBacks = smtp!.messages.filter((m) => /Link back/.test(subjectOf(m)));
    expect(linkBacks, 'one "link back" message').to.have.length(1);
    const linkBack = linkBacks[0]!;
    expect(textOf(linkBack), textOf(linkBack)).to.match(
      /^The link is back after \d+s: all 2 trigger hosts \(ISP first hop, Public anchor\) answer again; Modem had been power-cycled 2\/2 times; automatic recovery is armed again\./,
    );
    expect(recorder!.offTimes, 'no cycle after the link came back').to.have.length(2);
  });

  it('two overlapping runs cycle once: the second says another run holds the lock and exits 3', async () => {
    expect((await runCli(onceArgs())).code).to.equal(0);
    await wanDown();
    const slow = startRun();
    await waitFor(() => recorder!.offTimes.length === 1, 'the first run switched the modem off', 30_000);
    const second = await runCli(onceArgs());
    expect(second.code, second.output()).to.equal(3);
    expect(second.stderr).to.match(
      /pingwarden: another pingwarden once is running \(pid \d+, lock .*once\.lock\); this run exits/,
    );
    expect(await slow.exit(30_000), slow.output).to.equal(1);
    expect(recorder!.offTimes, 'one power cycle').to.have.length(1);
    expect(modem!.on).to.equal(true);
  });
});
