import { expect } from 'chai';

import { parseSettings } from '../../lib/config/parse-settings.js';
import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Settings } from '../../lib/config/types.js';

/** The list every "unknown setting" message ends with, in table order. */

const FILE = 'config/settings.csv';

function settingsOf(text: string): Settings {
  const { settings, errors } = parseSettings(text, FILE);
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  return settings;
}

function errorsOf(text: string): string[] {
  return parseSettings(text, FILE).errors.map((e) => e.message);
}

describe('parseSettings', () => {
  describe('good input', () => {
    const cases: [name: string, text: string, changed: Partial<Settings>][] = [
      ['empty file: all defaults', '', {}],
      ['comments only', '# nothing\n\n', {}],
      ['one key, the rest defaults', 'interval_seconds,60', { intervalSeconds: 60 }],
      ['header row', 'key,value\nattempts,5', { attempts: 5 }],
      [
        'keys in any case, values trimmed',
        ' Attempts , 5 \r\nLOG_LEVEL,Debug\r\n',
        { attempts: 5, logLevel: 'debug' },
      ],
      [
        'range ends',
        'realert_seconds,0\nmax_concurrent_probes,1024',
        { realertSeconds: 0, maxConcurrentProbes: 1024 },
      ],
      ['yes/no booleans', 'smtp_allow_self_signed,Yes', { smtpAllowSelfSigned: true }],
      ['1/0 booleans', 'smtp_allow_self_signed,0', { smtpAllowSelfSigned: false }],
      ['from_address', 'from_address,pingwarden@example.com', { fromAddress: 'pingwarden@example.com' }],
      ['empty from_address', 'from_address,', { fromAddress: '' }],
      [
        'every key',
        [
          'interval_seconds,30',
          'attempts,1',
          'timeout_seconds,60',
          'realert_seconds,2592000',
          'from_address,a@b.example',
          'log_retention_days,3650',
          'log_level,error',
          'max_concurrent_probes,1',
          'smtp_allow_self_signed,true',
          'smtp_timeout_seconds,600',
          'pinger,FPING',
          'fping_threshold,0',
          'fping_interval_ms,1000',
        ].join('\n'),
        {
          intervalSeconds: 30,
          attempts: 1,
          timeoutSeconds: 60,
          realertSeconds: 2592000,
          fromAddress: 'a@b.example',
          logRetentionDays: 3650,
          logLevel: 'error',
          maxConcurrentProbes: 1,
          smtpAllowSelfSigned: true,
          smtpTimeoutSeconds: 600,
          pinger: 'fping',
          fpingThreshold: 0,
          fpingIntervalMs: 1000,
        },
      ],
    ];
    for (const [name, text, changed] of cases) {
      it(name, () => expect(settingsOf(text)).to.deep.equal({ ...DEFAULT_SETTINGS, ...changed }));
    }

    it('remembers the line of each key it set', () => {
      expect([...parseSettings('# c\nattempts,4\n\nlog_level,warn', FILE).lines]).to.deep.equal([
        ['attempts', 2],
        ['logLevel', 4],
      ]);
    });
  });

  describe('bad input', () => {
    const cases: [name: string, text: string, expected: string[]][] = [
      [
        'typo in a key',
        'intervall_seconds,60',
        ['config/settings.csv:1: unknown setting "intervall_seconds" (did you mean "interval_seconds"?)'],
      ],
      [
        'unknown key',
        '# c\ncolour,blue',
        [
          `config/settings.csv:2: unknown setting "colour" (every setting is listed in README.md, "settings.csv", and commented in config/settings.csv)`,
        ],
      ],
      [
        'duplicate key',
        'attempts,3\nAttempts,4',
        ['config/settings.csv:2: attempts is set twice (first on line 1)'],
      ],
      [
        'saved by Excel with semicolons or tabs: one line, not one unknown setting per row',
        'interval_seconds;60\nattempts;3\nlog_level;debug',
        [
          'config/settings.csv:1: is separated by semicolons, not commas; save it as comma-separated (in Excel: "CSV UTF-8 (Comma delimited)")',
        ],
      ],
      [
        'tabs',
        '# exported\ninterval_seconds\t60\nattempts\t3',
        [
          'config/settings.csv:2: is separated by tabs, not commas; save it as comma-separated (in Excel: "CSV UTF-8 (Comma delimited)")',
        ],
      ],
      [
        'a bad token or webhook URL is not echoed: it is a secret',
        'telegram_bot_token,123:abc\nslack_webhook,hooks.slack.com/services/T0/B0/XyZ',
        [
          'config/settings.csv:1: telegram_bot_token must be empty, or 20 to 256 printable characters without spaces, quotes or commas, got a value of 7 characters (not shown: it is a secret)',
          'config/settings.csv:2: slack_webhook must be an http:// or https:// URL, or empty, got a value of 34 characters (not shown: it is a secret)',
        ],
      ],
      [
        'not a number',
        'interval_seconds,5m',
        ['config/settings.csv:1: interval_seconds must be an integer from 1 to 86400, got "5m"'],
      ],
      [
        'negative',
        'attempts,-1',
        ['config/settings.csv:1: attempts must be an integer from 1 to 20, got "-1"'],
      ],
      [
        'fraction',
        'timeout_seconds,1.5',
        ['config/settings.csv:1: timeout_seconds must be an integer from 1 to 60, got "1.5"'],
      ],
      [
        'above the range',
        'attempts,21',
        ['config/settings.csv:1: attempts must be an integer from 1 to 20, got "21"'],
      ],
      [
        'below the range',
        'interval_seconds,0',
        ['config/settings.csv:1: interval_seconds must be an integer from 1 to 86400, got "0"'],
      ],
      [
        'huge number',
        'realert_seconds,99999999999999',
        ['config/settings.csv:1: realert_seconds must be an integer from 0 to 2592000, got "99999999999999"'],
      ],
      [
        'empty value',
        'attempts,',
        ['config/settings.csv:1: attempts must be an integer from 1 to 20, got ""'],
      ],
      [
        'unknown pinger',
        'pinger,nmap',
        ['config/settings.csv:1: pinger must be one of ping, fping, auto, got "nmap"'],
      ],
      ['no value', 'attempts', ['config/settings.csv:1: attempts has no value (expected "attempts,VALUE")']],
      [
        'gateway_address not an IPv4 address',
        '# c\ngateway_address,router.lan',
        ['config/settings.csv:2: gateway_address must be an IPv4 address, or empty, got "router.lan"'],
      ],
      [
        'trace_max_per_cycle too large',
        'trace_max_per_cycle,500',
        ['config/settings.csv:1: trace_max_per_cycle must be an integer from 0 to 100, got "500"'],
      ],
      [
        'bad log level',
        'log_level,verbose',
        ['config/settings.csv:1: log_level must be one of error, warn, info, debug, got "verbose"'],
      ],
      [
        'bad boolean',
        'smtp_allow_self_signed,maybe',
        ['config/settings.csv:1: smtp_allow_self_signed must be true/false, yes/no or 1/0, got "maybe"'],
      ],
      [
        'bad from_address',
        'from_address,pingwarden',
        ['config/settings.csv:1: from_address must be an email address, or empty, got "pingwarden"'],
      ],
      [
        'too many values',
        'attempts,3,4',
        ['config/settings.csv:1: too many values for attempts: expected "key,value"'],
      ],
      ['missing key', ',5', ['config/settings.csv:1: missing key before the ","']],
      [
        'line break in a value',
        'log_level,"info\n"',
        ['config/settings.csv:1: line breaks are not allowed in settings'],
      ],
      [
        'several problems, in line order',
        'attempts,0\n\nlog_levl,info\n"x,1\n',
        [
          'config/settings.csv:1: attempts must be an integer from 1 to 20, got "0"',
          'config/settings.csv:3: unknown setting "log_levl" (did you mean "log_level"?)',
          'config/settings.csv:4: a quote (") opened here is never closed',
        ],
      ],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => expect(errorsOf(text)).to.deep.equal(expected));
    }

    // Was 4 s for 1 MB (the whole key went through the edit distance) and echoed the whole megabyte.
    it('answers a 2 MB junk key quickly, echoing only its first 60 characters', function () {
      // Content, not time, is what fails on the old code (it echoed all 2 MB); the timeout only bounds a hang.
      this.timeout(20_000);
      const junk = 'x'.repeat(2 * 1024 * 1024);
      expect(errorsOf(`${junk},1`)).to.deep.equal([
        `config/settings.csv:1: unknown setting "${'x'.repeat(60)}... (2097152 characters)" (every setting is listed in README.md, "settings.csv", and commented in config/settings.csv)`,
      ]);
    });

    it('still suggests related settings for a long key made of words', () => {
      expect(errorsOf('the_interval_between_two_rounds_of_pings_in_seconds_please,60')).to.deep.equal([
        'config/settings.csv:1: unknown setting "the_interval_between_two_rounds_of_pings_in_seconds_please" (similar settings: interval_seconds, timeout_seconds, packet_interval_ms, realert_seconds, escalate_after_seconds; every setting is listed in README.md, "settings.csv", and commented in config/settings.csv)',
      ]);
    });

    it('keeps the default for a key whose value is bad', () => {
      expect(parseSettings('attempts,99', FILE).settings.attempts).to.equal(3);
    });
  });
});
