import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';

import { CheckPool } from '../../../lib/probe/check-pool.js';
import { TcpProber } from '../../../lib/probe/tcp/tcp-prober.js';
import { systemClock } from '../../../lib/shared/clock.js';
import { ONE_TRY, serviceTarget } from '../service-targets.js';

describe('TcpProber (a real listener on 127.0.0.1)', () => {
  let server: Server;
  let port: number;

  beforeEach(async () => {
    server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterEach(
    () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  );

  it('is UP while the port accepts, DOWN with the reason once the listener stops, UP again when it starts', async () => {
    const prober = new TcpProber({ clock: systemClock, pool: new CheckPool(4) });
    const target = serviceTarget('tcp', `tcp://127.0.0.1:${port},Mail,Rack`);
    const [up] = await prober.probe([target], ONE_TRY);
    expect(up).to.include({ host: `tcp://127.0.0.1:${port}`, alive: true, attempts: 1 });
    expect(up!.rttMs).to.be.a('number').and.to.be.at.least(0);

    await new Promise<void>((resolve) => server.close(() => resolve()));
    const [down] = await prober.probe([target], { attempts: 2, timeoutSeconds: 1 });
    expect(down).to.include({
      alive: false,
      attempts: 2,
      rttMs: null,
      error: `TCP port ${port}: connection refused`,
    });

    server = createServer((socket) => socket.destroy());
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    const [again] = await prober.probe([target], ONE_TRY);
    expect(again).to.include({ alive: true });
  });

  it('skips targets not started when the cycle is aborted', async () => {
    const prober = new TcpProber({ clock: systemClock, pool: new CheckPool(1) });
    const controller = new AbortController();
    controller.abort();
    const target = serviceTarget('tcp', `tcp://127.0.0.1:${port}`);
    expect(await prober.probe([target], ONE_TRY, controller.signal)).to.deep.equal([]);
  });
});
