import type { Clock } from '../shared/clock.js';
import type { Config, HostEntry } from '../config/types.js';
import type { Log } from '../shared/log.js';
import type { Pinger, ProbeResult } from '../probe/pinger.js';
import type { Alert, AlertBatch, AlertSink } from './alert.js';
import { resolveParents } from '../config/host-parents.js';
import { confirmDependencies } from './confirm-dependencies.js';
import { dependencyOrder, isParentDown, withUnreachableChildren } from './dependency-tree.js';
import { step, unknownHostState, type HostState } from './host-state.js';

/** Hands the loop the configuration to use for the next cycle (reloading it when it changed). */
export interface ConfigSource {
  current(): Promise<Config>;
}

/** Keeps host states between runs (cron mode, restarts). */
export interface StateStore {
  load(): Promise<ReadonlyMap<string, HostState>>;
  save(states: ReadonlyMap<string, HostState>): Promise<void>;
}

/** One host whose status changed in a cycle. */
export interface StateChange {
  readonly entry: HostEntry;
  readonly before: HostState;
  readonly after: HostState;
  readonly result: ProbeResult;
}

/** Everything one cycle found and did, for observers (history, metrics, plug actions...). */
export interface CycleReport {
  /** When the cycle started: the time every state change of the cycle is judged at. */
  readonly at: Date;
  readonly config: Config;
  readonly results: readonly ProbeResult[];
  readonly changes: readonly StateChange[];
  /** Hosts no longer in hosts.csv, with their last state (an open outage closes as "removed"). */
  readonly removed: readonly { readonly host: string; readonly state: HostState }[];
  readonly alerts: readonly Alert[];
  /** The state of every tracked host after the cycle. */
  readonly states: ReadonlyMap<string, HostState>;
  readonly summary: CycleSummary;
}

/**
 * Something that follows the monitor cycle by cycle. It is awaited before the cycle's alerts go out (so a
 * history write lands first) and must return quickly: long work, such as a power cycle, runs on its own.
 * A failing observer is logged and never stops the loop.
 */
export interface MonitorObserver {
  readonly name: string;
  cycleFinished(report: CycleReport): void | Promise<void>;
}

/** What the loop is built from; only the daemon wiring and the CLI build real ones. */
export interface MonitorDeps {
  readonly clock: Clock;
  readonly pinger: Pinger;
  readonly notifiers: readonly AlertSink[];
  readonly log: Log;
  readonly config: ConfigSource;
  readonly stateStore?: StateStore;
  readonly observers?: readonly MonitorObserver[];
}

/** Counts of one finished cycle, as logged in its summary line. */
export interface CycleSummary {
  readonly hosts: number;
  readonly up: number;
  readonly down: number;
  /** Not answering behind a parent that is down (see HostStatus). */
  readonly unreachable: number;
  readonly unknown: number;
  readonly durationMs: number;
  readonly alerts: readonly Alert[];
}

/**
 * Runs probe cycles: one at a time, every `interval_seconds`, carrying out what the state machine asks for.
 * Cycles never overlap: one that overruns the interval delays the next and logs a warning.
 */
export class MonitorLoop {
  private states = new Map<string, HostState>();
  private loaded = false;
  private readonly pendingSends = new Set<Promise<void>>();
  private stopping = new AbortController();
  private running: Promise<void> | null = null;

  constructor(private readonly deps: MonitorDeps) {}

  /** Runs cycles until {@link stop} is called. Resolves once the loop has ended. */
  start(): Promise<void> {
    this.stopping = new AbortController();
    this.running ??= this.runForever().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * Ends the loop: hosts not yet probed in the current cycle are skipped, probes already running finish,
   * alerts already handed to notifiers are delivered (or fail), and the state is saved.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
    await this.drainSends();
  }

  /** The current state of every tracked host (a copy). */
  snapshot(): ReadonlyMap<string, HostState> {
    return new Map(this.states);
  }

  /** Runs one cycle now and waits for its notifications: what `pingwarden once` does. */
  async runOnce(): Promise<CycleSummary> {
    const summary = await this.runCycle(this.deps.clock.now(), await this.deps.config.current());
    await this.drainSends();
    return summary;
  }

  private async runForever(): Promise<void> {
    const { clock, log } = this.deps;
    const signal = this.stopping.signal;
    let intervalSeconds = 0;
    while (!signal.aborted) {
      const startedAt = clock.now();
      try {
        const config = await this.deps.config.current();
        intervalSeconds = config.settings.intervalSeconds;
        await this.runCycle(startedAt, config, signal);
      } catch (error) {
        // An unexpected fault in one cycle (ping could not be run, the disk is full) must not end
        // monitoring: log it and try again next interval.
        log.error('cycle failed', { error: error instanceof Error ? error.message : String(error) });
        if (intervalSeconds === 0) throw error;
      }
      if (signal.aborted) break;
      const intervalMs = intervalSeconds * 1000;
      const waitMs = startedAt.getTime() + intervalMs - clock.now().getTime();
      if (waitMs < 0) {
        log.warn('cycle overran interval; starting the next one now', {
          overrun_ms: -waitMs,
          interval_s: intervalSeconds,
        });
        continue;
      }
      await clock.sleep(waitMs, signal);
    }
  }

  private async runCycle(now: Date, config: Config, signal?: AbortSignal): Promise<CycleSummary> {
    const { clock, pinger, log } = this.deps;
    await this.loadStates();
    const removed = this.syncHosts(config.hosts);

    const hostsByAddress = new Map(config.hosts.map((entry) => [entry.host, entry]));
    const probeOptions = {
      attempts: config.settings.attempts,
      timeoutSeconds: config.settings.timeoutSeconds,
    };
    const parents = resolveParents(config.hosts);
    const results = await confirmDependencies(
      await pinger.probe(
        config.hosts.map((entry) => entry.host),
        probeOptions,
        signal,
      ),
      parents,
      this.deps,
      probeOptions,
      signal,
    );

    let alerts: Alert[] = [];
    const changes: StateChange[] = [];
    const policy = { realertMs: config.settings.realertSeconds * 1000 };
    // Parents are stepped before their children, so a child sees whether its parent is down this cycle.
    const resultsByHost = new Map(results.map((result) => [result.host, result]));
    const startStates = new Map(this.states);
    for (const { host } of dependencyOrder(config.hosts, parents)) {
      const result = resultsByHost.get(host);
      const entry = hostsByAddress.get(host);
      if (!entry || !result) continue;
      const before = this.states.get(entry.host) ?? unknownHostState;
      const parentDown = isParentDown(entry.host, parents, this.states, startStates);
      const { next, effects } = step(before, result, labelOf(entry), now, policy, { parentDown });
      this.states.set(entry.host, next);
      if (next.status !== before.status) {
        changes.push({ entry, before, after: next, result });
        // A host found up at its first probe is no news (the cycle line counts it); at info level it would
        // be one line per host at every start, 10,000 lines for 10,000 hosts.
        const level = before.status === 'UNKNOWN' && next.status === 'UP' ? 'debug' : 'info';
        log[level]('state', {
          host: entry.host,
          from: before.status,
          to: next.status,
          description: entry.description,
          location: entry.location,
          attempts: result.attempts,
          rtt_ms: result.rttMs,
          reason: result.error,
        });
      }
      for (const effect of effects) alerts.push(effect.alert);
    }
    alerts = withUnreachableChildren(alerts, config.hosts, parents, this.states);
    const summary = this.summarise(config.hosts, clock.now().getTime() - now.getTime(), alerts);
    await this.notifyObservers({
      at: now,
      config,
      results,
      changes,
      removed,
      alerts,
      states: this.states,
      summary,
    });
    if (alerts.length > 0) this.dispatch(this.batchOf(now, config.hosts, alerts));

    log.info('cycle', {
      hosts: summary.hosts,
      up: summary.up,
      down: summary.down,
      unknown: summary.unknown,
      ...(summary.unreachable > 0 && { unreachable: summary.unreachable }),
      alerts: alerts.length,
      ms: summary.durationMs,
    });
    await this.saveStates();
    return summary;
  }

  /** Starts tracking hosts new to hosts.csv and stops tracking removed ones (closing open outages quietly). */
  private syncHosts(hosts: readonly HostEntry[]): CycleReport['removed'] {
    const wanted = new Set(hosts.map((entry) => entry.host));
    const removed: { host: string; state: HostState }[] = [];
    for (const [host, state] of this.states) {
      if (wanted.has(host)) continue;
      this.states.delete(host);
      removed.push({ host, state });
      if (state.status === 'DOWN') {
        // Removing a host is the user's decision, not a recovery: close the outage in the log, no email.
        this.deps.log.info('outage closed', { host, reason: 'removed', since: state.since?.toISOString() });
      } else {
        this.deps.log.info('host removed', { host });
      }
    }
    for (const host of wanted) {
      if (!this.states.has(host)) this.states.set(host, unknownHostState);
    }
    return removed;
  }

  private async notifyObservers(report: CycleReport): Promise<void> {
    for (const observer of this.deps.observers ?? []) {
      try {
        await observer.cycleFinished(report);
      } catch (error) {
        this.deps.log.error('observer failed', {
          observer: observer.name,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  /**
   * Hands the cycle's alerts to every notifier without waiting: a slow SMTP server must not delay the next
   * cycle. A notifier that takes batches gets them all at once (one digest), the others one by one.
   */
  private dispatch(batch: AlertBatch): void {
    for (const notifier of this.deps.notifiers) {
      const report = (alert: Alert | undefined) => (error: unknown) => {
        this.deps.log.error('notify failed', {
          notifier: notifier.name,
          kind: alert?.kind ?? 'DIGEST',
          host: alert?.target.host ?? `${batch.alerts.length} alerts`,
          error: error instanceof Error ? error.message : String(error),
        });
      };
      const sends = notifier.sendBatch
        ? [notifier.sendBatch(batch).catch(report(batch.alerts.length === 1 ? batch.alerts[0] : undefined))]
        : batch.alerts.map((alert) => notifier.send(alert).catch(report(alert)));
      for (const send of sends) {
        const sending = send.finally(() => this.pendingSends.delete(sending));
        this.pendingSends.add(sending);
      }
    }
  }

  private batchOf(at: Date, hosts: readonly HostEntry[], alerts: readonly Alert[]): AlertBatch {
    const status = (entry: HostEntry) => this.states.get(entry.host)?.status;
    return {
      at,
      alerts,
      hosts: hosts.length,
      down: hosts.filter((entry) => status(entry) === 'DOWN').map(labelOf),
      unreachable: hosts.filter((entry) => status(entry) === 'UNREACHABLE').length,
    };
  }

  private async drainSends(): Promise<void> {
    while (this.pendingSends.size > 0) await Promise.all([...this.pendingSends]);
  }

  private summarise(hosts: readonly HostEntry[], durationMs: number, alerts: readonly Alert[]): CycleSummary {
    let up = 0;
    let down = 0;
    let unreachable = 0;
    for (const entry of hosts) {
      const status = this.states.get(entry.host)?.status;
      if (status === 'UP') up++;
      else if (status === 'DOWN') down++;
      else if (status === 'UNREACHABLE') unreachable++;
    }
    const unknown = hosts.length - up - down - unreachable;
    return { hosts: hosts.length, up, down, unreachable, unknown, durationMs, alerts };
  }

  private async loadStates(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const saved = await this.deps.stateStore?.load();
    if (saved) this.states = new Map(saved);
  }

  private async saveStates(): Promise<void> {
    try {
      await this.deps.stateStore?.save(this.states);
    } catch (error) {
      this.deps.log.error('could not save state', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function labelOf(entry: HostEntry) {
  return { host: entry.host, description: entry.description, location: entry.location };
}
