import { expect } from 'chai';

import { execFileSync } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { configFingerprint, loadConfig } from '../../lib/config/load-config.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

/** The list every "unknown setting" message ends with, in table order. */

const SHIPPED_CONFIG = fileURLToPath(new URL('../../config', import.meta.url));

/** Runs loadConfig expecting it to fail, and returns the problems' messages. */
async function problemsOf(
  dir: string,
  displayDir = 'config',
  env: NodeJS.ProcessEnv = {},
): Promise<string[]> {
  try {
    await loadConfig(dir, { displayDir, env });
  } catch (error) {
    if (error instanceof ConfigErrors) return error.problems.map((p) => p.message);
    throw error;
  }
  return expect.fail('loadConfig succeeded');
}

describe('loadConfig', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes files into the temp config dir, private (0600) unless a mode is given. */
  async function write(files: Record<string, string | Buffer>, mode = 0o600): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      await writeFile(path.join(dir, name), content, { mode });
      await chmod(path.join(dir, name), mode);
    }
  }

  it('loads the shipped example config without problems', async () => {
    const config = await loadConfig(SHIPPED_CONFIG, { displayDir: 'config', env: {} });
    expect(config.targets.map((t) => [t.id, t.label.description, t.label.location])).to.deep.equal([
      ['127.0.0.1', 'Loopback (IPv4)', 'This machine'],
      ['localhost', 'Loopback by name', 'This machine'],
    ]);
    expect(config.settings.intervalSeconds).to.equal(60);
    expect(config.smtp).to.equal(null);
    expect(config.warnings).to.deep.equal([]);
  });

  it('loads the shipped *.example files once they are copied into place', async () => {
    await cp(SHIPPED_CONFIG, dir, { recursive: true });
    for (const name of ['server_info.csv', 'creds.csv', 'email_recipients.csv']) {
      await rename(path.join(dir, `${name}.example`), path.join(dir, name));
      await chmod(path.join(dir, name), 0o600);
    }
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(config.smtp).to.deep.include({
      host: 'smtp.example.com',
      port: 587,
      username: 'alerts@example.com',
      from: 'alerts@example.com',
      recipients: ['noc@example.com', 'oncall@example.com', 'admin@example.com'],
    });
    expect(config.warnings).to.deep.equal([]);
  });

  it('reads a full config, with the creds from the environment', async () => {
    await write({
      'hosts.csv': '\uFEFFhost,description,location\r\n10.1.1.254,"Cisco Router","Bldg 6, MDF 101"\r\n',
      'server_info.csv': 'smtp.example.com,465',
      'email_recipients.csv': 'a@example.com,b@example.com\nc@example.com',
      'settings.csv': 'key,value\nattempts,5',
    });
    const config = await loadConfig(dir, {
      env: { PINGWARDEN_SMTP_USER: 'bot@example.com', PINGWARDEN_SMTP_PASSWORD: 'pw' },
    });
    expect(config.targets).to.have.length(1);
    expect(config.targets[0]).to.include({ id: '10.1.1.254', line: 2 });
    expect(config.targets[0]!.label).to.include({ location: 'Bldg 6, MDF 101' });
    expect(config.settings.attempts).to.equal(5);
    expect(config.smtp).to.include({
      port: 465,
      username: 'bot@example.com',
      password: 'pw',
      from: 'bot@example.com',
    });
  });

  it('collects every problem in every file', async () => {
    await write({
      'hosts.csv': '# hosts\n-f,Evil\n$(reboot)\n10.0.0.1,"two\nlines",x\n',
      'server_info.csv': 'smtp.example.com',
      'creds.csv': 'alerts,pw',
      'settings.csv': 'interval_seconds,0\nintervall,5\n',
    });
    expect(await problemsOf(dir)).to.deep.equal([
      'config/hosts.csv:2: invalid host "-f": must not start with "-"',
      'config/hosts.csv:3: invalid host "$(reboot)": must not contain "$"',
      'config/hosts.csv:4: line breaks are not allowed in the description',
      'config/server_info.csv:1: missing port (expected one row "server_address,port", e.g. "smtp.example.com,587")',
      'config/creds.csv:1: set from_address in settings.csv: the SMTP username "alerts" is not an email address',
      'config/email_recipients.csv: file not found (it lists who gets alert emails; needed because server_info.csv exists)',
      'config/settings.csv:1: interval_seconds must be an integer from 1 to 86400, got "0"',
      `config/settings.csv:2: unknown setting "intervall" (similar settings: interval_seconds, packet_interval_ms, fping_interval_ms; every setting is listed in README.md, "settings.csv", and commented in config/settings.csv)`,
    ]);
  });

  it('prints one line per problem, without a stack trace', async () => {
    await write({ 'settings.csv': 'attempts,0' });
    const error = await loadConfig(dir, { displayDir: '/etc/pingwarden', env: {} }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(ConfigErrors);
    expect((error as ConfigErrors).message).to.equal(
      [
        '/etc/pingwarden/hosts.csv: file not found (it lists the hosts to monitor)',
        '/etc/pingwarden/settings.csv:1: attempts must be an integer from 1 to 20, got "0"',
      ].join('\n'),
    );
  });

  it('reports a missing directory, or a file in its place', async () => {
    expect(await problemsOf(path.join(dir, 'nope'), 'nope')).to.deep.equal(['nope: directory not found']);
    await write({ 'plain-file': 'x' });
    expect(await problemsOf(path.join(dir, 'plain-file'), 'plain-file')).to.deep.equal([
      'plain-file: is not a directory',
    ]);
  });

  it('reports files it cannot read or decode', async () => {
    await mkdir(path.join(dir, 'hosts.csv'));
    await write({
      'settings.csv': Buffer.from('\uFEFFattempts,3', 'utf16le'),
      'email_recipients.csv': Buffer.from('bj\xf6rn@example.com', 'latin1'),
    });
    expect(await problemsOf(dir)).to.deep.equal([
      'config/hosts.csv: is a directory, not a file',
      'config/email_recipients.csv: is not valid UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8")',
      'config/settings.csv: is saved as UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")',
    ]);
  });

  it('refuses a FIFO, a device and a huge file instead of hanging or reading forever', async () => {
    execFileSync('mkfifo', [path.join(dir, 'hosts.csv')]);
    await symlink('/dev/zero', path.join(dir, 'settings.csv'));
    // Sparse: 17 MB on paper, no space on disk.
    await truncate(
      await writeFile(path.join(dir, 'email_recipients.csv'), '').then(() =>
        path.join(dir, 'email_recipients.csv'),
      ),
      17 * 1024 * 1024,
    );
    expect(await problemsOf(dir)).to.deep.equal([
      'config/hosts.csv: is not a regular file (a pipe, device or socket)',
      'config/email_recipients.csv: is larger than 16 MB; is it the right file?',
      'config/settings.csv: is not a regular file (a pipe, device or socket)',
    ]);
  });

  it('warns, without failing, when creds.csv is readable by other users', async () => {
    await write({ 'hosts.csv': '127.0.0.1' });
    await write({ 'creds.csv': 'alerts@example.com,pw' }, 0o644);
    const shared = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(shared.warnings).to.deep.equal([
      'config/creds.csv: readable by other users; run "chmod 600 config/creds.csv"',
    ]);

    await chmod(path.join(dir, 'creds.csv'), 0o600);
    expect((await loadConfig(dir, { displayDir: 'config', env: {} })).warnings).to.deep.equal([]);
  });

  it('defaults the display path to the directory as given', async () => {
    const error = await loadConfig(dir, { env: {} }).catch((e: unknown) => e);
    expect((error as ConfigErrors).message).to.equal(
      `${dir}/hosts.csv: file not found (it lists the hosts to monitor)`,
    );
  });
});

describe('configFingerprint', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-fingerprint-'));
    await writeFile(path.join(dir, 'hosts.csv'), '127.0.0.1\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const changes: [name: string, change: () => Promise<void>][] = [
    ['hosts.csv edited', () => writeFile(path.join(dir, 'hosts.csv'), '127.0.0.1\n::1\n')],
    ['settings.csv created', () => writeFile(path.join(dir, 'settings.csv'), 'attempts,4\n')],
    ['hosts.csv deleted', () => rm(path.join(dir, 'hosts.csv'))],
    // Routes are re-read live like every other file.
    ['routes.csv created', () => writeFile(path.join(dir, 'routes.csv'), '*,ntfy\n')],
    [
      'creds.csv permissions changed',
      async () => {
        await writeFile(path.join(dir, 'creds.csv'), 'a,b', { mode: 0o600 });
        const before = await configFingerprint(dir);
        await chmod(path.join(dir, 'creds.csv'), 0o644);
        expect(await configFingerprint(dir)).not.to.equal(before);
      },
    ],
    [
      'hosts.csv replaced by rename, as editors save',
      async () => {
        await writeFile(path.join(dir, 'hosts.new'), '127.0.0.2\n');
        await rename(path.join(dir, 'hosts.new'), path.join(dir, 'hosts.csv'));
      },
    ],
  ];
  for (const [name, change] of changes) {
    it(`changes when ${name}`, async () => {
      const before = await configFingerprint(dir);
      await change();
      expect(await configFingerprint(dir)).not.to.equal(before);
    });
  }

  it('stays the same while nothing changes, and ignores other files', async () => {
    const before = await configFingerprint(dir);
    await writeFile(path.join(dir, 'notes.txt'), 'hello');
    expect(await configFingerprint(dir)).to.equal(before);
  });

  it('works for a missing directory', async () => {
    expect(await configFingerprint(path.join(dir, 'nope'))).to.match(/^hosts\.csv:absent\|/);
  });
});
