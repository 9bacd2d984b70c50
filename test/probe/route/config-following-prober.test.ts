import { expect } from 'chai';

import { parseOrgs, type OrgPrefix } from '../../../lib/config/parse-orgs.js';
import type { Settings } from '../../../lib/config/types.js';
import { ConfigErrors } from '../../../lib/shared/errors.js';
import { parseCheckSpec } from '../../../lib/config/check-spec.js';
import { ConfigFollowingProber } from '../../../lib/probe/route/config-following-prober.js';
import type { DeepProbeReport } from '../../../lib/probe/route/deep-probe-result.js';
import { testSettings } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';

describe('ConfigFollowingProber', () => {
  const spec = (() => {
    const parsed = parseCheckSpec('ping', { Target: '192.0.2.1' });
    if (!parsed.ok) throw new Error('bad spec');
    return parsed.spec;
  })();

  it('rebuilds on new settings or a changed orgs.csv, keeps the last good orgs.csv, and not otherwise', async () => {
    let settings: Settings = testSettings;
    let stamp = 'a';
    let orgsText: string | null = '192.0.2.0/24,AS1 One\n';
    const builds: [number, string[] | null][] = [];
    const log = new FakeLog();
    const prober = new ConfigFollowingProber({
      settings: () => settings,
      orgsStamp: () => Promise.resolve(stamp),
      loadOrgs: () => {
        if (orgsText === null) return Promise.resolve(null);
        const { prefixes, errors } = parseOrgs(orgsText, 'config/orgs.csv');
        if (errors.length > 0) return Promise.reject(new ConfigErrors([...errors]));
        return Promise.resolve([...prefixes]);
      },
      build: (s, prefixes: readonly OrgPrefix[] | null) => {
        builds.push([s.timeoutSeconds, prefixes?.map((p) => p.org) ?? null]);
        return { probe: () => Promise.resolve({ verdict: 'healthy' } as DeepProbeReport) };
      },
      log,
    });
    await prober.probe(spec);
    await prober.probe(spec);
    settings = { ...testSettings, timeoutSeconds: 5 };
    await prober.probe(spec);
    orgsText = 'not a prefix,AS2\n';
    stamp = 'b';
    await prober.probe(spec);
    orgsText = null;
    stamp = 'c';
    await prober.probe(spec);
    expect(builds).to.deep.equal([
      [2, ['AS1 One']],
      [5, ['AS1 One']],
      [5, null],
    ]);
    expect(log.matching('ERROR orgs.csv is invalid')).to.deep.equal([
      'ERROR orgs.csv is invalid; keeping the last good one error="config/orgs.csv:1: invalid prefix \\"not a prefix\\": write it as address/length, e.g. 203.0.113.0/24"',
    ]);
    expect(log.matching('INFO orgs.csv reloaded')).to.deep.equal(['INFO orgs.csv reloaded prefixes=0']);
  });
});
