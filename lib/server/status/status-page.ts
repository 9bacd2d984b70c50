import type { HostStatus } from '../../monitor/host-state.js';
import { availabilityText, percentText } from './availability-book.js';
import { BAR_CYCLES, type TargetStatus } from './status-board.js';

/** How each status looks: a colour and a shape, so it is told by text and shape, not colour alone. */
export const STATUS_LOOK = {
  UP: { colour: '#1f9d55', shape: '●' },
  DEGRADED: { colour: '#d69e2e', shape: '◆' },
  FLAPPING: { colour: '#b7791f', shape: '◈' },
  UNREACHABLE: { colour: '#718096', shape: '▲' },
  DOWN: { colour: '#e53e3e', shape: '■' },
  UNKNOWN: { colour: '#a0aec0', shape: '○' },
  MAINTENANCE: { colour: '#3182ce', shape: '◐' },
} as const satisfies Record<HostStatus, { readonly colour: string; readonly shape: string }>;

/**
 * The one-letter class of each status in the heartbeat bar: a bar of 1,000 hosts is many cells, and the
 * page must stay under 300 KB.
 */
const RUN_CLASS = {
  UP: 'u',
  DEGRADED: 'g',
  FLAPPING: 'f',
  UNREACHABLE: 'n',
  DOWN: 'd',
  UNKNOWN: 'k',
  MAINTENANCE: 'w',
} as const satisfies Record<HostStatus, string>;

/** What the page is drawn from. */
export interface StatusPageInput {
  readonly title: string;
  readonly targets: readonly TargetStatus[];
  readonly counts: Readonly<Record<HostStatus, number>>;
  readonly generatedAt: Date | null;
  readonly now: Date;
  /** The board's last event when the page was drawn: the script asks the events after it. */
  readonly eventId: number;
  /** How often the page reloads itself when JS is off (seconds). */
  readonly refreshSeconds: number;
}

/** The HTML-escaped text. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** An attribute value: bare when HTML allows it (most host names), else quoted. */
function attr(value: string): string {
  return /^[A-Za-z0-9_.:%/+-]+$/.test(value) ? value : `"${escapeHtml(value)}"`;
}

/**
 * The page's style sheet. Rows are `<li>` (their end tag may be left out), with `<b>` for the status, `<a>`
 * for the host, `<i>` for the description, `<span>` for since/RTT/loss, `<em>` for availability and `<s>`
 * for the bar: short tags instead of classes keep 1,000 rows under the 300 KB budget.
 */
export function statusStyles(): string {
  const rules = (Object.keys(STATUS_LOOK) as HostStatus[])
    .map((status) => {
      const colour = STATUS_LOOK[status].colour;
      return `.${status} b{color:${colour}}.${status} s,s .${RUN_CLASS[status]}{background:${colour}}`;
    })
    .join('');
  return (
    ':root{color-scheme:light dark;--bg:#fff;--fg:#1a202c;--mute:#4a5568;--line:#e2e8f0}' +
    '@media(prefers-color-scheme:dark){:root{--bg:#111827;--fg:#e5e7eb;--mute:#9ca3af;--line:#374151}}' +
    'body{margin:0;padding:8px;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}' +
    'h1{font-size:20px;margin:4px 0}summary{font-weight:600;padding:6px 0;cursor:pointer}' +
    'ul{list-style:none;margin:0;padding:0}' +
    'li{display:flex;flex-wrap:wrap;gap:2px 10px;padding:4px 0;border-bottom:1px solid var(--line);align-items:center}' +
    'li b{min-width:9em}li a{min-width:10em}li a,li i,li span,li em,.m{overflow-wrap:anywhere}' +
    'li i,li span,li em,.m{color:var(--mute);font-style:normal}' +
    's{display:flex;width:100%;max-width:360px;height:10px}s i{display:block;height:10px}s .e{background:var(--line)}' +
    'a{color:inherit}' +
    rules
  );
}

/**
 * The heartbeat bar. Its own background is the current status (the last run, always), so only the runs
 * before it are elements: a host that stayed UP for the whole bar is an empty `<s></s>`.
 */
function bar(target: TargetStatus): string {
  const runs: [HostStatus, number][] = [];
  for (const status of target.bar) {
    const last = runs.at(-1);
    if (last && last[0] === status) last[1]++;
    else runs.push([status, 1]);
  }
  const empty = BAR_CYCLES - target.bar.length;
  const current = runs.pop();
  if (runs.length === 0 && (empty <= 0 || current === undefined)) return '<s></s>';
  const cells = runs.map(([status, n]) => `<i class=${RUN_CLASS[status]} style=flex:${n}></i>`).join('');
  const gap = empty > 0 ? `<i class=e style=flex:${empty}></i>` : '';
  return `<s>${gap}${cells}${current ? `<i style=flex:${current[1]}></i>` : ''}</s>`;
}

export { percentText };

/** "since 2026-03-01 20:01 (3m 5s)" (UTC) from an ISO time. */
export function sinceText(since: string | null, now: Date): string {
  if (since === null) return '';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(since)) / 1000));
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const span = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
  // Every time on the page is UTC (the header says so once, not on every row).
  return `since ${since.slice(0, 16).replace('T', ' ')} (${span})`;
}

/** The row of one target; also what the page's script puts in place of the old row on an event. */
export function row(target: TargetStatus, now: Date): string {
  const look = STATUS_LOOK[target.status];
  const rtt = target.rtt_ms === null ? '' : ` ${target.rtt_ms.toFixed(1)} ms`;
  const loss = target.loss_percent === null ? '' : ` ${target.loss_percent}% loss`;
  const meta = `${escapeHtml(sinceText(target.since, now))}${rtt}${loss}`.trim();
  const availText = target.availability ? `<em>${availabilityText(target.availability)}</em>` : '';
  const host = escapeHtml(target.host);
  const name =
    target.kind === 'host'
      ? `<a href=${attr(`/host/${encodeURIComponent(target.host)}`)}>${host}</a>`
      : `<a>${host}</a>`;
  const description = target.description === '' ? '' : `<i>${escapeHtml(target.description)}</i>`;
  return (
    `<li id=${attr(`h:${target.host}`)} class=${target.status}><b>${look.shape} ${escapeHtml(target.word ?? target.status)}</b>` +
    `${name}${description}${meta === '' ? '' : `<span>${meta}</span>`}${availText}${bar(target)}`
  );
}

/** The overview line: "3 of 120 down". */
export function overview(counts: Readonly<Record<HostStatus, number>>): string {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const bad = counts.DOWN + counts.UNREACHABLE;
  const extra = (['DEGRADED', 'FLAPPING', 'UNKNOWN'] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `, ${counts[status]} ${status.toLowerCase()}`)
    .join('');
  return `${bad} of ${total} down${extra}`;
}

// Kept tiny: it asks for the events after the ones the page was drawn with, reconnects by itself
// (EventSource does, sending Last-Event-ID) and patches rows in place. A snapshot means the server could
// not catch this page up: reload it.
const SCRIPT =
  '(function(){if(!window.EventSource){setTimeout(function(){location.reload();},document.body.dataset.rf*1000);return;}' +
  "var es=new EventSource('/api/v1/events?since='+document.body.dataset.ev);es.addEventListener('cycle',function(e){var d=JSON.parse(e.data);" +
  "document.getElementById('ov').textContent=d.overview;d.rows.forEach(function(r){var t=document.createElement('div');t.innerHTML=r.html;" +
  "var n=t.firstChild,o=document.getElementById('h:'+r.host);if(o)o.replaceWith(n);else location.reload();});" +
  "if(d.removed.length)location.reload();});es.addEventListener('snapshot',function(){location.reload();});})();";

/** The whole page: server-rendered, refreshing itself without JS, patched live by SSE with JS. */
export function renderStatusPage(input: StatusPageInput): string {
  const groups = new Map<string, TargetStatus[]>();
  for (const target of input.targets) {
    const key = target.location === '' ? '(no location)' : target.location;
    const list = groups.get(key) ?? [];
    list.push(target);
    groups.set(key, list);
  }
  const sections = [...groups]
    .map(([location, list]) => {
      const down = list.filter((t) => t.status === 'DOWN' || t.status === 'UNREACHABLE').length;
      return `<details open><summary>${escapeHtml(location)} (${list.length}${down > 0 ? `, ${down} down` : ''})</summary><ul>${list.map((t) => row(t, input.now)).join('')}</ul></details>`;
    })
    .join('');
  const generated = input.generatedAt
    ? `last cycle ${input.generatedAt.toISOString().slice(0, 19).replace('T', ' ')} · times in UTC`
    : 'waiting for the first cycle';
  return (
    `<!doctype html><html lang=en><head><meta charset=utf-8>` +
    `<meta name=viewport content="width=device-width,initial-scale=1">` +
    // In <noscript>: a refresh, once parsed, happens even if a script removes the element later, and with
    // JS the page is kept current by events instead.
    `<noscript><meta http-equiv=refresh content=${input.refreshSeconds}></noscript>` +
    `<title>${escapeHtml(input.title)}</title><style>${statusStyles()}</style></head><body data-ev=${input.eventId} data-rf=${input.refreshSeconds}>` +
    `<h1>${escapeHtml(input.title)}</h1><p><strong id=ov>${overview(input.counts)}</strong> · <span class=m>${generated}</span></p>` +
    `${sections}<script>${SCRIPT}</script></body></html>`
  );
}

/** A shields-style SVG badge: a grey label and a coloured value. */
export function badge(label: string, value: string, colour: string): string {
  const w = (text: string) => 10 + text.length * 7;
  const lw = w(label);
  const vw = w(value);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${escapeHtml(label)}: ${escapeHtml(value)}">` +
    `<rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${colour}"/>` +
    `<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">` +
    `<text x="${lw / 2}" y="14">${escapeHtml(label)}</text><text x="${lw + vw / 2}" y="14">${escapeHtml(value)}</text></g></svg>`
  );
}
