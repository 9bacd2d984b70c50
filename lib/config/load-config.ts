import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { buildConfig, type ConfigContents, type ConfigFileContent } from './build-config.js';
import { CONFIG_FILES, type ConfigFileRole } from './config-files.js';
import { resolveSensorSecrets } from './sensor-secrets.js';
import type { Config } from './types.js';

/** How {@link loadConfig} names things in messages and where it finds the creds overrides. */
export interface LoadConfigOptions {
  /** The directory as the user named it; defaults to `dir`. Messages read `config/hosts.csv:3: ...`. */
  readonly displayDir?: string;
  /** Environment for PINGWARDEN_SMTP_USER / PINGWARDEN_SMTP_PASSWORD; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Reads and validates the config directory.
 *
 * @returns the configuration, with warnings such as creds.csv being readable by other users
 * @throws {ConfigErrors} listing every problem in every file, when there is any
 */
export async function loadConfig(dir: string, options: LoadConfigOptions = {}): Promise<Config> {
  const displayDir = options.displayDir ?? dir;
  const dirProblem = await checkDirectory(dir);
  if (dirProblem !== null) throw new ConfigErrors([new ConfigError(displayDir, 0, dirProblem)]);

  const roles = Object.keys(CONFIG_FILES) as ConfigFileRole[];
  const reads = new Map(
    await Promise.all(
      roles.map(async (role) => [role, await readConfigFile(path.join(dir, CONFIG_FILES[role]))] as const),
    ),
  );
  const contents = Object.fromEntries(
    [...reads].map(([role, read]) => [role, read.content]),
  ) as ConfigContents;
  const built = buildConfig(contents, { displayDir, env: options.env ?? process.env });
  if (!built.ok) throw new ConfigErrors(built.errors);
  const secrets = await resolveSensorSecrets(
    built.config.sensors ?? [],
    dir,
    path.join(displayDir, CONFIG_FILES.sensors),
  );
  if (secrets.errors.length > 0) throw new ConfigErrors(secrets.errors);

  const warnings = [...built.config.warnings, ...secrets.warnings];
  const credsFile = path.join(displayDir, CONFIG_FILES.creds);
  // A password file others can read is worth a nudge, but not worth refusing to start over.
  if (reads.get('creds')?.shared)
    warnings.push(`${credsFile}: readable by other users; run "chmod 600 ${credsFile}"`);
  return { ...built.config, sensors: secrets.sensors, warnings };
}

/**
 * A cheap summary of the config files' identity on disk (inode, size, mtime, mode, or absence). It changes
 * whenever a file is edited, replaced, created, deleted or chmod-ed, so the daemon can call it every cycle
 * and reload only when it differs from last time.
 */
export async function configFingerprint(dir: string): Promise<string> {
  const parts = await Promise.all(
    Object.values(CONFIG_FILES).map(async (name) => {
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

interface FileRead {
  readonly content: ConfigFileContent;
  /** Group or others may read the file. */
  readonly shared: boolean;
}

async function checkDirectory(dir: string): Promise<string | null> {
  try {
    return (await stat(dir)).isDirectory() ? null : 'is not a directory';
  } catch (error) {
    return errorCode(error) === 'ENOENT'
      ? 'directory not found'
      : `cannot open the directory: ${describe(error)}`;
  }
}

async function readConfigFile(file: string): Promise<FileRead> {
  let handle: FileHandle | undefined;
  const unreadable = (problem: string): FileRead => ({
    content: { state: 'unreadable', problem },
    shared: false,
  });
  try {
    handle = await open(file, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) return unreadable('is a directory, not a file');
    const bytes = await handle.readFile();
    const shared = (info.mode & 0o077) !== 0;
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return unreadable('is saved as UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")');
    }
    let text: string;
    try {
      // The BOM goes too (ignoreBOM: false), which csv-parse would strip anyway.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return unreadable('is not valid UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8")');
    }
    return { content: { state: 'text', text }, shared };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { content: { state: 'absent' }, shared: false };
    return unreadable(`cannot read: ${describe(error)}`);
  } finally {
    await handle?.close();
  }
}

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
}

/** A user-facing reason, without the stack or the absolute path Node puts in its messages. */
function describe(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return errorCode(error);
  }
}
