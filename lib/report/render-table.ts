import { formatReportTime } from './report-text.js';
import type { Report } from './report-model.js';
import { allOutages, outageTable, reportTitle, summaryTable, timeKindsNote } from './report-text.js';

/** The report as aligned plain-text tables, for a terminal or an email. */
export function renderTable(report: Report): string {
  const outages = allOutages(report);
  const summary = summaryTable(report);
  const lines = [
    reportTitle(report),
    `generated ${formatReportTime(report.generatedAt)} UTC; ${timeKindsNote(report)}`,
    '',
    ...alignColumns([summary.header, ...summary.rows]),
    '',
    outages.length === 0
      ? 'No outages.'
      : `Outages (start and end ± how long before them the host may have changed):`,
  ];
  if (outages.length > 0) {
    const table = outageTable(outages);
    lines.push(...alignColumns([table.header, ...table.rows]));
  }
  return `${lines.join('\n')}\n`;
}

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}
