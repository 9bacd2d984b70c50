import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import { DAEMON_ENVIRONMENT, DAEMON_NODE_FLAGS } from '../../lib/cli/daemon-node-flags.js';

/**
 * `pingwarden start` on a config and logs folder, started as `npm start` and the systemd unit start it
 * (DAEMON_NODE_FLAGS and DAEMON_ENVIRONMENT), its stdout and stderr piped: the daemon of the bench and of
 * the soak.
 *
 * @param extraNodeArgs node options after the daemon's own, e.g. `--cpu-prof` to profile it
 */
export function spawnDaemon(
  repoRoot: string,
  configDir: string,
  logsDir: string,
  extraNodeArgs: readonly string[] = [],
): ChildProcess {
  return spawn(
    process.execPath,
    [
      ...DAEMON_NODE_FLAGS,
      ...extraNodeArgs,
      path.join(repoRoot, 'bin/pingwarden.js'),
      'start',
      '--config',
      configDir,
      '--logs',
      logsDir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...DAEMON_ENVIRONMENT } },
  );
}
