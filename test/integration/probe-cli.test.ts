import { expect } from 'chai';

import { runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';

describe('integration: pingwarden probe', function () {
  this.timeout(30_000);
  let site: TempSite | undefined;
  after(async () => site?.remove());

  it('exits 0 when every check passes, and prints a table', async () => {
    const result = await runCli([
      'probe',
      '--target',
      '127.0.0.1',
      '--max-latency-ms',
      '100',
      '--config',
      '/nonexistent',
    ]);
    expect(result.code, result.output()).to.equal(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).to.equal('ping 127.0.0.1: HEALTHY');
    expect(lines[2]).to.equal('  check        result  reason');
    expect(lines[3]).to.equal('  reachable    pass    127.0.0.1 answered 3 of 3');
    expect(lines[4]).to.match(/^ {2}max-latency {2}pass {4}slowest reply [0-9.]+ ms <= 100 ms$/);
  });

  it('exits 1 when a check fails, and --json prints the HTTP report', async () => {
    const result = await runCli([
      'probe',
      '--target',
      '127.0.0.1',
      '--min-latency-ms',
      '5000',
      '--count',
      '1',
      '--json',
      '--config',
      '/nonexistent',
    ]);
    expect(result.code, result.output()).to.equal(1);
    const report = JSON.parse(result.stdout) as {
      verdict: string;
      checks: { check: string; passed: boolean }[];
    };
    expect(report.verdict).to.equal('unhealthy');
    expect(report.checks.map((c) => [c.check, c.passed])).to.deep.equal([
      ['reachable', true],
      ['min-latency', false],
    ]);
  });

  it('runs a traceroute for route checks, with orgs.csv from --config', async () => {
    site = await tempSite({
      'orgs.csv': '127.0.0.0/8,AS64599 Loopback\n',
      'settings.csv': 'timeout_seconds,1\n',
    });
    const result = await runCli([
      'probe',
      '--target',
      '127.0.0.1',
      '--route-include',
      '127.0.0.0/8',
      '--hop-org-exclude',
      'AS64500',
      '--hop-org-include',
      'AS64599',
      '--config',
      site.configDir,
    ]);
    expect(result.code, result.output()).to.equal(0);
    expect(result.stdout).to.include('traceroute 127.0.0.1: HEALTHY');
    expect(result.stdout).to.match(/^ {3}1 {2}127\.0\.0\.1 \[AS64599 Loopback\] {2}[0-9. ]+ ms$/m);
  });

  const bad: [string, string[], string[]][] = [
    ['an option as target', ['--target', '-f'], ['pingwarden: --target "-f" must not start with "-"']],
    [
      'several bad values',
      ['--target', 'h', '--count', '99', '--route-include', 'x'],
      [
        'pingwarden: --count must be an integer from 1 to 20, got "99"',
        'pingwarden: --route-include "x" is not an IP address or CIDR range',
      ],
    ],
  ];
  for (const [name, args, messages] of bad) {
    it(`exits 2 for ${name}, without a stack trace`, async () => {
      const result = await runCli(['probe', ...args, '--config', '/nonexistent']);
      expect(result.code).to.equal(2);
      expect(result.stderr.trim().split('\n')).to.deep.equal(messages);
    });
  }
});
