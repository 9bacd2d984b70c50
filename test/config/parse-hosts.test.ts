import { expect } from 'chai';

import { KNOWN_HOST_OPTIONS, type HostOptionValidator } from '../../lib/config/host-options.js';
import { parseHosts } from '../../lib/config/parse-hosts.js';

const FILE = 'config/hosts.csv';

/** The targets of `text`, which must have no problems. */
function hostsOf(text: string): object[] {
  const { targets, errors } = parseHosts(text, FILE);
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  return [...targets];
}

function errorsOf(text: string, knownOptions?: ReadonlyMap<string, HostOptionValidator>): string[] {
  return parseHosts(text, FILE, knownOptions ? { knownOptions } : {}).errors.map((e) => e.message);
}

function entry(host: string, description: string, location: string, line: number): object {
  return {
    id: host,
    label: { host, description, location },
    check: { kind: 'icmp' },
    parent: null,
    cyclePlug: null,
    lamp: null,
    line,
  };
}

describe('parseHosts', () => {
  describe('good input', () => {
    const cases: [name: string, text: string, expected: object[]][] = [
      ['host only', '10.0.0.1', [entry('10.0.0.1', '', '', 1)]],
      ['host and description only', '10.0.0.1,Router', [entry('10.0.0.1', 'Router', '', 1)]],
      [
        'the DESIGN example',
        '10.1.1.254,Cisco Router,Bldg 6 MDF 101',
        [entry('10.1.1.254', 'Cisco Router', 'Bldg 6 MDF 101', 1)],
      ],
      ['empty description, location', '10.0.0.1,,Lab', [entry('10.0.0.1', '', 'Lab', 1)]],
      ['empty options column', '10.0.0.1,a,b,', [entry('10.0.0.1', 'a', 'b', 1)]],
      [
        'quoted value with commas',
        '10.0.0.1,"Switch, core","Bldg 6, room 101"',
        [entry('10.0.0.1', 'Switch, core', 'Bldg 6, room 101', 1)],
      ],
      ['doubled quotes', '10.0.0.1,"The ""big"" one",x', [entry('10.0.0.1', 'The "big" one', 'x', 1)]],
      ['whitespace trimmed', '  10.0.0.1 ,  Router  ,\tLab ', [entry('10.0.0.1', 'Router', 'Lab', 1)]],
      [
        'BOM and CRLF',
        '\uFEFF10.0.0.1,a,b\r\n10.0.0.2,c,d\r\n',
        [entry('10.0.0.1', 'a', 'b', 1), entry('10.0.0.2', 'c', 'd', 2)],
      ],
      [
        'comments and blank lines',
        '# my hosts\n\n10.0.0.1,a,b\n   # old: 10.0.0.9\n\nrouter.example,c,d\n',
        [entry('10.0.0.1', 'a', 'b', 3), entry('router.example', 'c', 'd', 6)],
      ],
      ['header row "host"', 'host,description,location\n10.0.0.1,a,b', [entry('10.0.0.1', 'a', 'b', 2)]],
      [
        'header row "HostIP" after a comment',
        '# list\nHostIP,Desc,Loc\n::1,a,b',
        [entry('::1', 'a', 'b', 3)],
      ],
      [
        'IPv6 and names',
        '::1\nlocalhost\nap-3.example.',
        [entry('::1', '', '', 1), entry('localhost', '', '', 2), entry('ap-3.example.', '', '', 3)],
      ],
      ['description with #', '10.0.0.1,Room #5,x', [entry('10.0.0.1', 'Room #5', 'x', 1)]],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => expect(hostsOf(text)).to.deep.equal(expected));
    }

    it('parses every option into a typed value of the target, once, at load', () => {
      const { targets, errors } = parseHosts(
        '10.0.0.254,Switch,MDF\n10.0.0.1,a,b,cycle:Modem lamp:YES parent:10.0.0.254 max-rtt:250 min-rtt:10',
        FILE,
        { attempts: 4 },
      );
      expect(errors).to.deep.equal([]);
      const target = targets[1]!;
      expect({ parent: target.parent, cyclePlug: target.cyclePlug, lamp: target.lamp }).to.deep.equal({
        parent: '10.0.0.254',
        cyclePlug: 'Modem',
        lamp: true,
      });
      expect(target.check).to.deep.include({ kind: 'route' });
      expect(target.check.kind === 'route' && target.check.spec).to.deep.include({
        kind: 'ping',
        target: '10.0.0.1',
        count: 4,
        minLatencyMs: 10,
        maxLatencyMs: 250,
      });
    });

    it('routes a row with path options to traceroute', () => {
      const { targets } = parseHosts('192.0.2.1,a,b,via:198.51.100.0/24', FILE);
      expect(targets[0]!.check.kind === 'route' && targets[0]!.check.spec.kind).to.equal('traceroute');
    });
  });

  describe('bad input', () => {
    const cases: [name: string, text: string, expected: string[]][] = [
      [
        'min-rtt above max-rtt (it could never pass: the host would stay DOWN forever)',
        '10.0.0.1,a,b\n10.0.0.2,x,y,min-rtt:300 max-rtt:100',
        ['config/hosts.csv:2: option "min-rtt" (300) is greater than option "max-rtt" (100)'],
      ],
      [
        'host "-f"',
        'a.example\n\n-f,x,y',
        ['config/hosts.csv:3: invalid host "-f": must not start with "-"'],
      ],
      ['host "--help"', '--help', ['config/hosts.csv:1: invalid host "--help": must not start with "-"']],
      [
        'host ";rm -rf /"',
        ';rm -rf /,x',
        ['config/hosts.csv:1: invalid host ";rm -rf /": must not contain ";"'],
      ],
      [
        'host "$(reboot)"',
        '$(reboot)',
        ['config/hosts.csv:1: invalid host "$(reboot)": must not contain "$"'],
      ],
      [
        'host with backticks',
        '`reboot`',
        ['config/hosts.csv:1: invalid host "`reboot`": must not contain "`"'],
      ],
      [
        'host "a b"',
        'a b,x',
        ['config/hosts.csv:1: invalid host "a b": must not contain spaces or other whitespace'],
      ],
      ['host "host|cat"', 'host|cat', ['config/hosts.csv:1: invalid host "host|cat": must not contain "|"']],
      ['empty host', '10.0.0.1\n,Router,Lab', ['config/hosts.csv:2: missing host (the first value)']],
      ['bad IPv4', '10.1.1', ['config/hosts.csv:1: invalid host "10.1.1": is not a valid IPv4 address']],
      [
        'bad IPv6',
        '2001:db8:::1',
        ['config/hosts.csv:1: invalid host "2001:db8:::1": is not a valid IPv6 address'],
      ],
      [
        'bracketed IPv6',
        '[::1]',
        ['config/hosts.csv:1: invalid host "[::1]": write IPv6 addresses without brackets'],
      ],
      [
        'bad DNS label',
        'router-.example',
        ['config/hosts.csv:1: invalid host "router-.example": has a label ending with "-" ("router-")'],
      ],
      [
        'non-ASCII name',
        'bücher.example',
        ['config/hosts.csv:1: invalid host "bücher.example": must not contain "ü"'],
      ],
      [
        'too many values',
        '10.0.0.1,Switch, core,Lab,,',
        [
          'config/hosts.csv:1: too many values (6): expected host,description,location[,options]; put a value that contains commas in double quotes',
        ],
      ],
      [
        'line break in a quoted description',
        '10.0.0.1,"Core\nswitch",Lab\n10.0.0.2',
        ['config/hosts.csv:1: line breaks are not allowed in the description'],
      ],
      [
        'line break in a quoted host',
        '"10.0.0.1\n"',
        ['config/hosts.csv:1: line breaks are not allowed in the host'],
      ],
      [
        'line break in a quoted location, line counted from the record start',
        '# c\n10.0.0.1,a,b\n10.0.0.2,a,"Bldg 6\r\nMDF"\r\n-x',
        [
          'config/hosts.csv:3: line breaks are not allowed in the location',
          'config/hosts.csv:5: invalid host "-x": must not start with "-"',
        ],
      ],
      [
        'duplicate address',
        '10.0.0.1,a\n10.0.0.2\n10.0.0.1,b',
        ['config/hosts.csv:3: duplicate host "10.0.0.1" (first listed on line 1)'],
      ],
      [
        'duplicate name in another case and with a trailing dot',
        'Router.Example\nrouter.example.',
        ['config/hosts.csv:2: duplicate host "router.example." (first listed on line 1)'],
      ],
      [
        'duplicate IPv6 in another spelling',
        '::1\n0:0:0:0:0:0:0:1',
        ['config/hosts.csv:2: duplicate host "0:0:0:0:0:0:0:1" (first listed on line 1)'],
      ],
      [
        'unknown option',
        '10.0.0.1,a,b,bogus:Modem',
        [
          `config/hosts.csv:1: unknown option "bogus" (known options: ${[...KNOWN_HOST_OPTIONS.keys()].sort().join(', ')})`,
        ],
      ],
      ['option without ":"', '10.0.0.1,a,b,Modem', ['config/hosts.csv:1: option "Modem" is not key:value']],
      [
        'unclosed quote',
        '10.0.0.1\n10.0.0.2,"Router,Lab\n10.0.0.3',
        ['config/hosts.csv:2: a quote (") opened here is never closed'],
      ],
      [
        'no hosts at all',
        '# nothing yet\n\n',
        ['config/hosts.csv: no hosts listed (add one per line: host,description,location)'],
      ],
      [
        'header only',
        'host,description,location\n',
        ['config/hosts.csv: no hosts listed (add one per line: host,description,location)'],
      ],
      [
        'every problem, in line order',
        '-f\n"a\nb"\n;ls\n10.0.0.1,x"y\n10.0.0.1,a,b,c,d\nok.example,a,b,x',
        [
          'config/hosts.csv:1: invalid host "-f": must not start with "-"',
          'config/hosts.csv:2: line breaks are not allowed in the host',
          'config/hosts.csv:4: invalid host ";ls": must not contain ";"',
          'config/hosts.csv:5: a quote (") in the middle of a value; quote the whole value and double any quote inside it ("")',
          'config/hosts.csv:6: too many values (5): expected host,description,location[,options]; put a value that contains commas in double quotes',
          'config/hosts.csv:7: option "x" is not key:value',
        ],
      ],
    ];
    for (const [name, text, expected] of cases) {
      it(name, () => expect(errorsOf(text)).to.deep.equal(expected));
    }

    it('reports a bad option value with the key', () => {
      const known = new Map<string, HostOptionValidator>([['cycle', () => 'must name a plug in kasa.csv']]);
      expect(errorsOf('10.0.0.1,a,b,cycle:Nope', known)).to.deep.equal([
        'config/hosts.csv:1: option "cycle" must name a plug in kasa.csv',
      ]);
    });

    it('treats "host" as a header only on the first row', () => {
      expect(errorsOf('10.0.0.1\nhost\nhost')).to.deep.equal([
        'config/hosts.csv:3: duplicate host "host" (first listed on line 2)',
      ]);
    });
  });

  describe('files saved the wrong way', () => {
    it('an Excel semicolon-separated file is one error saying to save it comma-separated', () => {
      const text = 'hostIP;description;location\n10.1.1.254;Cisco Router;Bldg 6\n10.1.1.1;Switch;Bldg 6\n';
      expect(errorsOf(text)).to.deep.equal([
        'config/hosts.csv:1: is separated by semicolons, not commas; save it as comma-separated (in Excel: "CSV UTF-8 (Comma delimited)")',
      ]);
    });

    it('a tab-separated file is one error too', () => {
      expect(errorsOf('# hosts\n10.1.1.254\tRouter\tBldg 6\n10.1.1.1\tSwitch\tBldg 6\n')).to.deep.equal([
        'config/hosts.csv:2: is separated by tabs, not commas; save it as comma-separated (in Excel: "CSV UTF-8 (Comma delimited)")',
      ]);
    });

    it('host-only rows are not mistaken for another separator', () => {
      expect(errorsOf('10.0.0.1\n10.0.0.2\n')).to.deep.equal([]);
    });

    it('warns about an unknown header row (IP,Name,Site) but still loads the file', () => {
      const parsed = parseHosts('IP,Name,Site\n10.1.1.254,Router,Bldg 6\n10.1.1.1,Switch,Bldg 6\n', FILE);
      expect(parsed.errors).to.deep.equal([]);
      expect(parsed.warnings).to.deep.equal([
        'config/hosts.csv:1: the first row\'s host "IP" is not an address while the others are; if it is a header, name its first column "host" (host,description,location) or remove it',
      ]);
      expect(parseHosts('host,a,b\n10.1.1.254\n', FILE).warnings).to.deep.equal([]);
      expect(parseHosts('router.example\n10.1.1.254\nprinter.example\n', FILE).warnings).to.deep.equal([]);
    });
  });
});
