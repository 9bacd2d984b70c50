import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';

const stackTrace = /\n\s+at [^\n]+:\d+:\d+|Unhandled 'error' event|unexpected error/;
/** Runs the CLI as the unprivileged user `nobody`, as a systemd service user would be. */
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

async function runAs(wrapper: readonly string[], args: readonly string[]) {
  const cli = new CliProcess(args, {}, wrapper);
  const code = await cli.exit();
  return { code, stdout: cli.stdout, stderr: cli.stderr, output: cli.output };
}

describe('integration: the mistakes of a first hour are one line each, never a stack trace', function () {
  this.timeout(30_000);
  let site: TempSite;
  const config = () => ['--config', site.configDir];
  before(async () => {
    site = await tempSite({ 'hosts.csv': '127.0.0.1,Loopback,Here\n' });
  });
  after(async () => site.remove());

  describe('--logs naming a file', () => {
    for (const command of ['once', 'start', 'check-config']) {
      it(`${command} says the logs folder is a file and exits 2`, async () => {
        const file = path.join(site.root, 'not-a-folder');
        await writeFile(file, 'x');
        const result = await runCli([command, ...config(), '--logs', file]);
        expect(result.code, result.output()).to.equal(2);
        expect(result.output()).not.to.match(stackTrace);
        const expected =
          command === 'check-config'
            ? `logs folder ${file}: ${file} is a file, not a folder; pass --logs DIR naming a folder`
            : `pingwarden: logs folder ${file}: ${file} is a file, not a folder; pass --logs DIR naming a folder`;
        expect(result.stderr.split('\n')[0]).to.equal(expected);
      });
    }

    it('a logs folder below a file is named too', async () => {
      const file = path.join(site.root, 'not-a-folder');
      await writeFile(file, 'x');
      const logs = path.join(file, 'logs');
      const result = await runCli(['once', ...config(), '--logs', logs]);
      expect(result.code).to.equal(2);
      expect(result.stderr.trim()).to.equal(
        `pingwarden: logs folder ${logs}: ${file} is a file, not a folder; pass --logs DIR naming a folder`,
      );
    });
  });

  describe('as a user who may not write the folders (root only: runs the CLI as nobody)', () => {
    before(async function () {
      if (process.getuid?.() !== 0) this.skip();
      // mkdtemp makes the site 700: nobody must be able to reach the folders under test.
      await chmod(site.root, 0o755);
      await chmod(site.configDir, 0o755);
    });

    it('once and start on a root-owned logs folder: one line naming the folder, exit 2', async () => {
      const logs = path.join(site.root, 'root-logs');
      await mkdir(logs, { mode: 0o755 });
      for (const command of ['once', 'start']) {
        const result = await runAs(AS_NOBODY, [command, ...config(), '--logs', logs]);
        expect(result.code, result.output).to.equal(2);
        expect(result.stderr.trim()).to.equal(
          `pingwarden: logs folder ${logs}: cannot be written (EACCES); make ${logs} writable by this user ` +
            '(chown/chmod) or pass --logs DIR',
        );
      }
      const check = await runAs(AS_NOBODY, ['check-config', ...config(), '--logs', logs]);
      expect(check.code).to.equal(2);
      expect(check.stderr).to.include(`logs folder ${logs}: cannot be written (EACCES)`);
      expect(await readdir(logs), 'nothing was left in the folder').to.deep.equal([]);
    });

    it('check-config on a config folder it cannot read says so once, not "cannot read" per absent file', async () => {
      const locked = path.join(site.root, 'locked');
      await mkdir(locked, { mode: 0o700 });
      await writeFile(path.join(locked, 'hosts.csv'), '127.0.0.1\n');
      const result = await runAs(AS_NOBODY, ['check-config', '--config', locked, '--logs', '/tmp']);
      expect(result.code).to.equal(2);
      expect(result.stderr.trim().split('\n')).to.deep.equal([
        `${locked}: cannot open the directory: permission denied (the user running pingwarden needs read and ` +
          'search permission on it: chown it to that user or chmod a+rx it)',
        '1 problem found; nothing started',
      ]);
    });
  });

  it('report --out into a missing folder: one line, exit 2', async () => {
    const out = path.join(site.root, 'missing', 'r.txt');
    const result = await runCli(['report', ...config(), '--logs', site.logsDir, '--out', out]);
    expect(result.code).to.equal(2);
    expect(result.output()).not.to.match(stackTrace);
    expect(result.stderr.trim().split('\n').at(-1)).to.equal(
      `pingwarden: --out ${out}: cannot write the report: the folder ${path.dirname(out)} does not exist (create it first)`,
    );
  });

  it('report --host that matches nothing says so', async () => {
    const result = await runCli(['report', ...config(), '--logs', site.logsDir, '--host', 'printer']);
    expect(result.code).to.equal(0);
    expect(result.stderr).to.include(
      'warning: no host matches --host "printer" (host names, descriptions and locations are searched)',
    );
  });

  it('outbox --logs naming a folder that does not exist says so, exit 2', async () => {
    const result = await runCli(['outbox', '--logs', '/nonexistent']);
    expect(result.code).to.equal(2);
    expect(result.stderr.trim()).to.equal(
      'pingwarden: --logs /nonexistent: the folder does not exist (name the logs folder the monitor writes, e.g. --logs /opt/pingwarden/logs)',
    );
  });
});
