import type { QualityPoint } from './quality-summary.js';
import type { HostReport, SegmentKind } from './report-model.js';
import { formatReportTime } from './report-text.js';

/** Median line colours by the column's loss, SmokePing's idea: green without loss, red when most is lost. */
export const LOSS_CLASSES: readonly {
  readonly upTo: number;
  readonly colour: string;
  readonly label: string;
}[] = [
  { upTo: 0, colour: '#109618', label: '0%' },
  { upTo: 5, colour: '#1f5fd6', label: '≤5%' },
  { upTo: 20, colour: '#8e44c4', label: '≤20%' },
  { upTo: 50, colour: '#f08c00', label: '≤50%' },
  { upTo: 100, colour: '#d0021b', label: '>50%' },
];
/** The min–max band ("smoke") and the shading of outages, flapping and unknown time. */
export const GRAPH_COLOURS = {
  band: '#bcbcbc',
  outage: '#ffc8c8',
  flapping: '#eadcf5',
  unknown: '#ececec',
} as const;

/** How the graph shades each kind of time: up and degraded not at all (the line and strip show them). */
const SHADE = {
  up: null,
  degraded: null,
  down: GRAPH_COLOURS.outage,
  flapping: GRAPH_COLOURS.flapping,
  unknown: GRAPH_COLOURS.unknown,
  maintenance: GRAPH_COLOURS.unknown,
} as const satisfies Record<SegmentKind, string | null>;

const WIDTH = 1000;
const LEFT = 56;
const PLOT_HEIGHT = 130;
const LOSS_STRIP = 8;
const AXIS = 18;

/** The colour of a column's loss. */
export function lossColour(lossPercent: number): string {
  return (LOSS_CLASSES.find((c) => lossPercent <= c.upTo) ?? LOSS_CLASSES[LOSS_CLASSES.length - 1]!).colour;
}

/**
 * A SmokePing-style graph of one host as inline SVG: the median RTT of each column as a line coloured by its
 * loss, the min–max band behind it, a loss strip under the plot (red where nothing answered), outages shaded
 * red and unknown time grey over the whole height. The RTT axis is linear from 0 and stops at the 95th
 * percentile of the columns' maxima (at least 1.2 × the highest median), so one spike cannot flatten the rest.
 */
export function qualityGraph(host: HostReport, since: number, until: number): string {
  const span = Math.max(1, until - since);
  const plotWidth = WIDTH - LEFT;
  const x = (time: number) => LEFT + ((Math.min(Math.max(time, since), until) - since) / span) * plotWidth;
  const points = host.qualityPoints;
  const top = axisTop(points);
  const y = (ms: number) => PLOT_HEIGHT - (Math.min(ms, top) / top) * PLOT_HEIGHT;
  const parts: string[] = [];
  parts.push(
    `<rect x="${LEFT}" y="0" width="${plotWidth}" height="${PLOT_HEIGHT}" fill="#ffffff" stroke="#cccccc"/>`,
  );
  for (const segment of host.segments) {
    const fill = SHADE[segment.kind];
    if (fill === null) continue;
    const left = x(segment.start);
    const width = Math.max(x(segment.end) - left, segment.kind === 'down' ? 1.5 : 0);
    parts.push(
      `<rect class="${segment.kind}" x="${f(left)}" y="0" width="${f(width)}" height="${PLOT_HEIGHT}" fill="${fill}"><title>${segment.kind} ${formatReportTime(new Date(segment.start))} to ${formatReportTime(new Date(segment.end))}</title></rect>`,
    );
  }
  for (let i = 1; i <= 4; i++) {
    const value = (top * i) / 4;
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH}" y1="${f(y(value))}" y2="${f(y(value))}" stroke="#e0e0e0" stroke-dasharray="2,3"/>`,
      `<text x="${LEFT - 4}" y="${f(y(value) + 4)}" text-anchor="end">${msLabel(value)}</text>`,
    );
  }
  // One path per kind of mark keeps a year's graph of a thousand hosts to a few megabytes of HTML.
  const ends = drawnEnds(points);
  const band: string[] = [];
  const medians = new Map<string, string[]>();
  const strip: { left: number; right: number; colour: string }[] = [];
  for (const [i, point] of points.entries()) {
    const left = x(point.start);
    const right = Math.max(left + 1, x(ends[i]!));
    const colour = lossColour(point.lossPercent ?? 0);
    const last = strip[strip.length - 1];
    if (last && last.colour === colour && Math.abs(last.right - left) < 0.5) last.right = right;
    else strip.push({ left, right, colour });
    if (point.minMs !== null && point.maxMs !== null) {
      const high = y(point.maxMs);
      const height = Math.max(1, y(point.minMs) - high);
      band.push(`M${f(left)} ${f(high)}h${f(right - left)}v${f(height)}h${f(left - right)}z`);
    }
    if (point.medianMs !== null) {
      const list = medians.get(colour) ?? [];
      list.push(`M${f(left)} ${f(y(point.medianMs))}H${f(right)}`);
      medians.set(colour, list);
    }
  }
  if (band.length > 0) {
    parts.push(
      `<path class="band" d="${band.join('')}" fill="${GRAPH_COLOURS.band}" shape-rendering="crispEdges"/>`,
    );
  }
  for (const run of strip) {
    parts.push(
      `<rect class="loss" x="${f(run.left)}" y="${PLOT_HEIGHT + 1}" width="${f(run.right - run.left)}" height="${LOSS_STRIP - 1}" fill="${run.colour}"/>`,
    );
  }
  for (const [colour, segments] of medians) {
    parts.push(
      `<path class="median" d="${segments.join('')}" stroke="${colour}" stroke-width="3" fill="none"/>`,
    );
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => {
    const anchor = share === 0 ? 'start' : share === 1 ? 'end' : 'middle';
    const label = formatReportTime(new Date(since + share * span)).slice(0, 16);
    return `<text x="${f(LEFT + share * plotWidth)}" y="${PLOT_HEIGHT + LOSS_STRIP + 13}" text-anchor="${anchor}">${label}</text>`;
  });
  const height = PLOT_HEIGHT + LOSS_STRIP + AXIS;
  return `<svg class="quality" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="RTT and loss of ${escapeAttribute(host.host)}">
${parts.join('\n')}
${ticks.join('\n')}
</svg>`;
}

/** The legend under the graphs' heading. */
export function qualityLegend(): string {
  const key = (colour: string) => `<span class="key" style="background:${colour}"></span>`;
  return `<p class="legend">median RTT by loss: ${LOSS_CLASSES.map((c) => `${key(c.colour)} ${c.label}`).join(' ')}; ${key(GRAPH_COLOURS.band)} min–max; ${key(GRAPH_COLOURS.outage)} outage; ${key(GRAPH_COLOURS.flapping)} flapping; ${key(GRAPH_COLOURS.unknown)} unknown</p>`;
}

/**
 * Where each column is drawn to: the next column's first cycle, so that columns narrower than the probe
 * interval do not leave false gaps; but a gap longer than twice the usual spacing (the monitor was not
 * running, or the host was not measured) stays empty.
 */
function drawnEnds(points: readonly QualityPoint[]): number[] {
  const spacings = points.slice(1).map((point, i) => point.start - points[i]!.start);
  const usual = spacings.length === 0 ? 0 : [...spacings].sort((a, b) => a - b)[spacings.length >> 1]!;
  return points.map((point, i) => {
    const next = points[i + 1];
    if (next && next.start - point.start <= 2 * usual) return next.start;
    return Math.min(point.end, point.start + (usual || point.end - point.start));
  });
}

function axisTop(points: readonly QualityPoint[]): number {
  const maxima = points.flatMap((p) => (p.maxMs === null ? [] : [p.maxMs])).sort((a, b) => a - b);
  const medians = points.flatMap((p) => (p.medianMs === null ? [] : [p.medianMs]));
  const p95 = maxima.length === 0 ? 0 : maxima[Math.max(0, Math.ceil(maxima.length * 0.95) - 1)]!;
  const wanted = Math.max(p95, 1.2 * Math.max(0, ...medians), 1);
  // A round number: 1, 2 or 5 times a power of ten.
  const power = 10 ** Math.floor(Math.log10(wanted));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= wanted) ?? 10 * power;
}

function msLabel(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s` : `${Number(ms.toPrecision(3))} ms`;
}

/** One decimal: a tenth of a unit in a 1000-wide view box is finer than any screen or printer. */
const f = (value: number) => value.toFixed(1);

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
