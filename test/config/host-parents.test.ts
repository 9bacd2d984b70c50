import { expect } from 'chai';

import { parseHosts } from '../../lib/config/parse-hosts.js';

const FILE = 'config/hosts.csv';

describe('config/host-parents (parent: in hosts.csv)', () => {
  it('accepts parents listed anywhere in the file, matched like hosts (case, trailing dot)', () => {
    const { targets, errors } = parseHosts(
      'ap.example,AP,Hall,parent:SW.example.\nsw.example,Switch,Closet,parent:10.0.0.1\n10.0.0.1,Router,MDF\n',
      FILE,
    );
    expect(errors.map((e) => e.message)).to.deep.equal([]);
    // Resolved to the parent's id as listed, so the monitor compares ids, never spellings.
    expect(targets.map((t) => t.parent)).to.deep.equal(['sw.example', '10.0.0.1', null]);
  });

  const cases: [name: string, text: string, expected: string[]][] = [
    [
      'parent not listed',
      '10.0.0.1\n10.0.0.2,,,parent:10.0.0.9\n',
      ['config/hosts.csv:2: parent "10.0.0.9" is not listed in hosts.csv'],
    ],
    [
      'parent is not a host',
      '10.0.0.1,,,parent:-f\n',
      ['config/hosts.csv:1: option "parent" must name a host of hosts.csv'],
    ],
    [
      'own parent',
      '10.0.0.1,,,parent:10.0.0.1\n',
      ['config/hosts.csv:1: host "10.0.0.1" cannot be its own parent'],
    ],
    [
      'a loop of three',
      'a.example\nb.example,,,parent:c.example\nc.example,,,parent:d.example\nd.example,,,parent:b.example\n',
      ['config/hosts.csv:2: parent hosts form a loop: b.example → c.example → d.example → b.example'],
    ],
    [
      'a loop of two and a child hanging off it: one message',
      'x.example,,,parent:y.example\ny.example,,,parent:x.example\nz.example,,,parent:y.example\n',
      ['config/hosts.csv:1: parent hosts form a loop: x.example → y.example → x.example'],
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => expect(parseHosts(text, FILE).errors.map((e) => e.message)).to.deep.equal(expected));
  }

  // Was cubic: a 10,000-deep chain took over a minute; now it is linear and well inside this timeout.
  it('checks a 10,000-deep parent chain ending in a loop quickly, reporting the loop once', function () {
    this.timeout(20_000);
    const depth = 10_000;
    const lines = ['h0.example,,,parent:h2.example'];
    for (let i = 1; i < depth; i++) lines.push(`h${i}.example,,,parent:h${i - 1}.example`);
    const { targets, errors } = parseHosts(lines.join('\n') + '\n', FILE);
    expect(targets).to.have.length(depth);
    expect(errors.map((e) => e.message)).to.deep.equal([
      'config/hosts.csv:1: parent hosts form a loop: h0.example → h2.example → h1.example → h0.example',
    ]);
  });
});
