import type { Report } from './report-model.js';
import { allOutages, formatReportTime, outageTable, reportTitle, summaryTable } from './report-text.js';

/** The report as Markdown tables, for a ticket or a wiki page. */
export function renderMarkdown(report: Report): string {
  const outages = allOutages(report);
  const summary = summaryTable(report);
  const lines = [
    `# ${reportTitle(report)}`,
    '',
    `Generated ${formatReportTime(report.generatedAt)} UTC. Unknown time: the monitor was not running; it counts neither as up nor as down.${availabilityNote(report)}`,
    '',
    ...table(summary.header, summary.rows),
    '',
    '## Outages',
    '',
  ];
  if (outages.length === 0) lines.push('No outages.');
  else {
    lines.push(
      'Each start and end is known to within the time shown after ±: the host changed at most that long before.',
      '',
      ...table(outageTable(outages).header, outageTable(outages).rows),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The availability rule for degraded and flapping time, when the report has any. */
function availabilityNote(report: Report): string {
  let note = '';
  if (report.hosts.some((host) => host.degradedMs > 0)) {
    note += ' Degraded time (answering, with loss or RTT over the thresholds) counts as available.';
  }
  if (report.hosts.some((host) => host.flappingMs > 0)) {
    note += ' Flapping time (answering and not by turns) counts neither way.';
  }
  return note;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}
