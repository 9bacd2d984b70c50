import { expect } from 'chai';

import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import { watchConfig, type WatchArguments } from '../../lib/config/watch-config.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

function problems(args: WatchArguments): string[] {
  try {
    watchConfig(args);
  } catch (error) {
    if (error instanceof ConfigErrors) return error.problems.map((p) => p.message);
    throw error;
  }
  return [];
}

describe('config/watch-config (pingwarden watch)', () => {
  it('takes the hosts in order, a 60 s interval and the defaults for everything else', () => {
    const config = watchConfig({ hosts: ['1.1.1.1', 'router.example'] });
    expect(config.targets.map((t) => [t.id, t.line])).to.deep.equal([
      ['1.1.1.1', 1],
      ['router.example', 2],
    ]);
    expect(config.settings).to.deep.equal({ ...DEFAULT_SETTINGS, intervalSeconds: 60 });
    expect(config.smtp).to.equal(null);
  });

  it('takes --interval and --discord-webhook', () => {
    const url = 'https://discord.com/api/webhooks/1/abc';
    const config = watchConfig({ hosts: ['::1'], interval: '2', discordWebhook: url });
    expect(config.settings).to.include({ intervalSeconds: 2, discordWebhook: url });
  });

  it('fits attempts × timeout into a short interval, so an outage does not overrun every cycle', () => {
    const timing = (interval: string) => {
      const { attempts, timeoutSeconds } = watchConfig({ hosts: ['::1'], interval }).settings;
      return [attempts, timeoutSeconds];
    };
    expect(timing('60')).to.deep.equal([3, 2]);
    expect(timing('7')).to.deep.equal([3, 2]);
    expect(timing('5')).to.deep.equal([3, 1]);
    expect(timing('3')).to.deep.equal([2, 1]);
    expect(timing('2')).to.deep.equal([1, 1]);
    expect(watchConfig({ hosts: ['::1'], interval: '2' }).warnings).to.deep.equal([]);
  });

  it('takes --attempts and --timeout, and warns when they cannot fit the interval', () => {
    const config = watchConfig({ hosts: ['::1'], interval: '2', attempts: '3', timeout: '2' });
    expect(config.settings).to.include({ attempts: 3, timeoutSeconds: 2 });
    expect(config.warnings).to.deep.equal([
      '--attempts 3 × --timeout 2s is not shorter than --interval 2s: cycles with a down host will overrun the interval',
    ]);
  });

  const cases: [name: string, args: WatchArguments, expected: string[]][] = [
    [
      'a host that is an option or a shell word',
      { hosts: ['10.0.0.1', '-f', ';rm -rf /'] },
      [
        'command line:2: invalid host "-f": must not start with "-"',
        'command line:3: invalid host ";rm -rf /": must not contain ";"',
      ],
    ],
    [
      'the same host twice',
      { hosts: ['Router.example', 'router.example.'] },
      ['command line:2: duplicate host "router.example." (first given as host 1)'],
    ],
    ['no host', { hosts: [] }, ['command line: name at least one host to watch']],
    [
      'a bad interval',
      { hosts: ['::1'], interval: '0' },
      ['command line: --interval must be an integer from 1 to 86400, got "0"'],
    ],
    [
      'bad --attempts and --timeout',
      { hosts: ['::1'], attempts: '0', timeout: 'x' },
      [
        'command line: --attempts must be an integer from 1 to 20, got "0"',
        'command line: --timeout must be an integer from 1 to 60, got "x"',
      ],
    ],
    [
      'a webhook that is not a URL (not echoed: it may hold a token)',
      { hosts: ['::1'], discordWebhook: 'discord.com/api/webhooks/1/secret' },
      ['command line: --discord-webhook must be an http:// or https:// URL, or empty'],
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(name, () => expect(problems(args)).to.deep.equal(expected));
  }
});
