import { access, constants, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { AppDeps, ConsoleIo } from '../../app/deps.js';
import { commandLog } from '../../app/deps.js';
import { printPdf } from '../../app/print-pdf.js';
import { lastFinishedPeriod, periodReport, sendReportEmail } from '../../app/report-email.js';
import { readConfig } from '../../app/read-config.js';
import { ConfigErrors, errorMessage, FaultError, UserError } from '../../shared/errors.js';
import { formatFields, type Log } from '../../shared/log.js';
import { buildReport } from '../../report/build-report.js';
import { listHistoryFiles } from '../../store/history-files.js';
import type { HostLabelText } from '../../report/host-summary.js';
import type { Report } from '../../report/report-model.js';
import { parseReportTime, ReportOptionError } from '../../report/report-window.js';
import { renderCsv } from '../../report/render-csv.js';
import { renderHtml } from '../../report/render-html.js';
import { renderIspHtml } from '../../report/render-isp.js';
import { renderJson } from '../../report/render-json.js';
import { renderMarkdown } from '../../report/render-markdown.js';
import { renderTable } from '../../report/render-table.js';
import { formatReportTime } from '../../report/report-text.js';

/** The output formats of `pingwarden report`. */
export const REPORT_FORMATS = {
  table: renderTable,
  csv: renderCsv,
  json: renderJson,
  md: renderMarkdown,
  html: renderHtml,
} as const satisfies Record<string, (report: Report) => string>;

/** Every `--format`: the text formats, and `pdf` (the ISP evidence pack printed by Chromium, to `--out`). */
export const REPORT_FORMAT_NAMES = [...Object.keys(REPORT_FORMATS), 'pdf'] as const;

/** Columns of the HTML report's quality graphs: about three pixels each at print width. */
const GRAPH_COLUMNS = 300;

/** `pingwarden report` options as commander hands them over. */
export interface ReportCommandOptions {
  readonly config: string;
  readonly logs: string;
  readonly host: readonly string[];
  readonly since?: string;
  readonly until?: string;
  readonly format: string;
  readonly out?: string;
  /** The ISP evidence pack instead of the plain report (html; pdf always is one). */
  readonly forIsp?: boolean;
  /** Email the report (summary in the body, HTML attached) instead of printing it. */
  readonly email?: boolean;
}

/** Where the report command writes. */
export type ReportIo = ConsoleIo;

/**
 * Runs `pingwarden report`: reads `<logs>/history`, renders the chosen format and prints it or writes it
 * to `--out`. Damaged history lines are reported on stderr as warnings.
 * @throws ReportOptionError for a bad option value
 */
export async function runReportCommand(deps: AppDeps, options: ReportCommandOptions): Promise<void> {
  const { io, clock } = deps;
  const pdf = options.format === 'pdf';
  const render = pdf
    ? undefined
    : (REPORT_FORMATS as Record<string, ((report: Report) => string) | undefined>)[options.format];
  if (!pdf && !render) {
    throw new ReportOptionError(
      `--format "${options.format}": expected one of ${REPORT_FORMAT_NAMES.join(', ')}`,
    );
  }
  if (options.forIsp === true && !pdf && options.format !== 'html') {
    throw new ReportOptionError('--for-isp goes with --format html or --format pdf');
  }
  if (pdf && options.out === undefined) {
    throw new ReportOptionError('--format pdf writes a file: add --out FILE (for example --out outages.pdf)');
  }
  // Before the work: a PDF that cannot be saved should say so at once, not after Chromium ran.
  if (pdf) await checkWritable(options.out!);
  const now = clock.now();
  if (options.email === true) {
    await emailReportNow(deps, options, now);
    return;
  }
  const dir = path.join(deps.paths.logsDir, 'history');
  if ((await listHistoryFiles(dir)).length === 0) {
    io.err(`warning: no outage history in ${dir} yet (the monitor writes it while it runs)`);
  }
  const report = await buildReport({
    dir,
    log: warningsTo(io),
    now,
    since: options.since === undefined ? null : parseReportTime('--since', options.since, now),
    until: options.until === undefined ? null : parseReportTime('--until', options.until, now),
    hosts: options.host,
    labels: await hostLabels(deps),
    qualityDir: path.join(deps.paths.logsDir, 'quality'),
    graphColumns: options.format === 'html' || pdf ? GRAPH_COLUMNS : 0,
  });
  if (options.host.length > 0 && report.hosts.length === 0) {
    const asked = options.host.map((text) => `"${text}"`).join(', ');
    io.err(`warning: no host matches --host ${asked} (host names, descriptions and locations are searched)`);
  }
  if (pdf || options.forIsp === true) {
    const html = renderIspHtml(report, { monitorName: os.hostname() });
    if (pdf) {
      await printPdf(html, options.out!);
      io.err(`wrote ${options.out}`);
      return;
    }
    if (options.out === undefined) io.out(html.trimEnd());
    else await writeReport(options.out, html);
    return;
  }
  const text = render!(report);
  if (options.out === undefined) io.out(text.trimEnd());
  else await writeReport(options.out, text);
}

/** Writes the report file; a missing folder or an unwritable file is the user's to fix: one line, exit 2. */
async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw outError(file, error);
  }
}

/** Whether `file` can be written, without touching a file already there (an older report stays if we fail). */
async function checkWritable(file: string): Promise<void> {
  try {
    const existing = await stat(file).catch(() => null);
    if (existing?.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    await access(existing === null ? path.dirname(file) : file, constants.W_OK);
    if (existing === null && !(await stat(path.dirname(file))).isDirectory()) {
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    }
  } catch (error) {
    throw outError(file, error);
  }
}

/** The one-line message for a report file that cannot be written. */
function outError(file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? `the folder ${path.dirname(file)} does not exist (create it first)`
      : code === 'EISDIR'
        ? 'it is a folder; name a file'
        : code === 'ENOTDIR'
          ? `a part of ${path.dirname(file)} is a file, not a folder`
          : errorMessage(error);
  return new UserError(`--out ${file}: cannot write the report: ${why}`);
}

/**
 * Descriptions and locations of the configured hosts. The history does not keep them (a report is about
 * hosts, and labels change), so the current config names them; it is read through the same loader as every
 * command. A report is about the past, so a config with problems does not stop it: they are printed as
 * warnings and the hosts are shown as the history names them, without descriptions.
 */
async function hostLabels(deps: AppDeps): Promise<Map<string, HostLabelText>> {
  const labels = new Map<string, HostLabelText>();
  try {
    for (const { id, label } of (await readConfig(deps)).targets) {
      labels.set(id, { description: label.description, location: label.location });
    }
  } catch (error) {
    if (!(error instanceof ConfigErrors)) throw error;
    for (const problem of error.problems) deps.io.err(`warning: ${problem.message}`);
    deps.io.err(
      'warning: host descriptions are left out until the config is valid (pingwarden check-config)',
    );
  }
  return labels;
}

function warningsTo(io: ReportIo): Log {
  const warn = (message: string, fields?: Parameters<Log['warn']>[1]) =>
    io.err(`warning: ${message}${formatFields(fields)}`);
  return { debug: () => {}, info: () => {}, warn, error: warn };
}

/**
 * `report --email`: the report of `--since`/`--until`, or else of the last finished period of
 * `report_schedule` (the last week when it is off), emailed to the recipients like a scheduled one.
 */
async function emailReportNow(deps: AppDeps, options: ReportCommandOptions, now: Date): Promise<void> {
  const config = await readConfig(deps);
  if (!config.smtp) {
    throw new UserError(
      `email is not configured: create ${deps.paths.configDir}/server_info.csv (server_address,port)`,
    );
  }
  const schedule = config.settings.reportSchedule === 'off' ? 'weekly' : config.settings.reportSchedule;
  const fallback = lastFinishedPeriod(schedule, now);
  const since = options.since === undefined ? null : parseReportTime('--since', options.since, now);
  const until = options.until === undefined ? null : parseReportTime('--until', options.until, now);
  const period =
    since === null && until === null ? fallback : { since: since ?? fallback.since, until: until ?? now };
  const labels = new Map(config.targets.map((target) => [target.id, target.label]));
  const report = await periodReport(deps.paths.logsDir, warningsTo(deps.io), period, labels, now);
  const log = commandLog(deps);
  try {
    const { messageId } = await sendReportEmail(report, config.smtp, log);
    deps.io.out(
      `report ${formatReportTime(period.since)} to ${formatReportTime(period.until)} UTC emailed to ` +
        `${config.smtp.recipients.join(', ')} (message id ${messageId})`,
    );
  } catch (error) {
    throw new FaultError(`report email failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    await log.close();
  }
}
