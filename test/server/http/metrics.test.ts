import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import type { Alert } from '../../../lib/monitor/alert.js';
import { MonitorLoop } from '../../../lib/monitor/monitor-loop.js';
import type { Notification } from '../../../lib/notify/notification.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeConfigSource, testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../../fakes/fake-pinger.js';
import { waitFor } from '../../support/wait-for.js';

const run = promisify(execFile);

/** `name{labels} value` lines of the exposition, without comments. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

function alertOf(kind: Alert['kind']): Alert {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    kind,
    target: { host: '198.18.0.11', description: '', location: '' },
    at,
    downSince: at,
    durationMs: 0,
    attempts: 1,
    lastRttMs: null,
  };
}

describe('PingwardenMetrics', () => {
  async function monitored() {
    const clock = new FakeClock('2026-01-01T00:00:00Z');
    const pinger = new FakePinger(clock);
    const notifier = new FakeNotifier('email');
    const metrics = new PingwardenMetrics({ defaultMetrics: false });
    const config = new FakeConfigSource(['198.18.0.10', '198.18.0.11']);
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: notifier,
      log: new FakeLog(),
      config,
      observers: [metrics.observer()],
    });
    return { clock, pinger, notifier, metrics, config, loop };
  }

  // Issue 13: alerts the outbox cannot store (disk full) are held in memory; monitoring must be able to see it.
  it('pingwarden_alerts_held counts alerts held in memory while the outbox cannot store them', async () => {
    const { clock, pinger, notifier, metrics, loop } = await monitored();
    await loop.runOnce(); // t=0 both up
    expect(samples(await metrics.registry.metrics())).to.include('pingwarden_alerts_held 0');
    notifier.failWith = new Error('ENOSPC: no space left on device');
    pinger.down.add('198.18.0.11');
    clock.advance(60_000);
    await loop.runOnce(); // DOWN, held
    expect(samples(await metrics.registry.metrics())).to.include('pingwarden_alerts_held 1');
    notifier.failWith = null;
    clock.advance(60_000);
    await loop.runOnce(); // stored now
    expect(samples(await metrics.registry.metrics())).to.include('pingwarden_alerts_held 0');
    expect(notifier.summary).to.deep.equal(['DOWN 198.18.0.11']);
  });

  it('follows hosts through an outage: up, rtt, outages, seconds down, cycles, notifier failures', async () => {
    const { clock, pinger, notifier, metrics, loop } = await monitored();
    await loop.runOnce(); // t=0 both up
    pinger.down.add('198.18.0.11');
    clock.advance(60_000);
    await loop.runOnce(); // t=60 DOWN, the email fails
    clock.advance(60_000);
    await loop.runOnce(); // t=120 still down
    pinger.down.delete('198.18.0.11');
    clock.advance(60_000);
    await loop.runOnce(); // t=180 RESTORED
    await waitFor(() => notifier.sent.length === 2, 'the DOWN and RESTORED alerts');

    // The outbox hands messages to the channels through countingNotifier: the DOWN email fails once and is
    // retried, then a digest of two alerts goes out.
    let failNext = true;
    const email = metrics.countingNotifier({
      name: 'email',
      sendNotification: () => {
        if (!failNext) return Promise.resolve();
        failNext = false;
        return Promise.reject(new Error('SMTP down'));
      },
    });
    const message = (alerts: Alert[]): Notification => ({
      id: 'm',
      composedAt: clock.now(),
      overview: '',
      alerts,
    });
    const [down, restored] = [alertOf('DOWN'), alertOf('RESTORED')];
    const context = { now: clock.now(), attempt: 1 };
    await email.sendNotification(message([down]), context).catch(() => undefined);
    await email.sendNotification(message([down]), { ...context, attempt: 2 });
    await email.sendNotification(message([restored]), context);
    await email.sendNotification(message([down, restored]), context);

    const lines = samples((await metrics.exposition()).body);
    for (const expected of [
      'pingwarden_host_up{host="198.18.0.10"} 1',
      'pingwarden_host_up{host="198.18.0.11"} 1',
      'pingwarden_host_info{host="198.18.0.11",description="Host 198.18.0.11",location="Lab"} 1',
      'pingwarden_host_rtt_seconds{host="198.18.0.11"} 0.0005',
      'pingwarden_host_outages_total{host="198.18.0.10"} 0',
      'pingwarden_host_outages_total{host="198.18.0.11"} 1',
      'pingwarden_host_down_seconds_total{host="198.18.0.10"} 0',
      'pingwarden_host_down_seconds_total{host="198.18.0.11"} 120',
      'pingwarden_hosts{status="up"} 2',
      'pingwarden_cycle_duration_seconds_count 4',
      'pingwarden_last_cycle_timestamp_seconds 1767225780',
      'pingwarden_notifications_total{notifier="email",kind="DOWN"} 2',
      'pingwarden_notifications_total{notifier="email",kind="RESTORED"} 1',
      'pingwarden_notifications_total{notifier="email",kind="DIGEST"} 1',
      'pingwarden_notifier_failures_total{notifier="email",kind="DOWN"} 1',
    ]) {
      expect(lines, expected).to.include(expected);
    }
  });

  it('reads the outbox queue and the heartbeat counters at each scrape', async () => {
    const metrics = new PingwardenMetrics({ defaultMetrics: false });
    let queued = new Map([
      ['email', 2],
      ['discord', 0],
    ]);
    let accepted = 5;
    metrics.readFrom({
      queued: async () => queued,
      heartbeats: () => ({
        accepted,
        dropped: {
          oversize: 0,
          malformed: 3,
          unknown_sensor: 0,
          unsigned: 1,
          bad_signature: 2,
          stale: 0,
          replayed: 4,
        },
      }),
    });
    const first = samples((await metrics.exposition()).body);
    for (const expected of [
      'pingwarden_notifier_queue_length{notifier="email"} 2',
      'pingwarden_notifier_queue_length{notifier="discord"} 0',
      'pingwarden_heartbeats_accepted_total 5',
      'pingwarden_heartbeats_dropped_total{reason="malformed"} 3',
      'pingwarden_heartbeats_dropped_total{reason="bad_signature"} 2',
      'pingwarden_heartbeats_dropped_total{reason="replayed"} 4',
    ]) {
      expect(first, expected).to.include(expected);
    }
    queued = new Map([['email', 0]]);
    accepted = 9;
    const second = samples((await metrics.exposition()).body);
    expect(second).to.include('pingwarden_notifier_queue_length{notifier="email"} 0');
    expect(second, 'a notifier gone from the outbox').not.to.include(
      'pingwarden_notifier_queue_length{notifier="discord"} 0',
    );
    expect(second).to.include('pingwarden_heartbeats_accepted_total 9');
  });

  it('shows 0 while a host is DOWN and counts down time cycle by cycle', async () => {
    const { clock, pinger, metrics, loop } = await monitored();
    pinger.down.add('198.18.0.10');
    await loop.runOnce(); // t=0: DOWN from the first cycle
    clock.advance(30_000);
    await loop.runOnce();
    const lines = samples((await metrics.exposition()).body);
    expect(lines).to.include('pingwarden_host_up{host="198.18.0.10"} 0');
    expect(lines).to.include('pingwarden_host_down_seconds_total{host="198.18.0.10"} 30');
    expect(lines).to.include('pingwarden_hosts{status="down"} 1');
  });

  it('counts every host under its status, UNREACHABLE included, and leaves host_up out for a child behind a down parent', async () => {
    const { clock, pinger, metrics, config, loop } = await monitored();
    config.setTargets([
      testTarget('198.18.0.10'),
      testTarget('198.18.0.11', { parent: '198.18.0.10' }),
      testTarget('198.18.0.12'),
    ]);
    pinger.down.add('198.18.0.10');
    pinger.down.add('198.18.0.11');
    await loop.runOnce();
    const lines = samples((await metrics.exposition()).body);
    const byStatus = lines.filter((line) => line.startsWith('pingwarden_hosts{'));
    expect(byStatus).to.have.members([
      'pingwarden_hosts{status="unknown"} 0',
      'pingwarden_hosts{status="up"} 1',
      'pingwarden_hosts{status="degraded"} 0',
      'pingwarden_hosts{status="down"} 1',
      'pingwarden_hosts{status="unreachable"} 1',
      'pingwarden_hosts{status="flapping"} 0',
      'pingwarden_hosts{status="maintenance"} 0',
    ]);
    expect(lines).to.include('pingwarden_host_up{host="198.18.0.10"} 0');
    expect(lines).to.include('pingwarden_host_up{host="198.18.0.12"} 1');
    expect(lines.filter((line) => line.startsWith('pingwarden_host_up{host="198.18.0.11"}'))).to.deep.equal(
      [],
    );
    expect(
      lines.filter((line) => line.startsWith('pingwarden_host_status{host="198.18.0.11"')),
    ).to.have.members([
      'pingwarden_host_status{host="198.18.0.11",status="unknown"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="up"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="degraded"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="down"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="unreachable"} 1',
      'pingwarden_host_status{host="198.18.0.11",status="flapping"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="maintenance"} 0',
    ]);

    // The parent is back, the child still silent: a cycle later (the parent counts as down while its own
    // recovery cycle runs) the child is DOWN in its own right and host_up says so.
    pinger.down.delete('198.18.0.10');
    for (let cycle = 0; cycle < 2; cycle++) {
      clock.advance(60_000);
      await loop.runOnce();
    }
    const after = samples((await metrics.exposition()).body);
    expect(after).to.include('pingwarden_host_up{host="198.18.0.11"} 0');
    expect(after).to.include('pingwarden_host_status{host="198.18.0.11",status="down"} 1');
    expect(after).to.include('pingwarden_hosts{status="unreachable"} 0');
  });

  it('rounds round-trip times to the microsecond', async () => {
    const { pinger, metrics, loop } = await monitored();
    const probe = pinger.probe.bind(pinger);
    pinger.probe = async (hosts, options) =>
      (await probe(hosts, options)).map((result) => (result.alive ? { ...result, rttMs: 0.018 } : result));
    await loop.runOnce();
    const lines = samples((await metrics.exposition()).body);
    expect(lines).to.include('pingwarden_host_rtt_seconds{host="198.18.0.10"} 0.000018');
  });

  it("exports each host's loss ratio and RTT avg/min/max of the last cycle, and DEGRADED", async () => {
    const { pinger, metrics, config, loop } = await monitored();
    config.config = { ...config.config, settings: { ...config.config.settings, degradedLossPercent: 20 } };
    pinger.quality.set('198.18.0.11', {
      sent: 5,
      received: 3,
      minMs: 10,
      avgMs: 20.5,
      maxMs: 30,
      mdevMs: 8,
    });
    await loop.runOnce();
    const lines = samples((await metrics.exposition()).body);
    expect(lines).to.include.members([
      'pingwarden_host_loss_ratio{host="198.18.0.11"} 0.4',
      'pingwarden_host_rtt_avg_seconds{host="198.18.0.11"} 0.0205',
      'pingwarden_host_rtt_min_seconds{host="198.18.0.11"} 0.01',
      'pingwarden_host_rtt_max_seconds{host="198.18.0.11"} 0.03',
      'pingwarden_host_status{host="198.18.0.11",status="degraded"} 1',
      'pingwarden_host_up{host="198.18.0.11"} 1',
      'pingwarden_hosts{status="degraded"} 1',
    ]);
    // Nothing came back: loss 1, and no RTT series rather than a perfect-looking 0.
    pinger.quality.set('198.18.0.11', {
      sent: 7,
      received: 0,
      minMs: null,
      avgMs: null,
      maxMs: null,
      mdevMs: null,
    });
    await loop.runOnce();
    const after = samples((await metrics.exposition()).body);
    expect(after).to.include('pingwarden_host_loss_ratio{host="198.18.0.11"} 1');
    expect(
      after.filter((line) => line.startsWith('pingwarden_host_rtt_avg_seconds{host="198.18.0.11"')),
    ).to.deep.equal([]);
  });

  it('shows a host waiting for confirmation (down_after_cycles 2)', async () => {
    const { pinger, metrics, config, loop } = await monitored();
    config.config = { ...config.config, settings: { ...config.config.settings, downAfterCycles: 2 } };
    await loop.runOnce();
    pinger.down.add('198.18.0.11');
    await loop.runOnce();
    const lines = samples((await metrics.exposition()).body);
    expect(lines).to.include.members([
      'pingwarden_host_pending{host="198.18.0.11",toward="down"} 1',
      'pingwarden_host_pending{host="198.18.0.11",toward="up"} 0',
      'pingwarden_host_pending{host="198.18.0.10",toward="down"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="up"} 1',
    ]);
    await loop.runOnce();
    const confirmed = samples((await metrics.exposition()).body);
    expect(confirmed).to.include.members([
      'pingwarden_host_pending{host="198.18.0.11",toward="down"} 0',
      'pingwarden_host_status{host="198.18.0.11",status="down"} 1',
    ]);
  });

  it('drops the series of a host removed from hosts.csv', async () => {
    const { config, metrics, loop } = await monitored();
    await loop.runOnce();
    config.setHosts(['198.18.0.10']);
    await loop.runOnce();
    const text = (await metrics.exposition()).body;
    expect(text).to.not.include('198.18.0.11');
  });

  it('passes promtool check metrics, default process metrics included', async function () {
    const promtool = await run('which', ['promtool']).catch(() => null);
    if (!promtool) {
      if (process.env.PINGWARDEN_REQUIRE_LAB === '1')
        throw new Error('promtool missing (apt-get install prometheus)');
      console.log('      skipped: promtool not installed (apt-get install prometheus)');
      this.skip();
    }
    const { pinger, metrics, loop } = await monitored();
    const withDefaults = new PingwardenMetrics();
    // Push heartbeat series too (one sensor, and the "" of made-up names).
    metrics.readFrom({
      push: () => ({
        pushes: new Map([
          ['nas', { accepted: 4, bad_key: 1, rate_limited: 2 }],
          ['', { accepted: 0, bad_key: 3, rate_limited: 0 }],
        ]),
        lastSeen: new Map([['nas', Date.parse('2026-01-01T00:00:00Z')]]),
      }),
    });
    pinger.down.add('198.18.0.11');
    await loop.runOnce();
    for (const registry of [metrics, withDefaults]) {
      const { body } = await registry.exposition();
      const child = execFile('promtool', ['check', 'metrics']);
      const result = new Promise<{ code: number | null; output: string }>((resolve) => {
        let output = '';
        child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('close', (code) => resolve({ code, output }));
      });
      child.stdin?.end(body);
      const { code, output } = await result;
      // prom-client's own Node.js collectors name three gauges *_total, which promtool's linter (exit 3)
      // dislikes; that is a naming nit of the library, not a format error (exit 1). Nothing else may show.
      const libraryNits =
        /^pingwarden_nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/;
      const problems = output.split('\n').filter((line) => line !== '' && !libraryNits.test(line));
      expect(problems).to.deep.equal([]);
      expect(code).to.be.oneOf(registry === metrics ? [0] : [0, 3]);
      if (registry === metrics)
        expect(body).to.include('pingwarden_push_heartbeats_total{sensor="nas",result="rate_limited"} 2');
    }
  });
});
