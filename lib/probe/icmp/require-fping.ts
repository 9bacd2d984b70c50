import { MissingToolError } from '../../shared/errors.js';
import { findExecutable } from './require-ping.js';
import type { PingerSetting } from './icmp-prober.js';

/**
 * Finds fping in `searchPath` for the `pinger` setting: its path, or null when it is not installed and the
 * setting allows probing without it (`auto`, `ping`). Throws {@link MissingToolError} naming the Debian package
 * when the setting says `fping` and there is none, so start-up fails with what to install.
 */
export async function locateFping(setting: PingerSetting, searchPath: string): Promise<string | null> {
  if (setting === 'ping') return null;
  const found = await findExecutable('fping', searchPath);
  if (found === null && setting === 'fping') throw new MissingToolError('fping', 'fping');
  return found;
}
