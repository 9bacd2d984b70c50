import type { DeepProbeReport } from './deep-probe-result.js';

/**
 * A deep-probe report as a person reads it in a terminal: the verdict, one row per check, the RTTs and,
 * for a traceroute, the hops with their owners.
 */
export function formatProbeReport(report: DeepProbeReport): string {
  const lines: string[] = [];
  const from = report.source ? ` from ${report.source}` : '';
  const resolved =
    report.destination && report.destination !== report.target ? ` (${report.destination})` : '';
  lines.push(`${report.kind} ${report.target}${resolved}${from}: ${report.verdict.toUpperCase()}`);
  const width = Math.max(5, ...report.checks.map((check) => check.check.length));
  lines.push('');
  lines.push(`  ${'check'.padEnd(width)}  result  reason`);
  for (const check of report.checks) {
    lines.push(
      `  ${check.check.padEnd(width)}  ${(check.passed ? 'pass' : 'FAIL').padEnd(6)}  ${check.reason}`,
    );
  }
  lines.push('');
  lines.push(`RTTs: ${report.rttsMs.length > 0 ? `${report.rttsMs.join(', ')} ms` : 'none'}`);
  if (report.kind === 'traceroute') {
    lines.push('hops:');
    for (const hop of report.hops) {
      const who =
        hop.addresses.length === 0
          ? '*'
          : hop.addresses
              .map((a) => {
                const name = a.name && a.name !== a.address ? ` ${a.name}` : '';
                const org =
                  a.org === null
                    ? ''
                    : a.org.status === 'found'
                      ? ` [${a.org.org}]`
                      : a.org.status === 'failed'
                        ? ' [lookup failed]'
                        : ' [org unknown]';
                return `${a.address}${name}${org}`;
              })
              .join(', ');
      const rtts = hop.rttsMs.length > 0 ? `  ${hop.rttsMs.join(' ')} ms` : '';
      const notes = hop.annotations.length > 0 ? `  ${hop.annotations.join(' ')}` : '';
      lines.push(`  ${String(hop.ttl).padStart(2)}  ${who}${rtts}${notes}`);
    }
  }
  return lines.join('\n');
}
