import type { HostStatus } from '../../monitor/host-state.js';
import { BAR_CYCLES, type TargetStatus } from './status-board.js';

/** How each status looks: a colour and a shape, so it is told by text and shape, not colour alone. */
export const STATUS_LOOK = {
  UP: { colour: '#1f9d55', shape: '●' },
  DEGRADED: { colour: '#d69e2e', shape: '◆' },
  FLAPPING: { colour: '#b7791f', shape: '◈' },
  UNREACHABLE: { colour: '#718096', shape: '▲' },
  DOWN: { colour: '#e53e3e', shape: '■' },
  UNKNOWN: { colour: '#a0aec0', shape: '○' },
} as const satisfies Record<HostStatus, { readonly colour: string; readonly shape: string }>;

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
  /** Availability per host for 24 h / 7 d / 30 d (percent), when the history is available. */
  readonly availability?: (host: string) => readonly [number | null, number | null, number | null];
}

/** The HTML-escaped text. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function styles(): string {
  const rules = Object.entries(STATUS_LOOK)
    .map(([status, look]) => `.s-${status}{background:${look.colour}}.${status} .st{color:${look.colour}}`)
    .join('');
  return (
    ':root{color-scheme:light dark;--bg:#fff;--fg:#1a202c;--mute:#4a5568;--line:#e2e8f0}' +
    '@media(prefers-color-scheme:dark){:root{--bg:#111827;--fg:#e5e7eb;--mute:#9ca3af;--line:#374151}}' +
    'body{margin:0;padding:8px;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}' +
    'h1{font-size:20px;margin:4px 0}summary{font-weight:600;padding:6px 0;cursor:pointer}' +
    '.r{display:flex;flex-wrap:wrap;gap:2px 10px;padding:4px 0;border-bottom:1px solid var(--line);align-items:center}' +
    '.st{font-weight:700;min-width:9em}.h{min-width:10em;overflow-wrap:anywhere}.d,.m{color:var(--mute);overflow-wrap:anywhere}' +
    '.b{display:flex;width:100%;max-width:360px;height:10px;gap:0}.b i{display:block;height:10px}' +
    'a{color:inherit}' +
    rules
  );
}

function bar(target: TargetStatus): string {
  // Runs of one status as one element each: a bar of 90 cycles is a handful of elements, not 90.
  const runs: [HostStatus, number][] = [];
  for (const status of target.bar) {
    const last = runs.at(-1);
    if (last && last[0] === status) last[1]++;
    else runs.push([status, 1]);
  }
  const empty = BAR_CYCLES - target.bar.length;
  const cells = runs.map(([status, n]) => `<i class=s-${status} style=flex:${n}></i>`).join('');
  return `<span class=b>${empty > 0 ? `<i style=flex:${empty}></i>` : ''}${cells}</span>`;
}

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

/** The row of one target; also what the page's script rebuilds on an event. */
export function row(target: TargetStatus, now: Date, availability?: StatusPageInput['availability']): string {
  const look = STATUS_LOOK[target.status];
  const rtt = target.rtt_ms === null ? '' : `${target.rtt_ms.toFixed(1)} ms`;
  const loss = target.loss_percent === null ? '' : ` ${target.loss_percent}% loss`;
  const avail = availability?.(target.host);
  const availText = avail
    ? ` · ${['24h', '7d', '30d'].map((w, i) => `${w} ${avail[i] === null ? '–' : `${(avail[i] as number).toFixed(2)}%`}`).join(' ')}`
    : '';
  const link = target.kind === 'host' ? `/host/${encodeURIComponent(target.host)}` : null;
  const name = link ? `<a href=${link}>${escapeHtml(target.host)}</a>` : escapeHtml(target.host);
  return (
    `<div class="r ${target.status}" id="h:${escapeHtml(target.host)}">` +
    `<span class=st>${look.shape} ${target.status}</span>` +
    `<span class=h>${name}</span><span class=d>${escapeHtml(target.description)}</span>` +
    `<span class=m>${escapeHtml(sinceText(target.since, now))} ${rtt}${loss}${availText}</span>${bar(target)}</div>`
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
  "(function(){if(!window.EventSource)return;var m=document.querySelector('meta[http-equiv=refresh]');if(m)m.remove();" +
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
      return `<details open><summary>${escapeHtml(location)} (${list.length}${down > 0 ? `, ${down} down` : ''})</summary>${list.map((t) => row(t, input.now, input.availability)).join('')}</details>`;
    })
    .join('');
  const generated = input.generatedAt
    ? `last cycle ${input.generatedAt.toISOString().slice(0, 19).replace('T', ' ')} · times in UTC`
    : 'waiting for the first cycle';
  return (
    `<!doctype html><html lang=en><head><meta charset=utf-8>` +
    `<meta name=viewport content="width=device-width,initial-scale=1">` +
    `<meta http-equiv=refresh content=${input.refreshSeconds}>` +
    `<title>${escapeHtml(input.title)}</title><style>${styles()}</style></head><body data-ev=${input.eventId}>` +
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
