import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { MissingToolError } from '../../shared/errors.js';

/**
 * Finds an executable file called `name` in the directories of `searchPath` (a PATH-style list), the way
 * the `ping` package's spawn will, without running a shell. Relative and empty entries are ignored: they
 * depend on the working directory, which is not where anyone installs ping.
 */
export async function findExecutable(name: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      // access(X_OK) alone accepts directories, and for root any file with one x bit.
      if ((await stat(candidate)).isFile()) {
        await access(candidate, constants.X_OK);
        return candidate;
      }
    } catch {
      // Missing or not executable here: keep looking.
    }
  }
  return null;
}

/**
 * Throws {@link MissingToolError} unless iputils `ping` is in `searchPath`, so start-up can say what to
 * install instead of reporting every host as down. With `ipv6`, also requires `ping6`, which the `ping`
 * package runs for IPv6 addresses.
 */
export async function assertPingInstalled(
  searchPath: string = process.env.PATH ?? '',
  options: { readonly ipv6?: boolean } = {},
): Promise<void> {
  const tools = options.ipv6 ? ['ping', 'ping6'] : ['ping'];
  for (const tool of tools) {
    if ((await findExecutable(tool, searchPath)) === null) throw new MissingToolError(tool, 'iputils-ping');
  }
}
