import type { Target } from '../config/target.js';
import type { Config } from '../config/types.js';
import type { Clock } from '../shared/clock.js';
import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { ProbeOptions, ProbeResult } from '../probe/pinger.js';
import { probeTargets, type ProberRegistry } from '../probe/prober.js';
import type { PathTracing, TraceLimits } from '../probe/trace/path-tracer.js';
import type { NetworkView, NetworkViewSource } from '../probe/trace/routing-table.js';
import { traceHopsText, type TraceSnapshot } from '../shared/fault-evidence.js';
import type { ActionEvent, EffectRunner } from './actions.js';
import type { Alert, AlertBatch, AlertSink } from './alert.js';
import { confirmDependencies } from './confirm-dependencies.js';
import { trustedResults } from './trusted-results.js';
import {
  applyActionEvents,
  initialActionMemory,
  type ActionContext,
  type ActionMemory,
  type ActionPolicy,
} from './evaluate-actions.js';
import {
  cyclePolicy,
  evaluateCycle,
  type AckedOutage,
  type CycleOutcome,
  type CyclePolicy,
  type RemovedTarget,
  type StateChange,
} from './evaluate-cycle.js';
import type { AlertPolicy, HostState, HostStatus } from './host-state.js';
import { outageEvidence, withEvidence, type OutageEvidence } from './outage-evidence.js';
import {
  cyclesToResume,
  resumeFromMs,
  resumeQualityMemory,
  type QualityMemorySource,
} from './quality-resume.js';
import { attachNotes } from './pending-notes.js';
import { NO_CONTROLS, suppressionsAt, type ControlSource, type OperatorControls } from './suppression.js';
import { beginsOutage, endsOutage, planTraces } from './trace-plan.js';

/** Hands the loop the configuration to use for the next cycle (reloading it when it changed). */
export interface ConfigSource {
  current(): Promise<Config>;
}

/** Where the loop's states come from at start (the history: restarts and cron runs resume from it). */
export interface StateStore {
  load(): Promise<ReadonlyMap<string, HostState>>;
  /**
   * The power-cycle memory the history implies (attempts in the current outage, last start, give-up,
   * triggers seen UP), after {@link load}: how consecutive cron runs behave like one daemon.
   */
  loadActionMemory?(targets: readonly Target[], policy: ActionPolicy): ActionMemory;
}

/** Counts of one finished cycle, as logged in its summary line. */
export interface CycleSummary {
  /** Targets monitored in the cycle. */
  readonly hosts: number;
  /** Targets per status after the cycle. */
  readonly counts: Readonly<Record<HostStatus, number>>;
  readonly durationMs: number;
  readonly alerts: readonly Alert[];
  /** Alerts held in memory after the cycle because the outbox could not store them (disk full, read-only). */
  readonly heldAlerts: number;
}

/** Everything one cycle found and did, for observers (history, metrics, logs...). */
export interface CycleReport {
  /** When the cycle started: the time every state change of the cycle is judged at. */
  readonly at: Date;
  readonly config: Config;
  readonly results: readonly ProbeResult[];
  readonly changes: readonly StateChange[];
  /** Targets no longer configured, with their last state (an open outage closes as "removed"). */
  readonly removed: readonly RemovedTarget[];
  /** The cycle's alerts, with their notes, as handed to the outbox. */
  readonly alerts: readonly Alert[];
  /** The state of every configured target after the cycle. */
  readonly states: ReadonlyMap<string, HostState>;
  readonly summary: CycleSummary;
  /** Outages acknowledged (`pingwarden ack`) in this cycle; absent = none. */
  readonly acked?: readonly AckedOutage[];
  /** Fault layers and path snapshots of the outages that began or ended in this cycle, by target id. */
  readonly evidence?: ReadonlyMap<string, OutageEvidence>;
}

/**
 * Something that follows the monitor cycle by cycle: the history, the log, the metrics. Observers are
 * awaited in order, after the cycle's alerts are committed to the outbox (so an alert the history records
 * is always queued), and must return quickly. A failing observer is logged and never stops the loop.
 */
export interface MonitorObserver {
  readonly name: string;
  cycleFinished(report: CycleReport): void | Promise<void>;
}

/** What the loop is built from; only app/ builds real ones. */
/** While alerts are held, how often the ERROR line repeats. */
const HELD_ERROR_EVERY_MS = 60_000;

export interface MonitorDeps {
  readonly clock: Clock;
  readonly probers: ProberRegistry;
  /** The one alert path: each cycle's alerts go here as one batch. */
  readonly outbox: AlertSink;
  readonly log: Log;
  readonly config: ConfigSource;
  readonly stateStore?: StateStore;
  /**
   * The link quality series, read back once at the first cycle: the quality windows and flap histories of
   * the resumed states are rebuilt from it (see quality-resume.ts). Absent: they start empty.
   */
  readonly qualityMemory?: QualityMemorySource;
  readonly observers?: readonly MonitorObserver[];
  /** Carry out the cycle's actions (power cycles, lamp). */
  readonly effects?: readonly EffectRunner[];
  /** Power-cycle plugs named by `cycle:` (default true). */
  readonly powerCycles?: boolean;
  /** `start --dry-run`: plugs are not switched; recovery messages say so. */
  readonly dryRun?: boolean;
  /** Rebuild the power-cycle memory from the state store at the first cycle (the app always does). */
  readonly resumeActions?: boolean;
  /** Snoozes and acks given by commands, read at the start of every cycle; absent = none. */
  readonly controls?: ControlSource;
  /** Takes path snapshots of outages that begin or end (issue 17); absent = none are taken. */
  readonly tracer?: PathTracing;
  /** The monitor's routing table (default gateway, own networks), for the fault layer; absent = unknown. */
  readonly network?: NetworkViewSource;
}

/** Options of one {@link MonitorLoop.runOnce}. */
export interface RunOnceOptions {
  /** False: judge the results but start no power cycle (the follow-up cycle of `pingwarden once`). */
  readonly startCycles?: boolean;
  /**
   * While the outbox refuses alerts (disk full, read-only), keep offering them for up to this long before
   * the cycle ends (`pingwarden once`, which has no next cycle to retry in). Default 0: the next cycle retries.
   */
  readonly retryHeldForMs?: number;
}

/** How often `retryHeldForMs` offers held alerts to the outbox again. */
const HELD_RETRY_EVERY_MS = 1_000;

/**
 * Runs probe cycles: one at a time, every `interval_seconds`. Each cycle probes every target through the
 * prober registry, judges the results with the pure {@link evaluateCycle}, hands the actions to the effect
 * runners, commits the alerts to the outbox, then tells the observers. Cycles never overlap: one that
 * overruns the interval delays the next and logs a warning.
 */
export class MonitorLoop {
  private states: ReadonlyMap<string, HostState> = new Map();
  private memory: ActionMemory = initialActionMemory;
  private events: ActionEvent[] = [];
  private loaded = false;
  private inCycle = false;
  /** What events between cycles are judged with: the last cycle's targets, policy and states. */
  private context: Omit<ActionContext, 'now'> | null = null;
  /** Recovery messages stored between cycles: the next cycle's report hands them to the observers. */
  private sentBetween: Alert[] = [];
  private flushing: Promise<void> = Promise.resolve();
  /** Commits run one after another, so the held queue is never offered twice at once. */
  private committing: Promise<unknown> = Promise.resolve();
  /** Batches the outbox refused (disk full, read-only), oldest first: retried before each new one. */
  private held: AlertBatch[] = [];
  private lastHeldErrorAt = -Infinity;
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

  /** Ends the loop: targets not yet probed in the current cycle are skipped, probes already running finish. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  /** The current state of every tracked target. */
  snapshot(): ReadonlyMap<string, HostState> {
    return new Map(this.states);
  }

  /** Runs one cycle now: what `pingwarden once` does. Its alerts are queued in the outbox when it resolves. */
  async runOnce(options: RunOnceOptions = {}): Promise<CycleSummary> {
    return this.runCycle(this.deps.clock.now(), await this.deps.config.current(), undefined, options);
  }

  /** Resolves once the action events reported so far are judged and their messages committed. */
  async settle(): Promise<void> {
    this.flushEvents();
    await this.flushing;
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
        log.error('cycle failed', { error: errorMessage(error) });
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

  private async runCycle(
    now: Date,
    config: Config,
    signal?: AbortSignal,
    options: RunOnceOptions = {},
  ): Promise<CycleSummary> {
    this.inCycle = true;
    try {
      return await this.judgeCycle(now, config, signal, options);
    } finally {
      this.inCycle = false;
      // A power cycle that ended while this cycle ran is judged now, not an interval later.
      this.flushEvents();
    }
  }

  private async judgeCycle(
    now: Date,
    config: Config,
    signal: AbortSignal | undefined,
    once: RunOnceOptions,
  ): Promise<CycleSummary> {
    const { clock, probers, log } = this.deps;
    const { targets, settings } = config;
    const policy = cyclePolicy(settings, {
      powerCycles: this.deps.powerCycles ?? true,
      dryRun: this.deps.dryRun ?? false,
      ...(once.startCycles === false && { startCycles: false }),
    });
    await this.loadStates(targets, policy, now, settings.intervalSeconds * 1000);
    const options: ProbeOptions = {
      attempts: settings.attempts,
      timeoutSeconds: settings.timeoutSeconds,
      packets: settings.packets,
      packetIntervalMs: settings.packetIntervalMs,
    };
    const results = await confirmDependencies(
      trustedResults(await probeTargets(probers, targets, options, signal), signal, log),
      targets,
      { reprobe: (again, reprobeSignal) => probeTargets(probers, again, options, reprobeSignal), log },
      signal,
    );

    const controls = await this.readControls();
    const before = { targets, policy: policy.actions, states: this.states, now };
    const resumed = applyActionEvents(this.memory, this.takeEvents(), before);
    this.logRecovery(resumed.outgoing);
    const outcome = evaluateCycle({
      states: this.states,
      results,
      targets,
      policy,
      now,
      memory: resumed,
      suppressed: suppressionsAt(targets, config.maintenance ?? [], controls.snoozes, now),
      acks: controls.acks,
    });
    this.states = outcome.states;
    this.context = { targets, policy: policy.actions, states: outcome.states };
    for (const entry of outcome.logs) log[entry.level](entry.message, entry.fields);
    // The DOWN alert waits for its snapshot (bounded by trace_timeout_seconds), so the hops are in it. The
    // snapshots are taken before the actions run: a modem being power-cycled would cut the path short.
    const evidence = await this.gatherEvidence(config, outcome, signal);
    const carried = this.carryOut(outcome, { ...this.context, now });
    const { recovery } = carried;
    // Alerts name their target by label; the map back to ids is built only in a cycle that has evidence.
    let idsByHost: Map<string, string> | undefined;
    const alerts = withEvidence(carried.alerts, evidence, (alert) =>
      (idsByHost ??= new Map(targets.map((target) => [target.label.host, target.id]))).get(alert.target.host),
    );
    const durationMs = clock.now().getTime() - now.getTime();

    // The outbox first: once the history says an alert went out, it must be queued (issue: SIGKILL between
    // the two). A crash after this line sends the alert again on restart, with the same message id.
    // A batch the outbox cannot store (disk full, read-only) is held and offered again every cycle; the
    // history records alerts only once their batch is stored, so it never claims an unqueued alert.
    const queued = await this.commit(alerts.length > 0 ? this.batchOf(now, config, outcome, alerts) : null);
    // A recovery message ("a person is needed") is a message of its own, never lost in a digest.
    if (recovery.length > 0)
      queued.push(...(await this.commit(this.batchOf(now, config, outcome, recovery))));
    queued.push(...(await this.retryHeld(once.retryHeldForMs ?? 0, signal)));
    const summary: CycleSummary = {
      hosts: targets.length,
      counts: outcome.counts,
      durationMs,
      alerts,
      heldAlerts: this.heldAlerts,
    };
    const between = this.sentBetween;
    this.sentBetween = [];
    await this.notifyObservers({
      at: now,
      config,
      results,
      changes: outcome.changes,
      removed: outcome.removed,
      alerts: [...between, ...queued],
      states: outcome.states,
      summary,
      ...(outcome.acked.length > 0 && { acked: outcome.acked }),
      ...(evidence.size > 0 && { evidence }),
    });
    return summary;
  }

  /**
   * The fault layer of every outage that begins in this cycle and the path snapshots of those that begin
   * or end (at most `trace_max_per_cycle`, all at once, each stopped after `trace_timeout_seconds`).
   */
  private async gatherEvidence(
    config: Config,
    outcome: CycleOutcome,
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, OutageEvidence>> {
    const { changes } = outcome;
    const { settings, targets } = config;
    const beginning = changes.some(beginsOutage);
    if (!beginning && !changes.some(endsOutage)) return new Map();
    const tracer = this.deps.tracer;
    const planned = tracer === undefined ? [] : planTraces(changes, settings.traceMaxPerCycle);
    const limits: TraceLimits = {
      maxHops: settings.traceMaxHops,
      waitSeconds: settings.timeoutSeconds,
      timeoutMs: settings.traceTimeoutSeconds * 1000,
      icmp: settings.probeTracerouteIcmp,
    };
    const taken = await Promise.all(
      planned.map(async (plan) => {
        try {
          return (await tracer?.trace(plan, limits, signal)) ?? null;
        } catch (error) {
          this.deps.log.warn('trace failed', { host: plan.target.id, error: errorMessage(error) });
          return null;
        }
      }),
    );
    const traces = new Map<string, TraceSnapshot>();
    planned.forEach((plan, index) => {
      const trace = taken[index];
      if (!trace) return;
      traces.set(plan.target.id, trace);
      this.deps.log.info('trace', { host: plan.target.id, phase: trace.phase, hops: traceHopsText(trace) });
    });
    const view = beginning ? await this.readNetwork(settings.gatewayAddress) : { gateway: null, lanNets: [] };
    const evidence = outageEvidence(changes, traces, { targets, states: outcome.states, ...view });
    for (const [host, found] of evidence) {
      if (found.fault)
        this.deps.log.info('fault layer', {
          host,
          layer: found.fault.layer ?? 'unknown',
          reason: found.fault.reason,
        });
    }
    return evidence;
  }

  /** The routing table's view, with `gateway_address` (when set) in place of its default gateway. */
  private async readNetwork(gatewayAddress: string): Promise<NetworkView> {
    let view: NetworkView = { gateway: null, lanNets: [] };
    try {
      view = (await this.deps.network?.()) ?? view;
    } catch (error) {
      this.deps.log.warn('routing table could not be read', { error: errorMessage(error) });
    }
    return gatewayAddress === '' ? view : { ...view, gateway: gatewayAddress };
  }

  /** The snoozes and acks in force; unreadable ones are logged and leave none (monitoring goes on). */
  private async readControls(): Promise<OperatorControls> {
    if (this.deps.controls === undefined) return NO_CONTROLS;
    try {
      return await this.deps.controls.read();
    } catch (error) {
      this.deps.log.error('snoozes and acks could not be read; none apply this cycle', {
        error: errorMessage(error),
      });
      return NO_CONTROLS;
    }
  }

  /**
   * Hands the actions to the effect runners, then folds in what they reported at once (a boot wait ended
   * by a link-back has its result now), so the cycle's alerts carry every note.
   */
  private carryOut(
    outcome: CycleOutcome,
    context: ActionContext,
  ): { alerts: Alert[]; recovery: readonly Alert[] } {
    const report = (event: ActionEvent) => {
      this.events.push(event);
      // Between cycles (a boot wait ended without the link): judge it now, so a person is told at once.
      if (!this.inCycle) queueMicrotask(() => this.flushEvents());
    };
    for (const runner of this.deps.effects ?? []) {
      try {
        runner.run(outcome.actions, report);
      } catch (error) {
        this.deps.log.error('action failed', { runner: runner.name, error: errorMessage(error) });
      }
    }
    const memory = applyActionEvents(outcome.memory, this.takeEvents(), context);
    const noted = attachNotes(outcome.alerts, memory.notes);
    this.memory = { ...memory, notes: noted.notes, outgoing: [] };
    // Those the events added (the cycle's own give-ups were logged with its decisions).
    this.logRecovery(memory.outgoing.slice(outcome.memory.outgoing.length));
    return { alerts: noted.alerts, recovery: memory.outgoing };
  }

  /**
   * Judges action events that arrived between cycles and commits the recovery messages they call for as a
   * batch of their own. During a cycle it does nothing: that cycle folds them in.
   */
  private flushEvents(): void {
    if (this.inCycle || this.events.length === 0 || this.context === null) return;
    const now = this.deps.clock.now();
    const memory = applyActionEvents(this.memory, this.takeEvents(), { ...this.context, now });
    this.memory = { ...memory, outgoing: [] };
    const recovery = memory.outgoing;
    if (recovery.length === 0) return;
    this.logRecovery(recovery);
    const { targets, states } = this.context;
    const down = targets.filter((target) => states.get(target.id)?.status === 'DOWN');
    const batch: AlertBatch = {
      at: now,
      alerts: recovery,
      hosts: targets.length,
      down: down.map((target) => target.label),
      unreachable: [...states.values()].filter((state) => state.status === 'UNREACHABLE').length,
    };
    const previous = this.flushing;
    this.flushing = previous.then(async () => void this.sentBetween.push(...(await this.commit(batch))));
  }

  /** Logs the give-ups that a power cycle's result decided (applyActionEvents returns no log lines). */
  private logRecovery(alerts: readonly Alert[]): void {
    for (const alert of alerts) {
      if (alert.kind !== 'NEEDS_PERSON' || !alert.recovery) continue;
      this.deps.log.warn('power cycle: giving up until the link comes back', {
        plug: alert.recovery.plug,
        cycles: alert.recovery.cycles,
      });
    }
  }

  private takeEvents(): ActionEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /**
   * Stores `batch` (and any held from earlier cycles, oldest first) in the outbox; returns the alerts of
   * every batch stored now. A batch that fails stays held, with later ones behind it, so order is kept;
   * the failure is an ERROR line at most once a minute while it lasts.
   */
  private commit(batch: AlertBatch | null): Promise<Alert[]> {
    const done = this.committing.then(() => this.commitHeld(batch));
    this.committing = done.catch(() => undefined);
    return done;
  }

  private async commitHeld(batch: AlertBatch | null): Promise<Alert[]> {
    if (batch !== null) this.held.push(batch);
    const queued: Alert[] = [];
    while (this.held.length > 0) {
      const next = this.held[0]!;
      try {
        await this.deps.outbox.sendBatch(next);
      } catch (error) {
        const now = this.deps.clock.now().getTime();
        if (now - this.lastHeldErrorAt >= HELD_ERROR_EVERY_MS) {
          this.lastHeldErrorAt = now;
          this.deps.log.error('notify failed; alerts held in memory and retried every cycle', {
            notifier: this.deps.outbox.name,
            held: this.held.reduce((sum, held) => sum + held.alerts.length, 0),
            kind: next.alerts.length === 1 ? next.alerts[0]?.kind : 'DIGEST',
            host: next.alerts.length === 1 ? next.alerts[0]?.target.host : `${next.alerts.length} alerts`,
            error: errorMessage(error),
          });
        }
        return queued;
      }
      this.held.shift();
      queued.push(...next.alerts);
    }
    if (this.lastHeldErrorAt > -Infinity) {
      this.lastHeldErrorAt = -Infinity;
      this.deps.log.info('notify recovered; held alerts stored', { notifier: this.deps.outbox.name });
    }
    return queued;
  }

  /**
   * Offers the held alerts to the outbox again every second until they are stored or `forMs` has passed
   * (or `signal` aborts); returns the alerts stored meanwhile. Nothing held, or `forMs` 0: returns at once.
   */
  private async retryHeld(forMs: number, signal?: AbortSignal): Promise<Alert[]> {
    const queued: Alert[] = [];
    if (forMs <= 0 || this.held.length === 0) return queued;
    const { clock } = this.deps;
    const deadline = clock.now().getTime() + forMs;
    while (this.held.length > 0 && !signal?.aborted) {
      const left = deadline - clock.now().getTime();
      if (left <= 0) break;
      await clock.sleep(Math.min(HELD_RETRY_EVERY_MS, left), signal);
      queued.push(...(await this.commit(null)));
    }
    return queued;
  }

  /** Alerts held because the outbox could not store them (a gauge for metrics and status). */
  get heldAlerts(): number {
    return this.held.reduce((sum, held) => sum + held.alerts.length, 0);
  }

  private async notifyObservers(report: CycleReport): Promise<void> {
    for (const observer of this.deps.observers ?? []) {
      try {
        await observer.cycleFinished(report);
      } catch (error) {
        this.deps.log.error('observer failed', { observer: observer.name, error: errorMessage(error) });
      }
    }
  }

  private batchOf(at: Date, config: Config, outcome: CycleOutcome, alerts: readonly Alert[]): AlertBatch {
    const status = (id: string) => outcome.states.get(id)?.status;
    return {
      at,
      alerts,
      hosts: config.targets.length,
      down: config.targets.filter((target) => status(target.id) === 'DOWN').map((target) => target.label),
      unreachable: outcome.counts.UNREACHABLE,
    };
  }

  private async loadStates(
    targets: readonly Target[],
    policy: CyclePolicy,
    now: Date,
    intervalMs: number,
  ): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const store = this.deps.stateStore;
    const saved = await store?.load();
    if (saved) this.states = await this.withQualityMemory(saved, policy.alerts, now, intervalMs);
    if (this.deps.resumeActions && store?.loadActionMemory) {
      this.memory = store.loadActionMemory(targets, policy.actions);
    }
  }

  /** `saved` with the windows and flap histories the quality series implies; as saved when it fails. */
  private async withQualityMemory(
    saved: ReadonlyMap<string, HostState>,
    policy: AlertPolicy,
    now: Date,
    intervalMs: number,
  ): Promise<ReadonlyMap<string, HostState>> {
    const source = this.deps.qualityMemory;
    if (!source || saved.size === 0) return new Map(saved);
    const cycles = cyclesToResume(policy);
    try {
      const recent = await source.recentCycles({
        now,
        cycles,
        fromMs: resumeFromMs(now, cycles, intervalMs),
      });
      return resumeQualityMemory(saved, recent, policy);
    } catch (error) {
      // Judging from empty windows is what a monitor without a series does: worse, but never a reason to stop.
      this.deps.log.warn('quality series could not be read back; quality windows start empty', {
        error: errorMessage(error),
      });
      return new Map(saved);
    }
  }
}
