import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import type { Settings, SmtpConfig } from '../config/types.js';
import type { CycleReport, MonitorObserver } from '../monitor/monitor-loop.js';
import { EmailNotifier } from '../notify/channels/email/email-notifier.js';
import { buildReport } from '../report/build-report.js';
import { renderHtml } from '../report/render-html.js';
import { renderTable } from '../report/render-table.js';
import type { Report } from '../report/report-model.js';
import { allOutages, formatReportTime } from '../report/report-text.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { writeFileAtomic } from '../shared/write-file-atomic.js';

/** `report_schedule`: how often the daemon emails the report of the period that just ended. */
export type ReportSchedule = Settings['reportSchedule'];

/** A report's window: `since` inclusive, `until` exclusive. */
export interface ReportPeriod {
  readonly since: Date;
  readonly until: Date;
}

const DAY_MS = 86_400_000;

/**
 * The last whole period before `now`, in UTC like the report itself: for `weekly` the ISO week (Monday
 * 00:00 to Monday 00:00) before the current one, for `monthly` the calendar month before the current one.
 */
export function lastFinishedPeriod(schedule: Exclude<ReportSchedule, 'off'>, now: Date): ReportPeriod {
  if (schedule === 'monthly') {
    const until = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
    const since = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
    return { since: new Date(since), until: new Date(until) };
  }
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  // getUTCDay: Sunday 0 … Saturday 6; days back to this week's Monday.
  const sinceMonday = (new Date(today).getUTCDay() + 6) % 7;
  const until = today - sinceMonday * DAY_MS;
  return { since: new Date(until - 7 * DAY_MS), until: new Date(until) };
}

/** The subject and body of a report email: the summary table in the body, the HTML page attached. */
export function reportEmail(report: Report): {
  subject: string;
  text: string;
  attachment: { filename: string; content: string; contentType: string };
} {
  const outages = allOutages(report);
  const period = `${formatReportTime(report.since).slice(0, 10)} to ${formatReportTime(report.until).slice(0, 10)}`;
  const worst = report.hosts
    .map((host) => host.availabilityPercent)
    .filter((value): value is number => value !== null)
    .reduce((low, value) => Math.min(low, value), 100);
  const subject =
    `[pingwarden] Report ${period}: ${outages.length} ${outages.length === 1 ? 'outage' : 'outages'}` +
    (report.hosts.length > 0 ? `, lowest availability ${worst.toFixed(3)}%` : '');
  const text =
    `${renderTable(report).trimEnd()}\n\n` +
    'The whole report, with timelines and link-quality graphs, is attached as an HTML page (it opens offline).\n';
  return {
    subject,
    text,
    attachment: {
      filename: `pingwarden-report-${period.replace(' to ', '--')}.html`,
      content: renderHtml(report),
      contentType: 'text/html; charset=utf-8',
    },
  };
}

/**
 * Emails `report` to the configured recipients (one message, summary in the body, HTML attached).
 *
 * @throws EmailDeliveryError when the server did not take it
 */
export async function sendReportEmail(
  report: Report,
  smtp: SmtpConfig,
  log: Log,
): Promise<{ messageId: string }> {
  const email = new EmailNotifier({ smtp, log });
  try {
    const { subject, text, attachment } = reportEmail(report);
    return await email.sendReport({ subject, text }, [attachment]);
  } finally {
    email.close();
  }
}

/** The file in the logs folder that remembers which scheduled report went out last. */
export const REPORT_SCHEDULE_FILE = 'report-schedule.json';

/** What the scheduler needs. */
export interface ReportSchedulerOptions {
  readonly logsDir: string;
  readonly log: Log;
  /** The report of a period, built from the history and quality series with the config's host labels. */
  readonly build: (period: ReportPeriod, report: CycleReport) => Promise<Report>;
  /** Default: {@link sendReportEmail}. */
  readonly send?: (report: Report, smtp: SmtpConfig, log: Log) => Promise<unknown>;
}

/**
 * `report_schedule weekly|monthly` in the daemon: after a cycle in a new week or month, emails the report of
 * the period that ended, once. `logs/report-schedule.json` remembers the last period sent, so a restart
 * neither sends it again nor skips it. When the schedule is first switched on, the current period is
 * remembered and nothing is sent (no surprise email about a period nobody asked for; `report --email` sends
 * one now). A failed send is logged and tried again at the next cycle, at most once a minute.
 */
export class ReportScheduler implements MonitorObserver {
  readonly name = 'report schedule';
  private sentUntil: number | null | undefined;
  private nextTryAt = 0;
  private busy = false;

  constructor(private readonly options: ReportSchedulerOptions) {}

  async cycleFinished(cycle: CycleReport): Promise<void> {
    const { reportSchedule } = cycle.config.settings;
    if (reportSchedule === 'off' || this.busy) return;
    const now = cycle.at.getTime();
    if (now < this.nextTryAt) return;
    this.busy = true;
    try {
      const period = lastFinishedPeriod(reportSchedule, cycle.at);
      this.sentUntil ??= await this.readMarker();
      if (this.sentUntil === null) {
        await this.writeMarker(period.until.getTime());
        return;
      }
      if (this.sentUntil >= period.until.getTime()) return;
      const smtp = cycle.config.smtp;
      if (!smtp) {
        this.options.log.warn('report_schedule is on but email is not configured; no report sent');
        this.nextTryAt = now + 3_600_000;
        return;
      }
      const report = await this.options.build(period, cycle);
      await (this.options.send ?? sendReportEmail)(report, smtp, this.options.log);
      await this.writeMarker(period.until.getTime());
      this.options.log.info('scheduled report emailed', {
        since: period.since.toISOString(),
        until: period.until.toISOString(),
      });
    } catch (error) {
      this.nextTryAt = now + 60_000;
      this.options.log.error('scheduled report not sent; trying again', { error: errorMessage(error) });
    } finally {
      this.busy = false;
    }
  }

  private async readMarker(): Promise<number | null> {
    try {
      const data = JSON.parse(await readFile(this.markerFile(), 'utf8')) as { sent_until?: unknown };
      const time = typeof data.sent_until === 'string' ? Date.parse(data.sent_until) : NaN;
      return Number.isNaN(time) ? null : time;
    } catch {
      return null;
    }
  }

  private async writeMarker(until: number): Promise<void> {
    await mkdir(this.options.logsDir, { recursive: true });
    await writeFileAtomic(
      this.markerFile(),
      `${JSON.stringify({ v: 1, sent_until: new Date(until).toISOString() })}\n`,
    );
    this.sentUntil = until;
  }

  private markerFile(): string {
    return path.join(this.options.logsDir, REPORT_SCHEDULE_FILE);
  }
}

/** Builds the report of `period` from a logs folder (history and quality series). */
export function periodReport(
  logsDir: string,
  log: Log,
  period: ReportPeriod,
  labels: ReadonlyMap<string, { description: string; location: string }>,
  now: Date,
): Promise<Report> {
  return buildReport({
    dir: path.join(logsDir, 'history'),
    log,
    now,
    since: period.since,
    until: period.until,
    hosts: [],
    labels,
    qualityDir: path.join(logsDir, 'quality'),
    graphColumns: 300,
  });
}
