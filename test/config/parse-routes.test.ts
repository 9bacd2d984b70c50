import { expect } from 'chai';

import { parseRoutes } from '../../lib/config/parse-routes.js';
import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Settings } from '../../lib/config/types.js';
import { testTarget } from '../fakes/fake-config.js';

const FILE = 'config/routes.csv';
const targets = [
  testTarget('10.7.0.1', { location: 'Building 7' }),
  testTarget('10.1.1.254', { location: 'HQ' }),
];
const withNtfy: Settings = { ...DEFAULT_SETTINGS, ntfyUrl: 'http://127.0.0.1:9/alerts' };

function parse(text: string, settings: Settings = withNtfy, smtpConfigured = true) {
  return parseRoutes(text, FILE, { targets, settings, smtpConfigured });
}

const messages = (text: string, settings?: Settings, smtp?: boolean) =>
  parse(text, settings, smtp).errors.map((error) => error.message);

describe('config/parse-routes', () => {
  it('reads match, destinations and options, with a header row', () => {
    const { routes, errors } = parse(
      'match,destinations,options\n' +
        'location:Building 7,b7-admin@example.com sms:5551234@txt.example ntfy,quiet=22:00-07:00 tz=+02:00\n' +
        '10.1.1.254,ops@example.com,default\n',
    );
    expect(errors).to.deep.equal([]);
    expect(routes).to.deep.equal([
      {
        selector: { kind: 'location', location: 'Building 7' },
        destinations: [
          { kind: 'email', address: 'b7-admin@example.com' },
          { kind: 'sms', address: '5551234@txt.example' },
          { kind: 'channel', channel: 'ntfy' },
        ],
        quiet: {
          startMinute: 22 * 60,
          endMinute: 7 * 60,
          zone: { kind: 'offset', minutes: 120 },
          text: '22:00-07:00',
        },
        line: 2,
      },
      {
        selector: { kind: 'host', host: '10.1.1.254' },
        destinations: [{ kind: 'email', address: 'ops@example.com' }, { kind: 'default' }],
        quiet: null,
        line: 3,
      },
    ]);
  });

  it('reads quiet hours in the machine zone without tz=', () => {
    const [route] = parse('*,ntfy,quiet=23:30-06:00\n').routes;
    expect(route?.quiet?.zone).to.deep.equal({ kind: 'local' });
  });

  const bad: [string, string, string[]][] = [
    [
      'an unknown channel',
      '*,irc\n',
      [
        'config/routes.csv:1: unknown destination "irc": expected an email address, sms:ADDRESS, default or a channel (email, discord, ntfy, telegram, pushover, gotify, slack, teams, matrix, webhook)',
      ],
    ],
    [
      'a bad address',
      '*,ann@@example.com\n',
      ['config/routes.csv:1: invalid email address "ann@@example.com": it must contain exactly one "@"'],
    ],
    [
      'a bad sms address',
      '*,sms:5551234\n',
      [
        'config/routes.csv:1: invalid sms: address "5551234" (the email address of an email-to-SMS gateway): it must contain exactly one "@"',
      ],
    ],
    [
      'a host that is not configured',
      '10.9.9.9,ops@example.com\n',
      ['config/routes.csv:1: unknown host "10.9.9.9": it is not in hosts.csv or sensors.csv'],
    ],
    [
      'a location no host has',
      'location:Building 9,ops@example.com\n',
      ['config/routes.csv:1: no host in hosts.csv has the location "Building 9"'],
    ],
    [
      'an empty match',
      ',ops@example.com\n',
      ['config/routes.csv:1: missing match (a host from hosts.csv, location:NAME or *)'],
    ],
    [
      'no destinations',
      '*\n',
      [
        'config/routes.csv:1: no destinations (expected "match,destinations[,options]" (e.g. "location:Building 7,b7-admin@example.com sms:5551234@txt.example ntfy,quiet=22:00-07:00"))',
      ],
    ],
    [
      'a channel that is not set up',
      '*,slack\n',
      ['config/routes.csv:1: channel slack is not set up: set slack_webhook in settings.csv'],
    ],
    [
      'an unknown option',
      '*,ntfy,quite=22:00-07:00\n',
      ['config/routes.csv:1: unknown option "quite": expected quiet= or tz='],
    ],
    [
      'bad quiet hours',
      '*,ntfy,quiet=22-7\n',
      ['config/routes.csv:1: invalid quiet hours "22-7": expected HH:MM-HH:MM, e.g. quiet=22:00-07:00'],
    ],
    [
      'quiet hours of no length',
      '*,ntfy,quiet=07:00-07:00\n',
      ['config/routes.csv:1: invalid quiet hours "07:00-07:00": start and end are the same time'],
    ],
    [
      'a bad zone',
      '*,ntfy,quiet=22:00-07:00 tz=Mars/Olympus\n',
      [
        'config/routes.csv:1: invalid tz=Mars/Olympus: expected local, UTC, an offset such as +02:00 or an IANA zone such as Europe/Berlin',
      ],
    ],
  ];
  for (const [what, text, expected] of bad) {
    it(`names the file and line of ${what}`, () => {
      expect(
        parse(text).errors.map((error) => `${error.file}:${error.line}: ${error.problem}`),
      ).to.deep.equal(expected);
    });
  }

  it('refuses email destinations without server_info.csv', () => {
    expect(messages('*,ops@example.com sms:1@txt.example email\n', withNtfy, false)).to.have.length(3);
    expect(messages('*,ops@example.com\n', withNtfy, false)[0]).to.include(
      'ops@example.com needs email: server_info.csv is missing',
    );
  });

  it('reports every bad row, each with its line, and keeps the good ones', () => {
    const { routes, errors } = parse('*,ntfy\n*,irc\n10.1.1.254,ops@example.com\n10.9.9.9,ntfy\n');
    expect(errors.map((error) => error.line)).to.deep.equal([2, 4]);
    expect(routes.map((route) => route.line)).to.deep.equal([1, 3]);
  });
});
