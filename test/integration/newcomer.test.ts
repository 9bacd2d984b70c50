import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import { CliProcess } from '../support/cli-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Anything a user must never see: a stack frame, winston's unhandled error, the "bug" line. */
const STACK = /\n\s+at [^\n]+:\d+:\d+|Unhandled 'error' event|unexpected error|\bat async\b/;
const LINE_TIME = /^(\d{4}-\d\d-\d\d)T\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d (INFO|WARN|ERROR|DEBUG) /;

/**
 * The acceptance test of issue 12: a new user's first hour, as the README tells it, on a temporary copy of
 * the shipped example config: every command the README shows, the mistakes a first hour makes, and not one
 * stack trace in any output.
 */
describe("integration: a newcomer's first hour (the README's commands on the shipped example config)", function () {
  this.timeout(120_000);
  let root = '';
  let configDir = '';
  let logsDir = '';
  const seen: { command: string; output: string }[] = [];

  /** Runs one command to its end (or until `stopWhen` matches, then SIGTERM) and records its output. */
  async function run(
    args: readonly string[],
    stopWhen?: RegExp,
  ): Promise<{ code: number | null; out: string; err: string }> {
    const cli = new CliProcess(args);
    if (stopWhen) {
      await cli.waitForOutput(stopWhen, 30_000);
      cli.child.kill('SIGTERM');
    }
    const code = await cli.exit(60_000);
    seen.push({ command: args.join(' '), output: cli.output });
    expect(cli.output, `pingwarden ${args.join(' ')} printed a stack trace`).not.to.match(STACK);
    return { code, out: cli.stdout, err: cli.stderr };
  }
  const site = (...args: string[]) => [...args, '--config', configDir, '--logs', logsDir];

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-newcomer-'));
    configDir = path.join(root, 'config');
    logsDir = path.join(root, 'logs');
    await cp(path.join(repoRoot, 'config'), configDir, { recursive: true });
    // A log file left from an earlier day (cron's `once` never crosses midnight): start-up gzips it.
    await mkdir(logsDir);
    await writeFile(
      path.join(logsDir, 'pingwarden-2000-01-01.log'),
      '2000-01-01T00:00:00.000+00:00 INFO old\n',
    );
  });
  after(async () => {
    const withStack = seen.filter((entry) => STACK.test(entry.output)).map((entry) => entry.command);
    await rm(root, { recursive: true, force: true });
    expect(withStack, 'commands that printed a stack trace').to.deep.equal([]);
  });

  it('the README shows every command this test runs, and its quick start works with or without sudo', async () => {
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    for (const command of [
      'check-config',
      'once',
      'start',
      'report',
      'outbox',
      'kasa status',
      'probe',
      'watch',
      'test-email',
    ]) {
      expect(readme, `README mentions pingwarden ${command}`).to.include(`pingwarden ${command}`);
    }
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Commands'));
    expect(quickStart).to.include('S=$(command -v sudo)');
    expect(quickStart).not.to.match(/^sudo /m);
  });

  it('check-config: the example is valid, 2 hosts, no email', async () => {
    const { code, out } = await run(site('check-config'));
    expect(code).to.equal(0);
    expect(out.trim()).to.equal(
      `${configDir}: OK, 2 host(s), email off (no server_info.csv): alerts are logged only`,
    );
  });

  it('once: exit 0, a log file named by the local date whose lines carry local time with the offset', async () => {
    const { code } = await run(site('once'));
    expect(code).to.equal(0);
    const names = (await readdir(logsDir)).sort();
    expect(names, 'the earlier day was gzipped at start-up').to.include('pingwarden-2000-01-01.log.gz');
    expect(names).not.to.include('pingwarden-2000-01-01.log');
    const today = names.find(
      (name) => /^pingwarden-\d{4}-\d\d-\d\d\.log$/.test(name) && !name.includes('2000'),
    );
    expect(today, `a log file for today in ${names.join(' ')}`).to.be.a('string');
    const lines = (await readFile(path.join(logsDir, today!), 'utf8')).trimEnd().split('\n');
    for (const line of lines) expect(line).to.match(LINE_TIME);
    expect(LINE_TIME.exec(lines[0]!)?.[1], 'line dates agree with the file name').to.equal(
      today!.slice(11, 21),
    );
    for (const folder of ['history', 'outbox'])
      expect((await stat(path.join(logsDir, folder))).isDirectory()).to.equal(true);
  });

  it('file names and line times agree in a zone far from UTC (TZ=Etc/GMT-14, UTC+14)', async () => {
    const logs = path.join(root, 'logs-plus14');
    const cli = new CliProcess(['once', '--config', configDir, '--logs', logs], { TZ: 'Etc/GMT-14' });
    expect(await cli.exit()).to.equal(0);
    seen.push({ command: 'once (TZ=Etc/GMT-14)', output: cli.output });
    const file = (await readdir(logs)).find((name) => name.endsWith('.log'))!;
    const lines = (await readFile(path.join(logs, file), 'utf8')).trimEnd().split('\n');
    for (const line of lines) {
      expect(line).to.match(LINE_TIME);
      expect(line.slice(0, 10), 'the line date is the file date').to.equal(file.slice(11, 21));
      expect(line.slice(23, 29)).to.equal('+14:00');
    }
    // The console shows the same local time of day as the file (formatted apart: a second may tick between).
    const fileSecond = new Map(
      lines.map((line) => [line.slice(29).trim().replace(/ +/g, ' '), secondOfDay(line.slice(11, 19))]),
    );
    const consoleLines = cli.output.trimEnd().split('\n');
    expect(consoleLines).to.have.length.above(0);
    for (const line of consoleLines) {
      const match = /^(\d\d:\d\d:\d\d) (.*)$/.exec(line);
      expect(match, line).to.not.equal(null);
      const inFile = fileSecond.get(match![2]!.replace(/ +/g, ' '));
      expect(inFile, `the file has "${line}"`).to.be.a('number');
      expect((secondOfDay(match![1]!) - inFile! + 86_400) % 86_400, line).to.be.at.most(1);
    }
  });

  it('npm start (pingwarden start): one cycle, SIGTERM, exit 0, "pingwarden stopped" last', async () => {
    const { code, out } = await run(site('start'), /cycle hosts=2 up=2 down=0/);
    expect(code).to.equal(0);
    expect(out.trimEnd().split('\n').at(-1)).to.match(/INFO +pingwarden stopped$/);
  });

  it('report in every format, to the screen and to a file; --host finds a description', async () => {
    for (const format of ['table', 'csv', 'json', 'md']) {
      const { code, out } = await run(site('report', '--format', format));
      expect(code, format).to.equal(0);
      expect(out, format).to.include('127.0.0.1');
    }
    const html = path.join(root, 'report.html');
    expect((await run(site('report', '--format', 'html', '--out', html))).code).to.equal(0);
    expect(await readFile(html, 'utf8')).to.include('<svg');
    const byName = await run(site('report', '--host', 'loopback by name'));
    expect(byName.out).to.include('localhost');
    expect(byName.out).not.to.include('127.0.0.1');
  });

  it('outbox, kasa status, test-email: plain answers for an example without plugs or email', async () => {
    const outbox = await run(site('outbox'));
    expect(outbox.code).to.equal(0);
    const kasa = await run(site('kasa', 'status'));
    expect(kasa.code).to.equal(0);
    expect(kasa.out).to.include('no plugs configured');
    const email = await run(site('test-email'));
    expect(email.code).to.equal(2);
    expect(email.err.trim()).to.equal(
      `pingwarden: email is not configured: create ${configDir}/server_info.csv (server_address,port)`,
    );
  });

  it('probe --help says what --route-include checks: some hop in one of the ranges', async () => {
    const { code, out } = await run(['probe', '--help']);
    expect(code).to.equal(0);
    // Commander wraps the help at 80 columns.
    const help = out.replace(/\s+/g, ' ');
    expect(help).to.include('some hop must be in one of them');
    expect(help).not.to.include('each must contain a hop');
  });

  it('a hosts.csv row ::1 with max-rtt:50 is UP (a route check over IPv6)', async () => {
    const v6 = path.join(root, 'v6');
    await mkdir(v6);
    await writeFile(path.join(v6, 'hosts.csv'), '::1,Loopback 6,Here,max-rtt:50\n');
    const { code, err } = await run(['once', '--config', v6, '--logs', path.join(root, 'logs-v6')]);
    expect(code, err).to.equal(0);
  });

  it('probe answers for IPv4 and IPv6 loopback (iputils IPv6 output is understood)', async () => {
    for (const target of ['127.0.0.1', '::1']) {
      const { code, out } = await run([
        'probe',
        '--target',
        target,
        '--max-latency-ms',
        '500',
        '--config',
        configDir,
      ]);
      expect(code, out).to.equal(0);
      expect(out.split('\n')[0]).to.equal(`ping ${target}: HEALTHY`);
    }
  });

  it("watch with the README's short interval: cycles without overrun warnings", async () => {
    const saved = path.join(root, 'watch');
    const cli = new CliProcess(['watch', '127.0.0.1', '::1', '--interval', '2', '--save', saved]);
    await cli.waitForOutput(/(cycle hosts=2 up=2 down=0[^\n]*\n[\s\S]*){2}/, 30_000);
    cli.child.kill('SIGINT');
    expect(await cli.exit()).to.equal(0);
    seen.push({ command: 'watch', output: cli.output });
    expect(cli.output).not.to.match(/overran|overrun/);
  });

  describe('the mistakes of a first hour: one line each, the right exit code', () => {
    it('the seed config (hostIP header, a plain SMTP login) says to set from_address, naming creds.csv', async () => {
      const seed = path.join(root, 'seed');
      await mkdir(seed);
      await writeFile(path.join(seed, 'hosts.csv'), 'hostIP,description,location\n127.0.0.1,Loopback,Here\n');
      await writeFile(path.join(seed, 'server_info.csv'), '10.1.1.254,587\n');
      await writeFile(path.join(seed, 'creds.csv'), 'user,pass\n', { mode: 0o600 });
      await writeFile(
        path.join(seed, 'email_recipients.csv'),
        'a@example.com,b@example.com\nc@example.com\n',
      );
      const { code, err } = await run(['check-config', '--config', seed, '--logs', logsDir]);
      expect(code).to.equal(2);
      expect(err.trim().split('\n')).to.deep.equal([
        `${seed}/creds.csv:1: set from_address in settings.csv: the SMTP username "user" is not an email address`,
        '1 problem found; nothing started',
      ]);
    });

    it('an Excel semicolon hosts.csv is one error', async () => {
      const excel = path.join(root, 'excel');
      await mkdir(excel);
      await writeFile(
        path.join(excel, 'hosts.csv'),
        'hostIP;description;location\n127.0.0.1;Loopback;Here\n::1;Loopback 6;Here\n',
      );
      const { code, err } = await run(['check-config', '--config', excel, '--logs', logsDir]);
      expect(code).to.equal(2);
      expect(err.trim().split('\n')).to.have.length(2);
      expect(err).to.include('is separated by semicolons, not commas; save it as comma-separated');
    });

    it('--logs naming a file, report --out into a missing folder, outbox on a missing folder: exit 2', async () => {
      const file = path.join(root, 'a-file');
      await writeFile(file, '');
      for (const command of ['once', 'start', 'check-config']) {
        const { code, err } = await run([command, '--config', configDir, '--logs', file]);
        expect(code, command).to.equal(2);
        expect(err, command).to.include(`${file} is a file, not a folder`);
      }
      expect((await run(site('report', '--out', path.join(root, 'missing', 'r.txt')))).code).to.equal(2);
      expect((await run(['outbox', '--logs', path.join(root, 'nonexistent')])).code).to.equal(2);
    });
  });
});

function secondOfDay(time: string): number {
  const [hours, minutes, seconds] = time.split(':').map(Number) as [number, number, number];
  return hours * 3600 + minutes * 60 + seconds;
}
