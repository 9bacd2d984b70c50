import { FAULT_LAYERS, type FaultLayer, type TraceSnapshot } from '../shared/fault-evidence.js';
import { formatDuration } from '../shared/format-duration.js';
import { escapeHtml, htmlTable, qualitySection, REPORT_STYLE, timeline } from './render-html.js';
import type { Outage, Report } from './report-model.js';
import { allOutages, formatReportTime, formatUncertainTime, summaryTable } from './report-text.js';

/**
 * The layers that are the provider's to fix: the modem and its line (the WAN side of the plug-cycled modem)
 * and the ISP's network beyond it. LAN, gateway and remote-only outages are the customer's or someone else's.
 */
export const ISP_SIDE_LAYERS: ReadonlySet<FaultLayer> = new Set<FaultLayer>(['modem-WAN', 'ISP']);

/** What the evidence pack says of one outage's side. */
export type OutageSide = 'ISP' | 'not ISP' | 'not known';

/** Whether an outage was on the provider's side, from its fault layer. */
export function outageSide(outage: Outage): OutageSide {
  if (outage.faultLayer === null) return 'not known';
  return ISP_SIDE_LAYERS.has(outage.faultLayer) ? 'ISP' : 'not ISP';
}

/** Options of {@link renderIspHtml}. */
export interface IspPackOptions {
  /** The machine the monitor ran on, named in the header. */
  readonly monitorName: string;
}

const LAYER_WORDS: Readonly<Record<FaultLayer, string>> = {
  LAN: 'the local network (LAN)',
  gateway: 'the router / default gateway',
  'modem-WAN': 'the modem or its line (WAN)',
  ISP: "the provider's network (ISP)",
  remote: 'only the remote host',
};

/**
 * The ISP evidence pack (`report --for-isp`, and the page `--format pdf` prints): one document for a
 * provider's support line. It states the period and how it was measured, the totals on the provider's side
 * first, then every outage with start and end to their precision, its fault layer and power cycles, the path
 * traced at failure, availability per host, the timelines and the link-quality graphs.
 */
export function renderIspHtml(report: Report, options: IspPackOptions): string {
  const outages = allOutages(report);
  const ispOutages = outages.filter((outage) => outageSide(outage) === 'ISP');
  const unknownSide = outages.filter((outage) => outageSide(outage) === 'not known');
  // Time with at least one of the outages open, inside the period: three anchors down together are one
  // stretch of lost service, and an outage begun before the period or still going on is cut to it.
  const since = report.since.getTime();
  const until = report.until.getTime();
  const downMs = (list: readonly Outage[]) => openTimeMs(list, since, until);
  const powerCycles = outages.reduce((sum, outage) => sum + outage.powerCycles, 0);
  const period = `${formatReportTime(report.since)} to ${formatReportTime(report.until)} UTC`;
  const title = `Internet outage evidence, ${period}`;
  const summary = summaryTable(report);
  const traced = outages.filter((outage) => outage.traces.length > 0);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_STYLE}${ISP_STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="note">Measured by pingwarden on ${escapeHtml(options.monitorName)}; generated
${escapeHtml(formatReportTime(report.generatedAt))} UTC. All times are UTC.</p>
<h2>In short</h2>
<ul class="facts">
<li>Period: ${escapeHtml(period)} (${escapeHtml(formatDuration(report.until.getTime() - report.since.getTime(), { units: 2 }))}).</li>
<li>Outages on the provider's side (modem/line or ISP network): <b>${ispOutages.length}</b>, down
<b>${escapeHtml(formatDuration(downMs(ispOutages)))}</b> in the period.</li>
<li>All outages seen: ${outages.length}, down ${escapeHtml(formatDuration(downMs(outages)))} in the period${
    unknownSide.length > 0 ? `; ${unknownSide.length} without a known fault layer` : ''
  }.</li>
<li>Automatic modem power cycles during outages: ${powerCycles}.</li>
${qualityFacts(report)}</ul>
<h2>How this was measured</h2>
<p class="note">Every monitored host is checked each cycle with several attempts. An outage starts at the
first failed check and ends at the first answer; each start and end is exact to within the time after ±
(the time since the check before). Time the monitor was not running is unknown and counts neither way.
The fault layer says where the break was, from what answered at the time:
${FAULT_LAYERS.map((layer) => `<b>${escapeHtml(layer)}</b> = ${escapeHtml(LAYER_WORDS[layer])}`).join('; ')}.
Outages at <b>modem-WAN</b> or <b>ISP</b> are counted as the provider's side.
Each check sends several echo requests: a host that answers, but with packet loss or round-trip time over
the limits set, pooled over its last cycles, is <b>degraded</b> (counted as available, and shown in its own
column and colour); a host that keeps changing between answering and not is <b>flapping</b> (counted
neither as available nor as down).</p>
<h2>Outages</h2>
${outages.length === 0 ? '<p>No outages in this period.</p>' : htmlTable(OUTAGE_HEADER, outages.map(outageRow), 'outages')}
${traced.length === 0 ? '' : `<h2>Path at failure (traceroute)</h2>\n${traced.map(traceSection).join('\n')}`}
<h2>Availability per host</h2>
${htmlTable(summary.header, summary.rows, 'summary')}
<h2>Timeline</h2>
${report.hosts.map((host) => timeline(host, report)).join('\n')}
${qualitySection(report)}
</body>
</html>
`;
}

/** The length of the union of the outages' stretches, clipped to [since, until). */
export function openTimeMs(outages: readonly Outage[], since: number, until: number): number {
  return unionMs(
    outages.map((outage) => ({ start: outage.start.getTime(), end: outage.end?.getTime() ?? until })),
    since,
    until,
  );
}

/** The length of the union of stretches (ms since the epoch, end exclusive), clipped to [since, until). */
export function unionMs(
  list: readonly { readonly start: number; readonly end: number }[],
  since: number,
  until: number,
): number {
  const stretches = list
    .map(({ start, end }) => ({ start: Math.max(start, since), end: Math.min(end, until) }))
    .filter(({ start, end }) => end > start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let reached = -Infinity;
  for (const { start, end } of stretches) {
    if (end <= reached) continue;
    total += end - Math.max(start, reached);
    reached = end;
  }
  return total;
}

/**
 * "In short" lines for degraded and flapping time: while at least one host was so (several at once count
 * once, as for outages), and how many hosts; none when no host had any.
 */
function qualityFacts(report: Report): string {
  const since = report.since.getTime();
  const until = report.until.getTime();
  const lines: string[] = [];
  const kinds = [
    { kind: 'degraded', words: 'Time with a degraded link (answering, with loss or delay over the limits)' },
    { kind: 'flapping', words: 'Time with a flapping host (answering and not by turns)' },
  ] as const;
  for (const { kind, words } of kinds) {
    const hosts = report.hosts.filter((host) => host.segments.some((segment) => segment.kind === kind));
    if (hosts.length === 0) continue;
    const stretches = hosts.flatMap((host) => host.segments.filter((segment) => segment.kind === kind));
    const count = `${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}`;
    lines.push(
      `<li>${escapeHtml(words)}: <b>${escapeHtml(formatDuration(unionMs(stretches, since, until)))}</b> in the period (${count}).</li>\n`,
    );
  }
  return lines.join('');
}

const OUTAGE_HEADER = [
  'host',
  'start (UTC)',
  'end (UTC)',
  'duration',
  'fault layer',
  'provider side',
  'power cycles',
  'why that layer',
];

function outageRow(outage: Outage): string[] {
  return [
    outage.host,
    formatUncertainTime(outage.start, outage.startUncertaintyMs),
    outage.end === null ? 'ongoing' : formatUncertainTime(outage.end, outage.endUncertaintyMs ?? 0),
    formatDuration(outage.durationMs),
    outage.faultLayer ?? 'not known',
    outageSide(outage) === 'ISP' ? 'yes' : outageSide(outage) === 'not ISP' ? 'no' : 'not known',
    String(outage.powerCycles),
    outage.faultReason ?? '',
  ];
}

function traceSection(outage: Outage): string {
  return `<section class="host">
<h3>${escapeHtml(outage.host)}, outage from ${escapeHtml(formatReportTime(outage.start))}</h3>
${outage.traces.map(traceTable).join('\n')}
</section>`;
}

function traceTable(trace: TraceSnapshot): string {
  const rows = trace.hops.map((hop) => [
    String(hop.ttl),
    hop.address ?? '*',
    hop.rttMs === null ? '-' : `${hop.rttMs.toFixed(1)} ms`,
  ]);
  const when = trace.phase === 'down' ? 'when it went down' : 'when it was restored';
  const end = trace.reachedTarget ? 'reached the host' : 'did not reach the host';
  return `<p class="note">To ${escapeHtml(trace.target)}, ${when} (${escapeHtml(formatReportTime(trace.at))}); ${end}.</p>
${htmlTable(['hop', 'address', 'RTT'], rows, 'trace')}`;
}

const ISP_STYLE = `
ul.facts { padding-left: 1.2em; } ul.facts li { margin: 0.2em 0; }
table.trace { width: auto; margin-bottom: 0.6em; }
table.outages td:last-child { white-space: normal; }
@page { size: A4; margin: 14mm; }
`;
