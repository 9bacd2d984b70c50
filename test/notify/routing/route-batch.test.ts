import { expect } from 'chai';

import type { Destination } from '../../../lib/config/destination.js';
import type { Route } from '../../../lib/config/route.js';
import type { Alert, AlertBatch, HostLabel } from '../../../lib/monitor/alert.js';
import { routeBatch, type RoutingTable } from '../../../lib/notify/routing/route-batch.js';

const t0 = new Date('2026-12-05T23:30:00Z');
const b7switch: HostLabel = { host: '10.7.0.1', description: 'B7 switch', location: 'Building 7' };
const b7ap: HostLabel = { host: '10.7.0.2', description: 'B7 AP', location: 'Building 7' };
const router: HostLabel = { host: '10.1.1.254', description: 'Cisco Router', location: 'HQ' };
const targets = [b7switch, b7ap, router];

function alert(target: HostLabel, kind: Alert['kind'] = 'DOWN'): Alert {
  return { kind, target, at: t0, downSince: t0, durationMs: 0, attempts: 3, lastRttMs: null };
}

function batch(...alerts: Alert[]): AlertBatch {
  const down = alerts.filter((a) => a.kind === 'DOWN' || a.kind === 'REMINDER').map((a) => a.target);
  return { at: t0, alerts, hosts: targets.length, down, unreachable: 0 };
}

const email = (address: string): Destination => ({ kind: 'email', address });
const sms = (address: string): Destination => ({ kind: 'sms', address });
const channel = (name: 'ntfy' | 'email' | 'slack'): Destination => ({ kind: 'channel', channel: name });

function route(selector: Route['selector'], destinations: Destination[], extra: Partial<Route> = {}): Route {
  return { selector, destinations, quiet: null, line: 1, ...extra };
}

const b7Route = route({ kind: 'location', location: 'building 7' }, [email('b7-admin@example.com')]);

function table(extra: Partial<RoutingTable> = {}): RoutingTable {
  return {
    routes: [],
    escalateTo: [],
    recipients: { email: ['ops@example.com', 'boss@example.com'], sms: [] },
    channels: ['ntfy', 'slack'],
    targets,
    ...extra,
  };
}

/** Each delivery as `notifier [recipients]: hosts`, for short exact assertions. */
function summary(routed: ReturnType<typeof routeBatch>): string[] {
  return routed.deliveries.map(
    (d) =>
      `${d.notifier}${d.recipients ? ` [${d.recipients.join(' ')}]` : ''}: ${d.alerts.map((a) => `${a.kind} ${a.target.host}`).join(', ')}`,
  );
}

describe('notify/routing/route-batch', () => {
  it('without routes, sends the whole batch to every recipient in one email and to every channel', () => {
    const routed = routeBatch(batch(alert(b7switch), alert(router)), table());
    expect(summary(routed)).to.deep.equal([
      'email [ops@example.com boss@example.com]: DOWN 10.7.0.1, DOWN 10.1.1.254',
      'ntfy: DOWN 10.7.0.1, DOWN 10.1.1.254',
      'slack: DOWN 10.7.0.1, DOWN 10.1.1.254',
    ]);
    expect(routed.deliveries[0]?.overview).to.equal(
      '2 of 3 hosts down: B7 switch (10.7.0.1) and Cisco Router (10.1.1.254)',
    );
  });

  it('sends a routed location to its own recipient only, the other hosts to the default list', () => {
    const routed = routeBatch(
      batch(alert(b7switch), alert(b7ap), alert(router)),
      table({ routes: [b7Route] }),
    );
    expect(summary(routed)).to.deep.equal([
      'email [b7-admin@example.com]: DOWN 10.7.0.1, DOWN 10.7.0.2',
      'email [ops@example.com boss@example.com]: DOWN 10.1.1.254',
      'ntfy: DOWN 10.1.1.254',
      'slack: DOWN 10.1.1.254',
    ]);
    // Each overview counts the hosts its readers hear about.
    expect(routed.deliveries.map((d) => d.overview)).to.deep.equal([
      '2 of 2 hosts down: B7 switch (10.7.0.1) and B7 AP (10.7.0.2)',
      '1 of 1 host down: Cisco Router (10.1.1.254)',
      '1 of 1 host down: Cisco Router (10.1.1.254)',
      '1 of 1 host down: Cisco Router (10.1.1.254)',
    ]);
  });

  it('gives each destination one digest with all its alerts, whichever rows brought them', () => {
    const routes = [
      b7Route,
      route({ kind: 'host', host: '10.1.1.254' }, [email('B7-Admin@example.com'), channel('ntfy')]),
      route({ kind: 'all' }, [channel('ntfy')]),
    ];
    const routed = routeBatch(batch(alert(b7switch), alert(router)), table({ routes }));
    expect(summary(routed)).to.deep.equal([
      'email [b7-admin@example.com]: DOWN 10.7.0.1, DOWN 10.1.1.254',
      'ntfy: DOWN 10.7.0.1, DOWN 10.1.1.254',
    ]);
  });

  it('reaches the default list from a routed host only through `default`, and `email` means the recipients', () => {
    const routes = [
      route({ kind: 'location', location: 'Building 7' }, [
        email('b7-admin@example.com'),
        { kind: 'default' },
      ]),
    ];
    expect(summary(routeBatch(batch(alert(b7switch)), table({ routes })))).to.deep.equal([
      'email [b7-admin@example.com ops@example.com boss@example.com]: DOWN 10.7.0.1',
      'ntfy: DOWN 10.7.0.1',
      'slack: DOWN 10.7.0.1',
    ]);
    const viaEmail = [route({ kind: 'all' }, [channel('email')])];
    expect(summary(routeBatch(batch(alert(router)), table({ routes: viaEmail })))).to.deep.equal([
      'email [ops@example.com boss@example.com]: DOWN 10.1.1.254',
    ]);
  });

  it('sends sms: addresses their own message, sms recipients of email_recipients.csv included', () => {
    const routes = [route({ kind: 'location', location: 'Building 7' }, [sms('5551234@txt.example')])];
    const routed = routeBatch(
      batch(alert(b7switch), alert(router)),
      table({
        routes,
        recipients: { email: ['ops@example.com'], sms: ['5559999@txt.example'] },
        channels: [],
      }),
    );
    expect(summary(routed)).to.deep.equal([
      'email [ops@example.com]: DOWN 10.1.1.254',
      'sms [5551234@txt.example]: DOWN 10.7.0.1',
      'sms [5559999@txt.example]: DOWN 10.1.1.254',
    ]);
  });

  it('sends an ESCALATION to escalate_to only, and to the default list when none is set', () => {
    const escalateTo = [email('boss@example.com'), sms('5550000@txt.example')];
    const routed = routeBatch(
      batch(alert(router, 'REMINDER'), alert(router, 'ESCALATION')),
      table({ escalateTo, recipients: { email: ['ops@example.com', 'boss@example.com'], sms: [] } }),
    );
    expect(summary(routed)).to.deep.equal([
      'email [ops@example.com]: REMINDER 10.1.1.254',
      'email [boss@example.com]: REMINDER 10.1.1.254, ESCALATION 10.1.1.254',
      'sms [5550000@txt.example]: ESCALATION 10.1.1.254',
      'ntfy: REMINDER 10.1.1.254',
      'slack: REMINDER 10.1.1.254',
    ]);
    expect(summary(routeBatch(batch(alert(router, 'ESCALATION')), table({ channels: [] })))).to.deep.equal([
      'email [ops@example.com boss@example.com]: ESCALATION 10.1.1.254',
    ]);
  });

  describe('quiet hours (22:00-07:00 at +02:00; the batch is at 01:30 there)', () => {
    const quiet = {
      startMinute: 22 * 60,
      endMinute: 7 * 60,
      zone: { kind: 'offset', minutes: 120 } as const,
      text: '22:00-07:00',
    };
    const quietRoute = route({ kind: 'location', location: 'Building 7' }, [email('b7-admin@example.com')], {
      quiet,
      line: 4,
    });

    it('drops the non-urgent alerts of the route and sends DOWN and RESTORED', () => {
      const kinds: Alert['kind'][] = [
        'DOWN',
        'RESTORED',
        'REMINDER',
        'DEGRADED',
        'QUALITY_RESTORED',
        'ESCALATION',
      ];
      const routed = routeBatch(
        batch(...kinds.map((kind) => alert(b7switch, kind))),
        table({ routes: [quietRoute], escalateTo: [email('b7-admin@example.com')], channels: [] }),
      );
      expect(summary(routed)).to.deep.equal([
        'email [b7-admin@example.com]: DOWN 10.7.0.1, RESTORED 10.7.0.1, ESCALATION 10.7.0.1',
      ]);
      expect(routed.quieted.map((q) => `${q.alert.kind} routes.csv:${q.route.line}`)).to.deep.equal([
        'REMINDER routes.csv:4',
        'DEGRADED routes.csv:4',
        'QUALITY_RESTORED routes.csv:4',
      ]);
    });

    it('sends everything outside the quiet hours, and leaves other routes and the default list alone', () => {
      const morning: AlertBatch = {
        ...batch(alert(b7switch, 'REMINDER')),
        at: new Date('2026-12-06T05:00:00Z'),
      };
      expect(summary(routeBatch(morning, table({ routes: [quietRoute], channels: [] })))).to.deep.equal([
        'email [b7-admin@example.com]: REMINDER 10.7.0.1',
      ]);
      const night = batch(alert(b7switch, 'REMINDER'), alert(router, 'REMINDER'));
      const loud = route({ kind: 'all' }, [channel('ntfy')]);
      expect(summary(routeBatch(night, table({ routes: [quietRoute, loud] })))).to.deep.equal([
        'ntfy: REMINDER 10.7.0.1, REMINDER 10.1.1.254',
      ]);
    });
  });
});
