import dgram from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';

import { expect } from 'chai';

import { systemDeps, type AppDeps, type AppPaths, type ConsoleIo } from '../../lib/app/deps.js';
import { main } from '../../lib/cli/main.js';
import { createLogger } from '../../lib/shared/logger.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { freeUdpPort } from '../support/udp-port.js';

/** Real dependencies, except that the log stays off the console and says whether it was closed. */
function recordingDeps(closed: { count: number }) {
  return (paths: AppPaths, io: ConsoleIo): AppDeps => ({
    ...systemDeps(paths, io),
    createLog: (options) => {
      const log = createLogger({ ...options, console: false });
      return {
        debug: (message, fields) => log.debug(message, fields),
        info: (message, fields) => log.info(message, fields),
        warn: (message, fields) => log.warn(message, fields),
        error: (message, fields) => log.error(message, fields),
        close: async () => {
          closed.count++;
          await log.close();
        },
      };
    },
  });
}

describe('pingwarden start (app services)', () => {
  let site: TempSite | undefined;
  afterEach(async () => site?.remove());

  it('fails with one line naming a taken HTTP port, frees the heartbeat port and closes the log', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const httpPort = (blocker.address() as AddressInfo).port;
    const heartbeatPort = await freeUdpPort();
    try {
      site = await tempSite({
        'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
        'settings.csv': `heartbeat_port,${heartbeatPort}\nhttp_port,${httpPort}\n`,
      });
      const out: string[] = [];
      const err: string[] = [];
      const closed = { count: 0 };
      const code = await main(
        ['node', 'pingwarden', 'start', '--config', site.configDir, '--logs', site.logsDir],
        { out: (text) => out.push(text), err: (text) => err.push(text) },
        recordingDeps(closed),
      );
      expect({ code, out, err }).to.deep.equal({
        code: 1,
        out: [],
        err: [
          `pingwarden: cannot listen on 127.0.0.1:${httpPort}: address already in use (EADDRINUSE); see http_listen, http_port in settings.csv`,
        ],
      });
      expect(closed.count, 'log closed once').to.equal(1);
      // The heartbeat listener had bound its port before the HTTP bind failed; it must be free again.
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(heartbeatPort, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
