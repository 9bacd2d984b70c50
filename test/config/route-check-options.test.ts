import { expect } from 'chai';

import { parseHostOptions } from '../../lib/config/host-options.js';
import { routeCheckOf } from '../../lib/config/route-check-options.js';

function options(text: string): ReadonlyMap<string, string> {
  const parsed = parseHostOptions(text);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.join('\n'));
  return parsed.options;
}

describe('config/route-check-options: routeCheckOf', () => {
  it('is null for a row without route-check options', () =>
    expect(routeCheckOf('192.0.2.1', options('cycle:Modem'), 3)).to.equal(null));

  it('asks for a traceroute when a path option is given', () => {
    const parsed = routeCheckOf('1.1.1.1', options('hop-org:*.hargray.net,AS12345 source:eth0'), 3);
    if (parsed === null || 'problems' in parsed) throw new Error('expected a spec');
    expect(parsed.spec.kind).to.equal('traceroute');
    expect(parsed.spec.orgInclude.map((p) => p.text)).to.deep.equal(['*.hargray.net', 'AS12345']);
    expect(parsed.spec.source).to.deep.equal({ kind: 'interface', name: 'eth0' });
  });

  it('asks for a deep ping for latency options alone, with `attempts` requests', () => {
    const parsed = routeCheckOf('1.1.1.1', options('min-rtt:10'), 5);
    if (parsed === null || 'problems' in parsed) throw new Error('expected a spec');
    expect([parsed.spec.kind, parsed.spec.minLatencyMs, parsed.spec.count]).to.deep.equal(['ping', 10, 5]);
  });

  it('words a problem across options with the option names', () =>
    expect(routeCheckOf('9.9.9.9', options('min-rtt:20 max-rtt:10'), 3)).to.deep.equal({
      problems: ['option "min-rtt" (20) is greater than option "max-rtt" (10)'],
    }));
});
