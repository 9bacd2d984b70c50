import { stat } from 'node:fs/promises';
import path from 'node:path';

import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { buildConfig, type ConfigContents } from './build-config.js';
import { CONFIG_FILES, type ConfigFileRole } from './config-files.js';
import { ORGS_FILE, readOrgs } from './load-orgs.js';
import type { OrgPrefix } from './parse-orgs.js';
import { resolveCaFiles } from './ca-files.js';
import { CachingHostsParser, type HostsParseCache } from './hosts-parse-cache.js';
import { parseHosts } from './parse-hosts.js';
import { parseSensors } from './parse-sensors.js';
import { parseSettings } from './parse-settings.js';
import { checkConfigDirectory, errorCode, readConfigFile } from './read-config-file.js';
import { resolveSensorSecrets } from './sensor-secrets.js';
import { DEFAULT_SETTINGS } from './settings-table.js';
import type { Target } from './target.js';
import type { Config, Settings } from './types.js';
import { readWebhookTemplate, WEBHOOK_TEMPLATE_FILE } from './webhook-template.js';

/** How {@link loadConfig} names things in messages and where it finds the creds overrides. */
export interface LoadConfigOptions {
  /** The directory as the user named it; defaults to `dir`. Messages read `config/hosts.csv:3: ...`. */
  readonly displayDir?: string;
  /** Environment for PINGWARDEN_SMTP_USER / PINGWARDEN_SMTP_PASSWORD; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where the last valid parse of hosts.csv is kept between runs; none by default. A run that parses the
   * file anew (it changed, or the cache is empty or unreadable) writes its parse back when the whole
   * configuration is valid.
   */
  readonly hostsCache?: HostsParseCache;
}

/** Every file the loader reads and the fingerprint watches: the CSV files by role, then orgs.csv. */
const WATCHED_FILES: readonly string[] = [...Object.values(CONFIG_FILES), ORGS_FILE, WEBHOOK_TEMPLATE_FILE];

/**
 * Reads and validates the config directory: every CSV file (orgs.csv included) and the sensor key files
 * sensors.csv names, all read the same way (UTF-8 checked, BOM dropped), all checked in one pass.
 *
 * @returns the configuration, with warnings such as creds.csv being readable by other users
 * @throws {ConfigErrors} listing every problem in every file, file by file in the order of
 *   {@link CONFIG_FILES} then orgs.csv, each by line, when there is any
 */
export async function loadConfig(dir: string, options: LoadConfigOptions = {}): Promise<Config> {
  const displayDir = options.displayDir ?? dir;
  const dirProblem = await checkConfigDirectory(dir);
  if (dirProblem !== null) throw new ConfigErrors([new ConfigError(displayDir, 0, dirProblem)]);

  const roles = Object.keys(CONFIG_FILES) as ConfigFileRole[];
  const [reads, orgs, template] = await Promise.all([
    Promise.all(
      roles.map(async (role) => [role, await readConfigFile(path.join(dir, CONFIG_FILES[role]))] as const),
    ).then((entries) => new Map(entries)),
    readOrgs(dir, displayDir),
    readWebhookTemplate(dir, displayDir),
  ]);
  const contents = Object.fromEntries(
    [...reads].map(([role, read]) => [role, read.content]),
  ) as ConfigContents;
  const cache = options.hostsCache;
  const parser = cache ? new CachingHostsParser(await cache.read()) : null;
  const built = buildConfig(contents, {
    displayDir,
    env: options.env ?? process.env,
    ...(parser && { parseHosts: parser.parse }),
  });
  const sensorsFile = path.join(displayDir, CONFIG_FILES.sensors);
  // Key files are checked even when other files have problems, so one check-config run lists them all.
  const sensors = built.ok ? (built.config.sensors ?? []) : parsedSensors(contents, sensorsFile);
  const secrets = await resolveSensorSecrets(sensors, dir, sensorsFile);
  const hostsFile = path.join(displayDir, CONFIG_FILES.hosts);
  const cas = await resolveCaFiles(
    built.ok ? built.config.targets : parsedHosts(contents, hostsFile),
    dir,
    hostsFile,
  );

  const problems = inFileOrder(displayDir, [
    ...(built.ok ? [] : built.errors),
    ...secrets.errors,
    ...cas.errors,
    ...orgs.errors,
    ...(template.error ? [template.error] : []),
  ]);
  if (problems.length > 0 || !built.ok) throw new ConfigErrors(problems);

  const fresh = parser?.fresh;
  // Only a cache: a run that cannot write it (logs/ read-only) parses again next time, and says so elsewhere.
  if (cache && fresh) await cache.write(fresh).catch(() => undefined);

  const warnings = [...built.config.warnings, ...secrets.warnings];
  const credsFile = path.join(displayDir, CONFIG_FILES.creds);
  // A password file others can read is worth a nudge, but not worth refusing to start over.
  if (reads.get('creds')?.shared)
    warnings.push(`${credsFile}: readable by other users; run "chmod 600 ${credsFile}"`);
  return {
    ...built.config,
    targets: cas.targets,
    sensors: secrets.sensors,
    warnings,
    ...(template.text !== undefined && { webhookTemplateText: template.text }),
  };
}

/** The valid rows of a hosts.csv that may have problems of its own (those are reported by buildConfig). */
function parsedHosts(contents: ConfigContents, hostsFile: string): readonly Target[] {
  const content = contents.hosts;
  return content.state === 'text' ? parseHosts(content.text, hostsFile).targets : [];
}

/** The sensors of a sensors.csv that may have problems of its own (those are reported by buildConfig). */
function parsedSensors(contents: ConfigContents, sensorsFile: string) {
  const content = contents.sensors;
  return content.state === 'text' ? parseSensors(content.text, sensorsFile).sensors : [];
}

/** File by file in {@link WATCHED_FILES} order, each by line; the sort is stable, so ties keep their order. */
function inFileOrder(displayDir: string, problems: readonly ConfigError[]): ConfigError[] {
  const rank = new Map(WATCHED_FILES.map((name, index) => [path.join(displayDir, name), index]));
  const rankOf = (problem: ConfigError) => rank.get(problem.file) ?? WATCHED_FILES.length;
  return [...problems].sort((a, b) => rankOf(a) - rankOf(b) || a.line - b.line);
}

/**
 * A cheap summary of the config files' identity on disk (inode, size, mtime, mode, or absence). It changes
 * whenever a file is edited, replaced, created, deleted or chmod-ed, so the daemon can call it every cycle
 * and reload only when it differs from last time.
 */
export async function configFingerprint(dir: string): Promise<string> {
  const parts = await Promise.all(
    WATCHED_FILES.map(async (name) => {
      try {
        const s = await stat(path.join(dir, name));
        return `${name}:${s.ino}:${s.size}:${s.mtimeMs}:${s.mode}`;
      } catch (error) {
        return `${name}:${errorCode(error) === 'ENOENT' ? 'absent' : `error-${errorCode(error)}`}`;
      }
    }),
  );
  return parts.join('|');
}

/** The settings and orgs.csv prefixes of a config folder, for commands that need no hosts (`probe`). */
export interface SettingsAndOrgs {
  readonly settings: Settings;
  readonly orgs: OrgPrefix[] | null;
}

/**
 * Reads settings.csv and orgs.csv like {@link loadConfig} does (same checks, same messages), for commands
 * that work without a hosts.csv. A missing folder or file means the defaults.
 *
 * @throws {ConfigErrors} listing every problem of both files
 */
export async function loadSettingsAndOrgs(dir: string, displayDir: string = dir): Promise<SettingsAndOrgs> {
  const file = path.join(displayDir, CONFIG_FILES.settings);
  const [read, orgs] = await Promise.all([
    readConfigFile(path.join(dir, CONFIG_FILES.settings)),
    readOrgs(dir, displayDir),
  ]);
  const problems: ConfigError[] = [];
  let settings = DEFAULT_SETTINGS;
  if (read.content.state === 'unreadable') {
    // A config folder that is not there (or a path through a file) leaves the defaults, like an absent file.
    if (!read.content.problem.includes('not a directory')) {
      problems.push(new ConfigError(file, 0, read.content.problem));
    }
  } else if (read.content.state === 'text') {
    const parsed = parseSettings(read.content.text, file);
    problems.push(...parsed.errors);
    settings = parsed.settings;
  }
  const all = inFileOrder(displayDir, [...problems, ...orgs.errors]);
  if (all.length > 0) throw new ConfigErrors(all);
  return { settings, orgs: orgs.prefixes };
}
