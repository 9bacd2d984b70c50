import type { ChartPoint } from './status-board.js';

const WIDTH = 600;
const HEIGHT = 160;
const LOSS_COLOUR = '#e53e3e';
const RTT_COLOUR = '#3182ce';

/**
 * A latency/loss chart as inline SVG: the RTT as a line (its scale on the left), loss as red bars from the
 * bottom (100 % = full height). Server-rendered, so it needs no script and no chart library, and scales to
 * the phone's width through its viewBox.
 */
export function latencyChart(points: readonly ChartPoint[]): string {
  if (points.length === 0) return '<p>No RTT measured yet.</p>';
  const first = points[0]!.at;
  const span = Math.max(1, points.at(-1)!.at - first);
  const rtts = points.map((p) => p.rttMs).filter((ms): ms is number => ms !== null);
  const top = Math.max(1, ...rtts) * 1.1;
  const x = (at: number) => ((at - first) / span) * (WIDTH - 40) + 36;
  const y = (ms: number) => HEIGHT - 16 - (ms / top) * (HEIGHT - 24);
  const barWidth = Math.max(1, (WIDTH - 40) / points.length);
  const bars = points
    .filter((p) => (p.lossPercent ?? 0) > 0)
    .map((p) => {
      const h = ((p.lossPercent as number) / 100) * (HEIGHT - 24);
      return `<rect x="${x(p.at).toFixed(1)}" y="${(HEIGHT - 16 - h).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${LOSS_COLOUR}" opacity=".6"/>`;
    })
    .join('');
  // A gap in the line where nothing answered, rather than a line drawn across the outage.
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.rttMs === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
    } else current.push(`${x(p.at).toFixed(1)},${y(p.rttMs).toFixed(1)}`);
  }
  if (current.length > 0) segments.push(current.join(' '));
  const lines = segments
    .map((pts) =>
      pts.includes(' ')
        ? `<polyline points="${pts}" fill="none" stroke="${RTT_COLOUR}" stroke-width="1.5"/>`
        : `<circle cx="${pts.split(',')[0]}" cy="${pts.split(',')[1]}" r="2" fill="${RTT_COLOUR}"/>`,
    )
    .join('');
  const label = (ms: number) =>
    `<text x="2" y="${(y(ms) + 4).toFixed(1)}" font-size="10" fill="currentColor">${ms.toFixed(ms < 10 ? 1 : 0)}</text>`;
  return (
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width:${WIDTH}px" role="img" ` +
    `aria-label="RTT in ms (line) and loss in percent (red bars)">` +
    `<line x1="36" x2="${WIDTH}" y1="${HEIGHT - 16}" y2="${HEIGHT - 16}" stroke="currentColor" opacity=".3"/>` +
    `${label(0)}${label(top / 1.1)}${bars}${lines}` +
    `<text x="36" y="${HEIGHT - 2}" font-size="10" fill="currentColor">RTT ms (blue), loss % (red)</text></svg>`
  );
}

/**
 * The chart's data as uPlot takes it: one array of times (seconds) and one per series (median, min, max
 * RTT in ms; loss in percent), null where nothing was measured.
 */
export function chartData(points: readonly ChartPoint[]): (number | null)[][] {
  return [
    points.map((p) => Math.round(p.at / 1000)),
    points.map((p) => p.rttMs),
    points.map((p) => p.minMs ?? null),
    points.map((p) => p.maxMs ?? null),
    points.map((p) => p.lossPercent),
  ];
}

/**
 * Draws the uPlot chart in place of the SVG (which stays for a browser without JS, or when uPlot did not
 * load): median RTT as a line, min–max as a band, loss as bars on a 0–100 % scale on the right. The
 * instance is kept as `window.pwChart`.
 */
const CHART_SCRIPT =
  "(function(){var el=document.getElementById('chart'),src=document.getElementById('chart-data');" +
  'if(!window.uPlot||!el||!src)return;var d=JSON.parse(src.textContent);if(!d[0].length)return;' +
  "var c=getComputedStyle(document.body).color,ax={stroke:c,grid:{stroke:'rgba(128,128,128,.2)'}};" +
  // Times in UTC, as everywhere on the pages (uPlot would show the browser's zone).
  "var o={width:Math.max(280,Math.min(el.clientWidth||600,900)),height:220,tzDate:function(t){return uPlot.tzDate(new Date(t*1e3),'Etc/UTC');}," +
  'scales:{x:{time:true},ms:{},pct:{range:[0,100]}},' +
  "series:[{},{label:'median ms',scale:'ms',stroke:'" +
  RTT_COLOUR +
  "',width:1.5,spanGaps:false},{label:'min ms',scale:'ms',stroke:'rgba(49,130,206,.4)'}," +
  "{label:'max ms',scale:'ms',stroke:'rgba(49,130,206,.4)'},{label:'loss %',scale:'pct',stroke:'" +
  LOSS_COLOUR +
  "',fill:'rgba(229,62,62,.3)',paths:uPlot.paths.bars({size:[0.9,8]})}]," +
  "bands:[{series:[3,2],fill:'rgba(49,130,206,.15)'}]," +
  "axes:[ax,Object.assign({scale:'ms',label:'RTT ms'},ax),Object.assign({scale:'pct',side:1,label:'loss %',grid:{show:false}},ax)]};" +
  "el.textContent='';var u=window.pwChart=new uPlot(o,d,el);" +
  // uPlot has a fixed size: follow the window (a phone turned sideways).
  "addEventListener('resize',function(){u.setSize({width:Math.max(280,Math.min(el.clientWidth||600,900)),height:220});});})();";

/**
 * The host page's chart: the SVG drawn here (works without JS), its data as JSON, and uPlot (served by the
 * daemon at `scriptPath`/`stylePath`) drawing the interactive chart over it.
 */
export function chartSection(
  points: readonly ChartPoint[],
  assets: { readonly scriptPath: string; readonly stylePath: string },
): string {
  // Numbers and nulls only, but `<` is escaped anyway so the JSON can never end the script element.
  const json = JSON.stringify(chartData(points)).replace(/</g, '\\u003c');
  return (
    `<div id=chart>${latencyChart(points)}</div>` +
    `<script type=application/json id=chart-data>${json}</script>` +
    `<link rel=stylesheet href=${assets.stylePath}><script src=${assets.scriptPath}></script>` +
    `<script>${CHART_SCRIPT}</script>`
  );
}
