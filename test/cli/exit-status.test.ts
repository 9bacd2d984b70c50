import { expect } from 'chai';

import { exitCodeOf } from '../../lib/cli/exit-status.js';
import {
  ConfigError,
  ConfigErrors,
  FaultError,
  MissingToolError,
  PingwardenError,
  UserError,
} from '../../lib/shared/errors.js';

function mapped(error: unknown): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = exitCodeOf(error, {
    out: (text) => lines.push(`out: ${text}`),
    err: (text) => lines.push(text),
  });
  return { code, lines };
}

describe('exitCodeOf', () => {
  const cases: { name: string; error: unknown; code: number; lines: string[] }[] = [
    {
      name: 'config problems: every problem, a count, exit 2',
      error: new ConfigErrors([
        new ConfigError('config/hosts.csv', 3, 'bad host'),
        new ConfigError('config/orgs.csv', 2, 'bad prefix'),
      ]),
      code: 2,
      lines: [
        'config/hosts.csv:3: bad host',
        'config/orgs.csv:2: bad prefix',
        '2 problems found; nothing started',
      ],
    },
    {
      name: 'a missing tool is a user error: one line, exit 2',
      error: new MissingToolError('ping', 'iputils-ping'),
      code: 2,
      lines: ['pingwarden: ping not found in PATH: install it with "apt-get install iputils-ping"'],
    },
    {
      name: 'a bad argument: one line, exit 2',
      error: new UserError('--format "pdf": expected one of table, csv'),
      code: 2,
      lines: ['pingwarden: --format "pdf": expected one of table, csv'],
    },
    {
      name: 'a fault (port in use): one line, exit 1',
      error: new FaultError('cannot listen on 127.0.0.1:8080 (http_listen, http_port): EADDRINUSE'),
      code: 1,
      lines: ['pingwarden: cannot listen on 127.0.0.1:8080 (http_listen, http_port): EADDRINUSE'],
    },
    {
      name: 'an unclassified pingwarden error is not reported as bad config: one line, exit 1',
      error: new PingwardenError('could not run fping: EACCES'),
      code: 1,
      lines: ['pingwarden: could not run fping: EACCES'],
    },
  ];
  for (const { name, error, code, lines } of cases) {
    it(name, () => {
      expect(mapped(error)).to.deep.equal({ code, lines });
    });
  }

  it('reports anything else as a bug, with its stack, exit 1', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const { code, lines } = mapped(bug);
    expect(code).to.equal(1);
    expect(lines[0]).to.equal('pingwarden: unexpected error (a bug; please report it):');
    expect(lines[1]).to.equal(bug.stack);
    expect(lines).to.have.length(2);
  });
});
