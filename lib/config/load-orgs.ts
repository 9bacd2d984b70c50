import { stat } from 'node:fs/promises';
import path from 'node:path';

import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { parseOrgs, type OrgPrefix } from './parse-orgs.js';
import { readConfigFile } from './read-config-file.js';

/** The name of the optional offline prefix → organisation file in the config folder. */
export const ORGS_FILE = 'orgs.csv';

/** The prefixes of orgs.csv (null when the file does not exist) and every problem found in it. */
export interface LoadedOrgs {
  readonly prefixes: OrgPrefix[] | null;
  readonly errors: readonly ConfigError[];
}

/**
 * Reads and parses `orgs.csv` like every config file (UTF-8 checked, BOM dropped), collecting its problems.
 * {@link loadConfig} reports them with the other files' problems.
 */
export async function readOrgs(configDir: string, displayDir: string = configDir): Promise<LoadedOrgs> {
  const file = path.join(displayDir, ORGS_FILE);
  const { content } = await readConfigFile(path.join(configDir, ORGS_FILE));
  if (content.state === 'absent') return { prefixes: null, errors: [] };
  if (content.state === 'unreadable') {
    return { prefixes: null, errors: [new ConfigError(file, 0, content.problem)] };
  }
  const { prefixes, errors } = parseOrgs(content.text, file);
  return { prefixes: [...prefixes], errors };
}

/**
 * Reads `orgs.csv` from the config folder.
 * @returns its prefixes, or null when the file does not exist
 * @throws {ConfigErrors} listing every problem, as `config/orgs.csv:3: ...`
 */
export async function loadOrgs(
  configDir: string,
  displayDir: string = configDir,
): Promise<OrgPrefix[] | null> {
  const { prefixes, errors } = await readOrgs(configDir, displayDir);
  if (errors.length > 0) throw new ConfigErrors(errors);
  return prefixes;
}

/** Changes whenever orgs.csv is edited, replaced, created or deleted (cheap: one stat). */
export async function orgsFingerprint(configDir: string): Promise<string> {
  try {
    const s = await stat(path.join(configDir, ORGS_FILE));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch (error) {
    return `absent:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}
