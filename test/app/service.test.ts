import { expect } from 'chai';

import { startServices, type Service } from '../../lib/app/service.js';

/** A service that records its starts and stops in `events`; `failStart` makes its start reject. */
function service(name: string, events: string[], failStart = false): Service {
  return {
    name,
    start: () => {
      events.push(`start ${name}`);
      if (failStart) throw new Error(`${name} cannot start`);
    },
    stop: () => {
      events.push(`stop ${name}`);
    },
  };
}

describe('startServices', () => {
  it('starts in order and stops in reverse order', async () => {
    const events: string[] = [];
    const running = await startServices(
      ['log', 'listener', 'loop'].map((name) => service(name, events)),
      () => expect.fail('no stop fails'),
    );
    await running.stop();
    expect(events).to.deep.equal([
      'start log',
      'start listener',
      'start loop',
      'stop loop',
      'stop listener',
      'stop log',
    ]);
  });

  it('stops what already started, in reverse, when a start fails, and rethrows', async () => {
    const events: string[] = [];
    const failure = await startServices(
      [
        service('log', events),
        service('heartbeats', events),
        service('http', events, true),
        service('loop', events),
      ],
      () => expect.fail('no stop fails'),
    ).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'http cannot start');
    expect(events).to.deep.equal([
      'start log',
      'start heartbeats',
      'start http',
      'stop heartbeats',
      'stop log',
    ]);
  });

  it('still stops the others when one stop fails, and reports it', async () => {
    const events: string[] = [];
    const failing: Service = {
      name: 'outbox',
      start: () => undefined,
      stop: () => Promise.reject(new Error('disk full')),
    };
    const reported: string[] = [];
    const running = await startServices(
      [service('log', events), failing, service('loop', events)],
      (name, error) => reported.push(`${name}: ${(error as Error).message}`),
    );
    await running.stop();
    expect(events).to.deep.equal(['start log', 'start loop', 'stop loop', 'stop log']);
    expect(reported).to.deep.equal(['outbox: disk full']);
  });
});
