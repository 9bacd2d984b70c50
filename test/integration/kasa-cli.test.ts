import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { SimulatedPlug } from '../support/kasa-simulator.js';
import { requireLab } from '../support/netns-lab.js';
import { waitFor } from '../support/wait-for.js';

const exec = promisify(execFile);

const MODEM = '127.0.0.81';
const LAMP = '127.0.0.82';
const NOBODY = '127.0.0.83';

// Loopback only: discovery broadcasts to lo's broadcast address and asks the simulators directly.
const discoverySettings = [
  'kasa_discovery_broadcast,127.255.255.255',
  `kasa_discovery_hosts,${MODEM} ${LAMP} ${NOBODY}`,
  'kasa_discovery_seconds,1',
  'kasa_timeout_seconds,1',
  'kasa_attempts,2',
];

describe('integration: pingwarden kasa commands against simulated plugs', function () {
  this.timeout(60_000);
  let site: TempSite | undefined;
  let modem: SimulatedPlug | undefined;
  let lamp: SimulatedPlug | undefined;

  beforeEach(async () => {
    modem = await SimulatedPlug.start({ alias: 'Modem', address: MODEM, on: true });
    lamp = await SimulatedPlug.start({ alias: 'Lamp', address: LAMP });
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box,cycle:Modem\n',
      'settings.csv': [...discoverySettings, 'indicator_lamp,Lamp', 'interval_seconds,1'].join('\n'),
      'kasa.csv': `name,address\nOld heater,${NOBODY}\n`,
    });
  });
  afterEach(async () => {
    await modem?.stop();
    await lamp?.stop();
    await site?.remove();
  });

  const args = (...command: string[]) => [...command, '--config', site!.configDir, '--logs', site!.logsDir];

  it('kasa discover prints alias, address, model and state', async () => {
    const { code, stdout } = await runCli(args('kasa', 'discover'));
    expect(code).to.equal(0);
    expect(stdout.trimEnd().split('\n')).to.deep.equal([
      'ALIAS  ADDRESS     MODEL      STATE',
      `Lamp   ${LAMP}  HS100(US)  off`,
      `Modem  ${MODEM}  HS100(US)  on`,
    ]);
  });

  it('kasa status shows every configured plug and exits 1 when one does not answer', async () => {
    const { code, stdout } = await runCli(args('kasa', 'status'));
    expect(code).to.equal(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^NAME +ALIAS +ADDRESS +MODEL +STATE$/);
    expect(lines[1]).to.match(/^Old heater +- +- +- +unreachable: connect ECONNREFUSED 127\.0\.0\.83:9999$/);
    expect(lines.slice(2)).to.deep.equal([
      `Modem       Modem  ${MODEM}  HS100(US)  on`,
      `Lamp        Lamp   ${LAMP}  HS100(US)  off`,
    ]);
  });

  it('kasa cycle switches the plug off, waits, and on again', async () => {
    const cycle = new CliProcess(args('kasa', 'cycle', 'modem', '--off-seconds', '2'));
    await cycle.waitForOutput(/modem \(127\.0\.0\.81\): off/);
    expect(modem!.on, 'off during the wait').to.equal(false);
    expect(await cycle.exit()).to.equal(0);
    expect(modem!.on).to.equal(true);
    expect(cycle.stdout).to.match(/modem \(127\.0\.0\.81\): on again after [23]s\n/);
  });

  it('kasa cycle: Ctrl-C during the wait still switches the plug back on', async () => {
    const cycle = new CliProcess(args('kasa', 'cycle', 'Modem', '--off-seconds', '60'));
    await cycle.waitForOutput(/: off/);
    expect(await cycle.stop('SIGINT')).to.equal(0);
    expect(modem!.on).to.equal(true);
    expect(cycle.stdout).to.match(/on again after \d+s \(interrupted\)/);
  });

  const failures: [string, string[], number, RegExp][] = [
    [
      'an unknown plug',
      ['kasa', 'cycle', 'Toaster'],
      1,
      /^pingwarden: plug "Toaster" not found by discovery \(found: Lamp, Modem\)$/m,
    ],
    [
      'a bad --off-seconds',
      ['kasa', 'cycle', 'Modem', '--off-seconds', '0'],
      2,
      /^pingwarden: --off-seconds must be an integer from 1 to 3600, got "0"$/m,
    ],
  ];
  for (const [name, command, exitCode, message] of failures) {
    it(`kasa cycle with ${name} says so without a stack trace`, async () => {
      const { code, stderr } = await runCli(args(...command));
      expect(code).to.equal(exitCode);
      expect(stderr).to.match(message);
      expect(stderr).not.to.match(/\n\s+at /);
      expect(modem!.on).to.equal(true);
    });
  }

  it('once sets the lamp to what it should be and, all up, leaves the modem alone (no more "needs the daemon")', async () => {
    lamp!.on = true;
    const { code, output } = await runCli(args('once'));
    expect(code).to.equal(0);
    expect(lamp!.on, 'nothing is down: lamp off').to.equal(false);
    expect(modem!.on).to.equal(true);
    // Issue 17: once power-cycles like the daemon, so it no longer warns that cycle: options are ignored.
    expect(output()).to.not.match(/cycle: options are ignored/);
  });

  it('start --dry-run logs what it would do to the lamp and leaves it alone', async () => {
    lamp!.on = true;
    const daemon = new CliProcess(args('start', '--dry-run'));
    await daemon.waitForOutput(/dry run: would switch plug plug=Lamp to=off/);
    await waitFor(() => /cycle hosts=1 up=1/.test(daemon.output), 'a cycle');
    expect(await daemon.stop('SIGTERM')).to.equal(0);
    expect(lamp!.on, 'the lamp untouched').to.equal(true);
  });

  describe('when the discovery broadcast cannot be sent (a namespace with no route)', () => {
    const bare = `pwlab-${process.pid}-h12bare`;
    before(async function () {
      await requireLab(this);
      await exec('ip', ['netns', 'add', bare]);
      await exec('ip', ['-n', bare, 'link', 'set', 'lo', 'up']);
    });
    after(async () => {
      await exec('ip', ['netns', 'del', bare]).catch(() => undefined);
    });

    // No route inside the namespace: the route lookup fails with ENETUNREACH and nothing leaves the machine.
    const unroutable = async () =>
      site!.write(
        'settings.csv',
        [
          'kasa_discovery_broadcast,198.18.255.255',
          'kasa_discovery_seconds,30',
          'kasa_timeout_seconds,1',
        ].join('\n'),
      );

    for (const command of [
      ['kasa', 'discover'],
      ['kasa', 'cycle', 'Modem'],
    ]) {
      it(`${command.join(' ')} says the broadcast failed at once, exit 1, instead of "no plugs found"`, async function () {
        // Far less than the 30 s discovery window: waiting it out would fail by timeout.
        this.timeout(20_000);
        await unroutable();
        const cli = new CliProcess(args(...command), {}, ['ip', 'netns', 'exec', bare]);
        expect(await cli.exit(), cli.output).to.equal(1);
        expect(cli.stderr).to.match(
          /^pingwarden: kasa discovery could not send to 198\.18\.255\.255: connect ENETUNREACH 198\.18\.255\.255:9999 \(check kasa_discovery_broadcast/m,
        );
        expect(cli.stdout).not.to.include('no plugs found');
        expect(cli.output).not.to.match(/\n\s+at /);
      });
    }
  });
});
