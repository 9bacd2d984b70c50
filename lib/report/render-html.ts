import { formatDuration } from '../shared/format-duration.js';
import { qualityGraph, qualityLegend } from './quality-graph.js';
import type { HostReport, Report, SegmentKind } from './report-model.js';
import {
  allOutages,
  labelText,
  formatReportTime,
  outageTable,
  qualityCells,
  QUALITY_HEADER,
  reportTitle,
  summaryTable,
} from './report-text.js';

/** Timeline colours: up green, degraded amber, down red, flapping purple, unknown grey, maintenance blue. */
export const TIMELINE_COLOURS: Readonly<Record<SegmentKind, string>> = {
  up: '#2e9d4a',
  degraded: '#f0a30a',
  down: '#d62728',
  flapping: '#8e44ad',
  unknown: '#a0a0a0',
  maintenance: '#3182ce',
};

/**
 * Drawing order: short stretches that matter (a five-minute outage in a year is far below a pixel) are drawn
 * at least {@link MIN_MARK_WIDTH} wide and over the others (0), an outage on top of everything.
 */
const DRAW_ORDER = {
  up: 0,
  unknown: 0,
  maintenance: 0,
  degraded: 1,
  flapping: 2,
  down: 3,
} as const satisfies Record<SegmentKind, number>;

/** The legend's words for each kind; degraded, flapping and maintenance only when the report has some. */
const LEGEND_TEXT = {
  up: 'up',
  degraded: 'degraded (answering with loss or delay; counts as available)',
  down: 'down',
  flapping: 'flapping (answering and not by turns; counts neither way)',
  unknown: 'unknown',
  maintenance: 'maintenance',
} as const satisfies Record<SegmentKind, string>;

const WIDTH = 1000;
const BAR_HEIGHT = 28;
const AXIS_HEIGHT = 18;
/** An outage of a few minutes in a year is far below one pixel; drawn this wide it can still be seen. */
const MIN_MARK_WIDTH = 1.5;

/**
 * The report as one self-contained HTML page (inline CSS and SVG, nothing fetched): the summary table, a
 * timeline per host and the outage list. It prints to PDF from a browser with its colours kept.
 */
export function renderHtml(report: Report): string {
  const outages = allOutages(report);
  const summary = summaryTable(report);
  const title = reportTitle(report);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">Generated ${escapeHtml(formatReportTime(report.generatedAt))} UTC.
Availability counts only the time the monitor was running: <span class="key unknown"></span> unknown time
(the monitor was not running) counts neither as up nor as down.${availabilityRule(report)}</p>
<h2>Summary</h2>
${htmlTable(summary.header, summary.rows, 'summary')}
<h2>Timeline</h2>
${timelineLegend(report)}
${report.hosts.map((host) => timeline(host, report)).join('\n')}
${qualitySection(report)}<h2>Outages</h2>
${
  outages.length === 0
    ? '<p>No outages.</p>'
    : `<p class="note">Each start and end is known to within the time after ±: the host changed at most that long before.</p>
${htmlTable(outageTable(outages).header, outageTable(outages).rows, 'outages')}`
}
</body>
</html>
`;
}

/** The timeline legend: each kind's colour and words, then white for time the host was not listed. */
export function timelineLegend(report: Report): string {
  const shown = (Object.keys(LEGEND_TEXT) as SegmentKind[]).filter(
    (kind) => ALWAYS_IN_LEGEND.has(kind) || report.hosts.some((host) => timeOf(host, kind) > 0),
  );
  const keys = shown.map((kind) => `<span class="key ${kind}"></span> ${escapeHtml(LEGEND_TEXT[kind])}`);
  return `<p class="legend">${keys.join(' ')} <span class="key none"></span> not in hosts.csv</p>`;
}

const ALWAYS_IN_LEGEND: ReadonlySet<SegmentKind> = new Set(['up', 'down', 'unknown']);

function timeOf(host: HostReport, kind: SegmentKind): number {
  const time = {
    up: host.upMs,
    degraded: host.degradedMs,
    down: host.downMs,
    flapping: host.flappingMs,
    unknown: host.unknownMs,
    maintenance: host.maintenanceMs,
  } satisfies Record<SegmentKind, number>;
  return time[kind];
}

/** The rule for degraded and flapping time, for the note above the summary, when the report has any. */
function availabilityRule(report: Report): string {
  let rule = '';
  if (report.hosts.some((host) => host.degradedMs > 0)) {
    rule += `\n<span class="key degraded"></span> Degraded time (answering, with loss or RTT over the thresholds) counts as available.`;
  }
  if (report.hosts.some((host) => host.flappingMs > 0)) {
    rule += `\n<span class="key flapping"></span> Flapping time (answering and not by turns) counts neither way.`;
  }
  return rule;
}

/** SmokePing-style RTT and loss graphs, for the hosts the quality series has columns for. */
export function qualitySection(report: Report): string {
  const graphed = report.hosts.filter((host) => host.qualityPoints.length > 0);
  if (graphed.length === 0) return '';
  const since = report.since.getTime();
  const until = report.until.getTime();
  return `<h2>Link quality</h2>
${qualityLegend()}
${graphed
  .map(
    (host) => `<section class="host">
<h3>${escapeHtml(host.host)}${labelText(host) === '' ? '' : ` — ${escapeHtml(labelText(host))}`} <small>${escapeHtml(
      qualityCells(host)
        .map((cell, i) => `${QUALITY_HEADER[i]} ${cell}`)
        .join(', '),
    )}</small></h3>
${qualityGraph(host, since, until)}
</section>`,
  )
  .join('\n')}
`;
}

/** A host's up/down/unknown timeline over the report window, as inline SVG. */
export function timeline(host: HostReport, report: Report): string {
  const since = report.since.getTime();
  const span = Math.max(1, report.until.getTime() - since);
  const x = (time: number) => ((time - since) / span) * WIDTH;
  // Down, flapping and degraded stretches are drawn last, so that a neighbouring up stretch never paints over
  // a short one. Only those and unknown stretches get a hover title: the up ones are the time in between.
  const rects: { order: number; svg: string }[] = [];
  for (const segment of host.segments) {
    const left = x(segment.start);
    const order = DRAW_ORDER[segment.kind];
    let width = x(segment.end) - left;
    if (order > 0) width = Math.max(width, MIN_MARK_WIDTH);
    const title =
      segment.kind === 'up'
        ? ''
        : `<title>${segment.kind} ${formatReportTime(new Date(segment.start))} to ${formatReportTime(new Date(segment.end))}</title>`;
    rects.push({
      order,
      svg: `<rect class="${segment.kind}" x="${left.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="${BAR_HEIGHT}" fill="${TIMELINE_COLOURS[segment.kind]}">${title}</rect>`,
    });
  }
  rects.sort((a, b) => a.order - b.order);
  const ticks = timelineAxisLabels(since, span).map(({ share, label }) => {
    const anchor = share === 0 ? 'start' : share === 1 ? 'end' : 'middle';
    return `<text x="${(share * WIDTH).toFixed(2)}" y="${BAR_HEIGHT + 13}" text-anchor="${anchor}">${label}</text>`;
  });
  return `<section class="host">
<h3>${escapeHtml(host.host)}${labelText(host) === '' ? '' : ` — ${escapeHtml(labelText(host))}`} <small>${escapeHtml(
    timelineCaption(host),
  )}</small></h3>
<svg class="timeline" viewBox="0 0 ${WIDTH} ${BAR_HEIGHT + AXIS_HEIGHT}" role="img" aria-label="${escapeHtml(`timeline of ${host.host}`)}">
<rect x="0" y="0" width="${WIDTH}" height="${BAR_HEIGHT}" fill="#ffffff" stroke="#cccccc"/>
${rects.map((rect) => rect.svg).join('\n')}
${ticks.join('\n')}
</svg>
</section>`;
}

/**
 * The words beside a timeline, so that it reads without colour (printed in black and white):
 * `77.500% available; degraded 1h 0m 0s; flapping 30m 0s`.
 */
export function timelineCaption(host: HostReport): string {
  const parts = [
    host.availabilityPercent === null ? 'no data' : `${host.availabilityPercent.toFixed(3)}% available`,
  ];
  if (host.downMs > 0) parts.push(`down ${formatDuration(host.downMs)}`);
  if (host.degradedMs > 0) parts.push(`degraded ${formatDuration(host.degradedMs)}`);
  if (host.flappingMs > 0) parts.push(`flapping ${formatDuration(host.flappingMs)}`);
  return parts.join('; ');
}

/** A table of text cells; a `description` column may wrap. */
export function htmlTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  className: string,
): string {
  const head = header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  // Numbers and times stay on one line; free text (a description) may wrap so the table fits the page.
  const wrap = header.indexOf('description');
  const body = rows
    .map(
      (row) =>
        `<tr>${row.map((cell, i) => (i === wrap ? `<td class="wrap">` : '<td>') + `${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table class="${className}"><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Text made safe inside HTML elements and attributes. */
export function escapeHtml(text: string): string {
  if (!/[&<>"']/.test(text)) return text;
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The report's stylesheet: screen and print. */
export const REPORT_STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; color: #222; margin: 2em auto; max-width: 1100px; padding: 0 1em; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; } h3 { font-size: 1em; margin: 0.8em 0 0.2em; }
h3 small { font-weight: normal; color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; white-space: nowrap; }
th { background: #f0f0f0; white-space: normal; vertical-align: bottom; }
td + td { font-variant-numeric: tabular-nums; }
td.wrap { white-space: normal; min-width: 8em; }
.note, .legend { color: #444; }
.key { display: inline-block; width: 1em; height: 1em; vertical-align: -0.15em; border-radius: 2px; }
.key.up { background: ${TIMELINE_COLOURS.up}; } .key.down { background: ${TIMELINE_COLOURS.down}; }
.key.unknown { background: ${TIMELINE_COLOURS.unknown}; } .key.none { background: #fff; border: 1px solid #ccc; }
.key.maintenance { background: ${TIMELINE_COLOURS.maintenance}; }
.key.degraded { background: ${TIMELINE_COLOURS.degraded}; } .key.flapping { background: ${TIMELINE_COLOURS.flapping}; }
svg.timeline { display: block; width: 100%; height: auto; overflow: visible; }
svg.timeline text { font-size: 11px; fill: #444; }
svg.quality { display: block; width: 100%; height: auto; overflow: visible; }
svg.quality text { font-size: 10px; fill: #444; }
.host { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table { page-break-inside: auto; } tr { break-inside: avoid; }
}
`;

/**
 * The axis labels of a timeline at 0, ¼, ½, ¾ and the end: to the minute, or to the second when ticks are
 * less than a minute apart; a label equal to the one before is left out (a 2-minute window would say the
 * same minute three times).
 */
export function timelineAxisLabels(since: number, span: number): { share: number; label: string }[] {
  const length = span / 4 < 60_000 ? 19 : 16;
  const labels: { share: number; label: string }[] = [];
  for (const share of [0, 0.25, 0.5, 0.75, 1]) {
    const label = formatReportTime(new Date(since + share * span)).slice(0, length);
    if (labels.at(-1)?.label !== label) labels.push({ share, label });
  }
  return labels;
}
