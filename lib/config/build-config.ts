import path from 'node:path';

import { ConfigError } from '../shared/errors.js';
import { CONFIG_FILES, type ConfigFileRole } from './config-files.js';
import { isEmailAddress } from './email-address.js';
import { parseCreds } from './parse-creds.js';
import type { HostsParser } from './hosts-parse-cache.js';
import { parseHosts } from './parse-hosts.js';
import { parseKasa } from './parse-kasa.js';
import { parseMaintenance } from './parse-maintenance.js';
import { parseRecipients } from './parse-recipients.js';
import { parseRoutes } from './parse-routes.js';
import type { Route } from './route.js';
import { parseDestinations, unusableReason, type Destination } from './destination.js';
import { parseSensors } from './parse-sensors.js';
import { parseServerInfo } from './parse-server-info.js';
import { parseSettings } from './parse-settings.js';
import { DEFAULT_SETTINGS } from './settings-table.js';
import type { MaintenanceWindow } from './maintenance-window.js';
import { parseTimeZone } from './time-zone.js';
import type { SensorEntry } from './sensor-entry.js';
import type { Target } from './target.js';
import type { Config, KasaPlugEntry, Settings, SmtpConfig } from './types.js';

/** What a config directory holds for one file. */
export type ConfigFileContent =
  | { readonly state: 'text'; readonly text: string }
  | { readonly state: 'absent' }
  /** The file exists but could not be read; `problem` says why, e.g. `cannot read: permission denied`. */
  | { readonly state: 'unreadable'; readonly problem: string };

/** The content of every known config file, by role. */
export type ConfigContents = { readonly [R in ConfigFileRole]: ConfigFileContent };

/** A valid configuration, or every problem that prevents one. */
export type BuildConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** Where the files are said to be, and the environment for the creds overrides. */
export interface BuildConfigOptions {
  /** The directory as the user named it (`config`, `/etc/pingwarden`); messages show paths under it. */
  readonly displayDir: string;
  readonly env: NodeJS.ProcessEnv;
  /** How hosts.csv is parsed; default {@link parseHosts} (loadConfig passes a cache of it when it has one). */
  readonly parseHosts?: HostsParser;
}

/**
 * Parses every file and applies the rules that span files, collecting every problem. No disk access:
 * {@link loadConfig} reads the files and calls this.
 *
 * Cross-file rules: hosts.csv must exist. When server_info.csv exists, email_recipients.csv must exist and
 * list at least one address, and the From address is `from_address` from settings.csv or else the SMTP
 * username, which must then be an email address. Without server_info.csv, `smtp` is null and alerts are only
 * logged; creds.csv and email_recipients.csv are still checked if present.
 */
export function buildConfig(contents: ConfigContents, options: BuildConfigOptions): BuildConfigResult {
  const warnings: string[] = [];
  const fileOf = (role: ConfigFileRole): string => path.join(options.displayDir, CONFIG_FILES[role]);
  const errorsOf = new Map<ConfigFileRole, ConfigError[]>(
    Object.keys(CONFIG_FILES).map((role) => [role as ConfigFileRole, []]),
  );
  const report = (role: ConfigFileRole, found: readonly ConfigError[]): void => {
    errorsOf.get(role)?.push(...found);
  };
  for (const [role, content] of Object.entries(contents) as [ConfigFileRole, ConfigFileContent][]) {
    if (content.state === 'unreadable') report(role, [new ConfigError(fileOf(role), 0, content.problem)]);
  }
  const textOf = (role: ConfigFileRole): string | null => {
    const content = contents[role];
    return content.state === 'text' ? content.text : null;
  };

  let settings: Settings = DEFAULT_SETTINGS;
  let fromAddressLine = 0;
  let settingsLines: ReadonlyMap<string, number> = new Map();
  let fromAddressBroken = false;
  const settingsText = textOf('settings');
  if (settingsText !== null) {
    const parsed = parseSettings(settingsText, fileOf('settings'));
    settings = parsed.settings;
    fromAddressLine = parsed.lines.get('fromAddress') ?? 0;
    settingsLines = parsed.lines;
    fromAddressBroken = parsed.errors.some((e) => fromAddressLine > 0 && e.line === fromAddressLine);
    report('settings', parsed.errors);
  }

  // After settings: a route-checked row is parsed into its deep probe, which sends `attempts` requests.
  let hosts: readonly Target[] = [];
  const hostsText = textOf('hosts');
  if (hostsText !== null) {
    const parse = options.parseHosts ?? parseHosts;
    const parsed = parse(hostsText, fileOf('hosts'), { attempts: settings.attempts });
    hosts = parsed.targets;
    warnings.push(...parsed.warnings);
    report('hosts', parsed.errors);
  } else if (contents.hosts.state === 'absent') {
    report('hosts', [new ConfigError(fileOf('hosts'), 0, 'file not found (it lists the hosts to monitor)')]);
  }

  const serverText = textOf('serverInfo');
  const server = serverText === null ? null : parseServerInfo(serverText, fileOf('serverInfo'));
  if (server) report('serverInfo', server.errors);

  const credsText = textOf('creds');
  const creds =
    contents.creds.state === 'unreadable' ? null : parseCreds(credsText, fileOf('creds'), options.env);
  if (creds) report('creds', creds.errors);

  const recipientsText = textOf('recipients');
  const recipients = recipientsText === null ? null : parseRecipients(recipientsText, fileOf('recipients'));
  if (recipients) report('recipients', recipients.errors);

  let kasaPlugs: readonly KasaPlugEntry[] = [];
  const kasaText = textOf('kasa');
  if (kasaText !== null) {
    const parsed = parseKasa(kasaText, fileOf('kasa'));
    kasaPlugs = parsed.plugs;
    report('kasa', parsed.errors);
  }

  let smtp: SmtpConfig | null = null;
  if (contents.serverInfo.state !== 'absent') {
    const because = 'needed because server_info.csv exists';
    if (contents.recipients.state === 'absent') {
      report('recipients', [
        new ConfigError(
          fileOf('recipients'),
          0,
          `file not found (it lists who gets alert emails; ${because})`,
        ),
      ]);
    } else if (
      recipients &&
      recipients.errors.length === 0 &&
      recipients.recipients.length === 0 &&
      recipients.smsRecipients.length === 0
    ) {
      report('recipients', [new ConfigError(fileOf('recipients'), 0, `no addresses listed (${because})`)]);
    }

    const username = creds?.creds.username ?? null;
    let from = settings.fromAddress;
    if (from === '' && username !== null && isEmailAddress(username)) from = username;
    // An unreadable or broken creds.csv (or settings.csv) is reported already; guessing about its content
    // would only add a follow-on error.
    const fromKnowable =
      contents.creds.state !== 'unreadable' &&
      contents.settings.state !== 'unreadable' &&
      (creds?.errors.length ?? 0) === 0;
    if (from === '' && !fromAddressBroken && fromKnowable) {
      const fix = 'set from_address in settings.csv';
      if (fromAddressLine > 0) {
        const why =
          username === null
            ? 'there is no SMTP username'
            : `the SMTP username "${username}" is not an email address`;
        report('settings', [
          new ConfigError(
            fileOf('settings'),
            fromAddressLine,
            `from_address is empty and ${why}: set it to the sender's address`,
          ),
        ]);
      } else if (username !== null) {
        report('creds', [
          new ConfigError(
            fileOf('creds'),
            creds?.line ?? 0,
            `${fix}: the SMTP username "${username}" is not an email address`,
          ),
        ]);
      } else {
        report('serverInfo', [
          new ConfigError(
            fileOf('serverInfo'),
            0,
            `${fix}: there is no SMTP username (creds.csv) to send from`,
          ),
        ]);
      }
    }

    if (server?.server && creds && recipients && from !== '') {
      smtp = {
        host: server.server.host,
        port: server.server.port,
        username: creds.creds.username,
        password: creds.creds.password,
        from,
        recipients: recipients.recipients,
        ...(recipients.smsRecipients.length > 0 && { smsRecipients: recipients.smsRecipients }),
        allowSelfSigned: settings.smtpAllowSelfSigned,
        timeoutSeconds: settings.smtpTimeoutSeconds,
      };
    }
  }

  // Sensors join the targets as `sensor:NAME`, a form no hosts.csv host can take.
  let sensors: readonly SensorEntry[] = [];
  const sensorsText = textOf('sensors');
  if (sensorsText !== null) {
    const parsed = parseSensors(sensorsText, fileOf('sensors'));
    sensors = parsed.sensors;
    report('sensors', parsed.errors);
    // Sensors report by UDP (heartbeat_port) or by HTTP push (/push/<sensor> on http_port).
    if (sensors.length > 0 && settings.heartbeatPort === 0 && settings.httpPort === 0) {
      report('sensors', [
        new ConfigError(
          fileOf('sensors'),
          0,
          'sensors are listed but heartbeat_port and http_port are 0 (off): set heartbeat_port (UDP) or http_port (HTTP push) in settings.csv',
        ),
      ]);
    }
  }
  if (sensors.length > 0) {
    // A monitor that only receives heartbeats (a cloud server, as in the tool this replaces) pings nothing.
    const hostErrors = errorsOf.get('hosts') ?? [];
    errorsOf.set(
      'hosts',
      hostErrors.filter((e) => !(e.line === 0 && e.problem.startsWith('no hosts listed'))),
    );
  }
  const targets = [...hosts, ...sensors.map(sensorTarget)];

  // After every target is known: a row naming a host that is not configured is a typo worth an error.
  let maintenance: readonly MaintenanceWindow[] = [];
  const maintenanceText = textOf('maintenance');
  if (maintenanceText !== null) {
    const zone = parseTimeZone(settings.maintenanceTimeZone) ?? { kind: 'local' as const };
    const parsed = parseMaintenance(maintenanceText, fileOf('maintenance'), targets, zone);
    maintenance = parsed.windows;
    report('maintenance', parsed.errors);
  }

  // After the targets, the settings and email: a route to a host, a channel or email that is not set up
  // would drop alerts without a word.
  const smtpConfigured = contents.serverInfo.state !== 'absent';
  let routes: readonly Route[] = [];
  const routesText = textOf('routes');
  if (routesText !== null) {
    const parsed = parseRoutes(routesText, fileOf('routes'), { targets, settings, smtpConfigured });
    routes = parsed.routes;
    report('routes', parsed.errors);
  }
  const escalation = escalationOf(settings, smtpConfigured, settingsLines);
  report(
    'settings',
    escalation.errors.map((e) => new ConfigError(fileOf('settings'), e.line, e.message)),
  );

  // File by file in a fixed order, each by line: the order a person fixes them in.
  const errors = [...errorsOf.values()].flatMap((list) => [...list].sort((a, b) => a.line - b.line));
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    config: {
      targets,
      settings,
      smtp,
      sensors,
      warnings,
      kasaPlugs,
      maintenance,
      routes,
      escalateTo: escalation.destinations,
    },
  };
}

/**
 * `escalate_to` read into destinations and checked against the settings: every channel it names is set up,
 * and escalation that is on has someone to tell.
 */
function escalationOf(
  settings: Settings,
  smtpConfigured: boolean,
  lines: ReadonlyMap<string, number>,
): { destinations: readonly Destination[]; errors: { line: number; message: string }[] } {
  const { destinations } = parseDestinations(settings.escalateTo);
  const errors: { line: number; message: string }[] = [];
  const line = lines.get('escalateTo') ?? 0;
  for (const destination of destinations) {
    const unusable = unusableReason(destination, settings, smtpConfigured);
    if (unusable !== null) errors.push({ line, message: `escalate_to: ${unusable}` });
  }
  if (settings.escalateAfterSeconds > 0 && destinations.length === 0) {
    errors.push({
      line: lines.get('escalateAfterSeconds') ?? 0,
      message: 'escalate_after_seconds is set but escalate_to is empty: name who hears of an escalation',
    });
  }
  return { destinations, errors };
}

function sensorTarget(sensor: SensorEntry): Target {
  const { host, description, location, line } = sensor;
  return {
    id: host,
    label: { host, description, location },
    check: { kind: 'heartbeat', sensor: sensor.name, downSeconds: sensor.downSeconds },
    parent: null,
    cyclePlug: null,
    lamp: null,
    line,
  };
}
