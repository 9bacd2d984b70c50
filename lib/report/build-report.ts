import type { Log } from '../shared/log.js';
import { listHistoryFiles, monthOf } from '../store/history-files.js';
import { readHistory } from '../store/history-reader.js';
import { HistoryTimelineFold } from './history-timeline.js';
import { readHostQuality } from './quality-summary.js';
import { summariseHost, type HostLabelText } from './host-summary.js';
import type { Report } from './report-model.js';
import { ReportOptionError } from './report-window.js';

/** What to report on. */
export interface ReportRequest {
  /** The history folder, `<logs>/history`. */
  readonly dir: string;
  /** Hears about damaged history lines. */
  readonly log: Log;
  /** The time the report is made at: ongoing outages count up to here. */
  readonly now: Date;
  /** Start of the window; null: from the first record. */
  readonly since: Date | null;
  /** End of the window; null or later than `now`: up to now. */
  readonly until: Date | null;
  /**
   * Hosts to include; empty: every host. An entry equal to a host's name selects that host; any other
   * entry selects every host whose name, description or location contains it (case-insensitive).
   */
  readonly hosts: readonly string[];
  /** Descriptions and locations by host (from hosts.csv), shown beside the host. */
  readonly labels?: ReadonlyMap<string, HostLabelText>;
  /** The link quality folder, `<logs>/quality`; absent: no loss or RTT in the report. */
  readonly qualityDir?: string;
  /** Columns of the per-host quality graph (the HTML report); 0 or absent: no graph. */
  readonly graphColumns?: number;
}

/**
 * Reads the history and builds the report. Files are streamed line by line, and only the monthly files
 * from the month of `since` onwards are read (their snapshot record gives the states at the start).
 */
export async function buildReport(request: ReportRequest): Promise<Report> {
  const now = request.now.getTime();
  const until = Math.min(request.until?.getTime() ?? now, now);
  if (request.since && request.since.getTime() > until) {
    throw new ReportOptionError(
      `--since ${request.since.toISOString()} is after the end of the report (${new Date(until).toISOString()})`,
    );
  }
  let files = await listHistoryFiles(request.dir);
  if (request.since) {
    const first = monthOf(request.since);
    files = files.filter((file) => file.month >= first);
  }
  const fold = new HistoryTimelineFold();
  // Records dated after now (the clock was ahead once) never show: they are counted in one warning, as resume does.
  let future = 0;
  await readHistory(files, request.log, (record, time) => {
    if (time > now) future++;
    else fold.apply(record, time);
  });
  if (future > 0) request.log.warn(`history: ${future} records dated after now; the clock may have jumped`);
  const timeline = fold.finish(now);

  const since = request.since?.getTime() ?? Math.min(until, timeline.sessions[0]?.start ?? until);
  const hosts = [...timeline.hosts.values()]
    .filter(hostFilter(request.hosts, [...timeline.hosts.keys()], request.labels))
    .sort((a, b) => a.host.localeCompare(b.host, 'en', { numeric: true }))
    .map((track) =>
      summariseHost(track, timeline.sessions, { since, until, now }, request.labels?.get(track.host)),
    )
    // A host that was not in hosts.csv at any time of the window has nothing to say about it.
    .filter((host) => host.monitoredMs > 0 || host.outages.length > 0);
  if (request.qualityDir !== undefined) {
    const quality = await readHostQuality(
      request.qualityDir,
      since,
      until,
      request.log,
      request.graphColumns ?? 0,
    );
    for (let i = 0; i < hosts.length; i++) {
      const found = quality.get(hosts[i]!.host);
      if (found) hosts[i] = { ...hosts[i]!, quality: found.summary, qualityPoints: found.points };
    }
  }
  return { generatedAt: request.now, since: new Date(since), until: new Date(until), hosts };
}

function hostFilter(
  wanted: readonly string[],
  known: readonly string[],
  labels: ReadonlyMap<string, HostLabelText> | undefined,
): (track: { host: string }) => boolean {
  if (wanted.length === 0) return () => true;
  const exact = new Set(known.map((host) => host.toLowerCase()));
  const texts = wanted.map((text) => text.toLowerCase());
  return ({ host }) => {
    const name = host.toLowerCase();
    const label = labels?.get(host);
    // "printer" should find `10.1.1.40,HP printer,Office`: people remember what a host is, not its address.
    const words = [name, label?.description.toLowerCase() ?? '', label?.location.toLowerCase() ?? ''];
    return texts.some((text) =>
      exact.has(text) ? name === text : words.some((word) => word.includes(text)),
    );
  };
}
