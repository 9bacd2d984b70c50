import { parseHosts } from '../../lib/config/parse-hosts.js';
import type { Config } from '../../lib/config/types.js';
import { MonitorLoop } from '../../lib/monitor/monitor-loop.js';
import { CycleLog } from '../../lib/monitor/cycle-log.js';
import { AlertLog } from '../../lib/notify/channels/log/alert-log.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../../lib/probe/pinger.js';
import { FakeClock } from '../../test/fakes/fake-clock.js';
import { testSettings } from '../../test/fakes/fake-config.js';
import { FakeLog } from '../../test/fakes/fake-log.js';
import { FakeNotifier } from '../../test/fakes/fake-notifier.js';
import { fakeProbers } from '../../test/fakes/fake-pinger.js';
import { hostsCsv } from './bench-lab.js';
import { median } from './measure.js';

/** The cost of everything in a cycle except the probing itself, for `count` hosts. */
export interface CoreResult {
  readonly hosts: number;
  /** Parsing and validating hosts.csv. */
  readonly parseMs: number;
  /** One steady cycle (every host stays as it was) with an instant pinger. */
  readonly steadyCycleMs: number;
  /** Log lines of a steady cycle: must be 1 (the cycle line) whatever the host count. */
  readonly steadyLogLines: number;
  /** Heap growth per host of a running loop (config entries plus states), in bytes. */
  readonly bytesPerHost: number;
}

/** Answers every host at once, every tenth one dead. */
class InstantPinger implements Pinger {
  constructor(private readonly clock: FakeClock) {}
  async probe(hosts: readonly string[], options: ProbeOptions): Promise<ProbeResult[]> {
    const startedAt = this.clock.now();
    return hosts.map((host, i) =>
      i % 10 === 9
        ? { host, alive: false, attempts: options.attempts, rttMs: null, startedAt }
        : { host, alive: true, attempts: 1, rttMs: 0.4, startedAt },
    );
  }
}

function address(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * Measures, in this process, what does not depend on the network: config parsing, the loop's own work per
 * cycle and per-host memory, so a regression to something quadratic shows as a jump between host counts.
 */
export async function benchCore(count: number, repeats: number): Promise<CoreResult> {
  const text = hostsCsv(Array.from({ length: count }, (_, i) => address(i)));
  const parseTimes: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const start = performance.now();
    const parsed = parseHosts(text, 'hosts.csv');
    parseTimes.push(performance.now() - start);
    if (parsed.errors.length > 0 || parsed.targets.length !== count)
      throw new Error('hosts.csv did not parse');
  }

  // Memory per host: the parsed config plus the loop's states, with garbage collected before and after.
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const targets = parseHosts(text, 'hosts.csv').targets;
  const clock = new FakeClock();
  const log = new FakeLog();
  const config: Config = {
    targets,
    settings: { ...testSettings, realertSeconds: 0 },
    smtp: null,
    warnings: [],
  };
  const loop = new MonitorLoop({
    clock,
    probers: fakeProbers(new InstantPinger(clock)),
    outbox: new FakeNotifier(),
    log,
    config: { current: async () => config },
    observers: [new CycleLog(log), new AlertLog(log)],
  });
  await loop.runOnce();
  const cycleTimes: number[] = [];
  let steadyLogLines = 0;
  for (let run = 0; run < repeats; run++) {
    clock.advance(60_000);
    const linesBefore = log.lines.length;
    const start = performance.now();
    await loop.runOnce();
    cycleTimes.push(performance.now() - start);
    steadyLogLines = log.lines.length - linesBefore;
  }
  log.lines.length = 0;
  globalThis.gc?.();
  const bytesPerHost = (process.memoryUsage().heapUsed - heapBefore) / count;
  // Still referenced here, so the collection above could not take the states away.
  if (loop.snapshot().size !== count) throw new Error('states lost');
  return {
    hosts: count,
    parseMs: median(parseTimes),
    steadyCycleMs: median(cycleTimes),
    steadyLogLines,
    bytesPerHost,
  };
}
