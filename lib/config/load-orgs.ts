import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { parseOrgs, type OrgPrefix } from './parse-orgs.js';

/** The name of the optional offline prefix → organisation file in the config folder. */
export const ORGS_FILE = 'orgs.csv';

/**
 * Reads `orgs.csv` from the config folder.
 * @returns its prefixes, or null when the file does not exist
 * @throws {ConfigErrors} listing every problem, as `config/orgs.csv:3: ...`
 */
export async function loadOrgs(
  configDir: string,
  displayDir: string = configDir,
): Promise<OrgPrefix[] | null> {
  const file = path.join(displayDir, ORGS_FILE);
  let text: string;
  try {
    text = await readFile(path.join(configDir, ORGS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigErrors([
      new ConfigError(file, 0, `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
    ]);
  }
  const { prefixes, errors } = parseOrgs(text, file);
  if (errors.length > 0) throw new ConfigErrors(errors);
  return [...prefixes];
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
