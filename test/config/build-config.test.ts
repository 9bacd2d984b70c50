import { expect } from 'chai';

import {
  buildConfig,
  type BuildConfigOptions,
  type ConfigContents,
  type ConfigFileContent,
} from '../../lib/config/build-config.js';
import type { ConfigFileRole } from '../../lib/config/config-files.js';
import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Config } from '../../lib/config/types.js';

/** The list every "unknown setting" message ends with, in table order. */

const OPTIONS: BuildConfigOptions = { displayDir: 'config', env: {} };

/** Contents from texts by role; roles left out are absent, `null` means "exists but unreadable". */
function contentsOf(texts: Partial<Record<ConfigFileRole, string | null>>): ConfigContents {
  const content = (role: ConfigFileRole): ConfigFileContent => {
    const text = texts[role];
    if (text === undefined) return { state: 'absent' };
    if (text === null) return { state: 'unreadable', problem: 'cannot read: permission denied' };
    return { state: 'text', text };
  };
  return {
    hosts: content('hosts'),
    serverInfo: content('serverInfo'),
    creds: content('creds'),
    recipients: content('recipients'),
    settings: content('settings'),
    sensors: content('sensors'),
    kasa: content('kasa'),
    maintenance: content('maintenance'),
    routes: content('routes'),
  };
}

function configOf(texts: Partial<Record<ConfigFileRole, string | null>>, options = OPTIONS): Config {
  const result = buildConfig(contentsOf(texts), options);
  if (!result.ok) expect.fail(result.errors.map((e) => e.message).join('\n'));
  return result.config;
}

function errorsOf(texts: Partial<Record<ConfigFileRole, string | null>>, options = OPTIONS): string[] {
  const result = buildConfig(contentsOf(texts), options);
  return result.ok ? [] : result.errors.map((e) => e.message);
}

const SMTP_FILES = {
  hosts: '127.0.0.1',
  serverInfo: 'smtp.example.com,587',
  creds: 'alerts@example.com,s3cret',
  recipients: 'noc@example.com, oncall@example.com',
};

describe('buildConfig', () => {
  it('reads routes.csv and escalate_to after the hosts, settings and email they depend on', () => {
    const config = configOf({
      ...SMTP_FILES,
      hosts: '127.0.0.1,Loopback,Building 7',
      recipients: 'noc@example.com, sms:5551234@txt.example',
      routes: 'location:Building 7,b7@example.com ntfy\n',
      settings:
        'ntfy_url,http://127.0.0.1:9/t\nescalate_after_seconds,1800\nescalate_to,boss@example.com sms:5550000@txt.example',
    });
    expect(config.routes?.map((route) => route.destinations.length)).to.deep.equal([2]);
    expect(config.escalateTo).to.deep.equal([
      { kind: 'email', address: 'boss@example.com' },
      { kind: 'sms', address: '5550000@txt.example' },
    ]);
    expect(config.smtp?.smsRecipients).to.deep.equal(['5551234@txt.example']);
  });

  it('names the settings.csv line of an escalation that cannot reach anyone', () => {
    expect(
      errorsOf({ hosts: '127.0.0.1', settings: 'attempts,2\nescalate_after_seconds,600' }),
    ).to.deep.equal([
      'config/settings.csv:2: escalate_after_seconds is set but escalate_to is empty: name who hears of an escalation',
    ]);
    expect(errorsOf({ hosts: '127.0.0.1', settings: 'escalate_to,telegram' })).to.deep.equal([
      'config/settings.csv:1: escalate_to: channel telegram is not set up: set telegram_bot_token and telegram_chat_id in settings.csv',
    ]);
    expect(errorsOf({ hosts: '127.0.0.1', routes: '127.0.0.1,boss@example.com' })).to.deep.equal([
      'config/routes.csv:1: boss@example.com needs email: server_info.csv is missing',
    ]);
  });

  it('needs only hosts.csv: defaults, no email, no warnings', () => {
    const config = configOf({ hosts: '127.0.0.1,Loopback,Here' });
    expect(config.targets.map((t) => t.id)).to.deep.equal(['127.0.0.1']);
    expect(config.settings).to.deep.equal(DEFAULT_SETTINGS);
    expect(config.smtp).to.equal(null);
    expect(config.warnings).to.deep.equal([]);
  });

  it('builds the SMTP config, From defaulting to the username', () => {
    const config = configOf({
      ...SMTP_FILES,
      settings: 'smtp_allow_self_signed,yes\nsmtp_timeout_seconds,5',
    });
    expect(config.smtp).to.deep.equal({
      host: 'smtp.example.com',
      port: 587,
      username: 'alerts@example.com',
      password: 's3cret',
      from: 'alerts@example.com',
      recipients: ['noc@example.com', 'oncall@example.com'],
      allowSelfSigned: true,
      timeoutSeconds: 5,
    });
  });

  it('prefers from_address to the username', () => {
    const config = configOf({
      ...SMTP_FILES,
      creds: 'alerts,s3cret',
      settings: 'from_address,pw@example.com',
    });
    expect(config.smtp?.from).to.equal('pw@example.com');
    expect(config.smtp?.username).to.equal('alerts');
  });

  it('takes the username (and so the From address) from the environment', () => {
    const env = { PINGWARDEN_SMTP_USER: 'env@example.com', PINGWARDEN_SMTP_PASSWORD: 'envpw' };
    const config = configOf({ ...SMTP_FILES, creds: undefined }, { displayDir: 'config', env });
    expect(config.smtp).to.include({
      username: 'env@example.com',
      password: 'envpw',
      from: 'env@example.com',
    });
  });

  it('sends without a login when there is no creds.csv and from_address is set', () => {
    const config = configOf({ ...SMTP_FILES, creds: undefined, settings: 'from_address,pw@example.com' });
    expect(config.smtp).to.include({ username: null, password: null, from: 'pw@example.com' });
  });

  it('still checks creds.csv and email_recipients.csv without server_info.csv', () => {
    expect(errorsOf({ hosts: '::1', creds: 'bob', recipients: 'nobody' })).to.deep.equal([
      'config/creds.csv:1: SMTP username is set but the password is missing (give "username,password" or set PINGWARDEN_SMTP_PASSWORD)',
      'config/email_recipients.csv:1: invalid email address "nobody": must contain exactly one "@"',
    ]);
  });

  const bad: [name: string, texts: Partial<Record<ConfigFileRole, string | null>>, expected: string[]][] = [
    ['no hosts.csv', {}, ['config/hosts.csv: file not found (it lists the hosts to monitor)']],
    [
      'server_info.csv without email_recipients.csv',
      { ...SMTP_FILES, recipients: undefined },
      [
        'config/email_recipients.csv: file not found (it lists who gets alert emails; needed because server_info.csv exists)',
      ],
    ],
    [
      'server_info.csv with an empty email_recipients.csv',
      { ...SMTP_FILES, recipients: '# later\n' },
      ['config/email_recipients.csv: no addresses listed (needed because server_info.csv exists)'],
    ],
    [
      'a username that is not an address, no from_address',
      { ...SMTP_FILES, creds: 'alerts,s3cret' },
      [
        'config/creds.csv:1: set from_address in settings.csv: the SMTP username "alerts" is not an email address',
      ],
    ],
    [
      'from_address set empty on purpose',
      { ...SMTP_FILES, creds: 'alerts,s3cret', settings: 'attempts,3\nfrom_address,' },
      [
        'config/settings.csv:2: from_address is empty and the SMTP username "alerts" is not an email address: set it to the sender\'s address',
      ],
    ],
    [
      'no login and no from_address',
      { ...SMTP_FILES, creds: undefined },
      [
        'config/server_info.csv: set from_address in settings.csv: there is no SMTP username (creds.csv) to send from',
      ],
    ],
    [
      'a broken creds.csv: no follow-on from_address error',
      { ...SMTP_FILES, creds: 'alerts,pw,extra' },
      ['config/creds.csv:1: too many values: expected "username,password" (quote a password with commas)'],
    ],
    [
      'a bad from_address is reported once',
      { ...SMTP_FILES, creds: 'alerts,s3cret', settings: 'from_address,alerts' },
      ['config/settings.csv:1: from_address must be an email address, or empty, got "alerts"'],
    ],
    [
      'unreadable files are reported without guesses about their content',
      { hosts: null, serverInfo: '::1,25', creds: null, recipients: 'a@example.com' },
      [
        'config/hosts.csv: cannot read: permission denied',
        'config/creds.csv: cannot read: permission denied',
      ],
    ],
    [
      'every problem in every file, file by file, line by line',
      {
        hosts: '-f\n10.0.0.1\n10.0.0.1',
        serverInfo: 'smtp.example.com,0',
        creds: 'alerts,pw',
        recipients: 'x',
        settings: 'attempts,0\ncolour,red',
      },
      [
        'config/hosts.csv:1: invalid host "-f": must not start with "-"',
        'config/hosts.csv:3: duplicate host "10.0.0.1" (first listed on line 2)',
        'config/server_info.csv:1: port must be an integer from 1 to 65535, got "0"',
        'config/creds.csv:1: set from_address in settings.csv: the SMTP username "alerts" is not an email address',
        'config/email_recipients.csv:1: invalid email address "x": must contain exactly one "@"',
        'config/settings.csv:1: attempts must be an integer from 1 to 20, got "0"',
        `config/settings.csv:2: unknown setting "colour" (every setting is listed in README.md, "settings.csv", and commented in config/settings.csv)`,
      ],
    ],
  ];
  for (const [name, texts, expected] of bad) {
    it(`reports ${name}`, () => expect(errorsOf(texts)).to.deep.equal(expected));
  }

  it('shows paths under the directory as the user named it', () => {
    expect(errorsOf({ hosts: '-f' }, { displayDir: '/etc/pingwarden', env: {} })).to.deep.equal([
      '/etc/pingwarden/hosts.csv:1: invalid host "-f": must not start with "-"',
    ]);
  });
});
