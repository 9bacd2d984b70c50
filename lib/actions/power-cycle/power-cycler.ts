import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import type { HostStatus } from '../../monitor/host-state.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import type { AlertNotes } from '../../notify/alert-notes.js';
import type { Pinger } from '../../probe/pinger.js';
import { decideCycle, initialCyclePlugState, type CyclePlugState } from './cycle-decision.js';
import { cycleResultNote, cycleStartNote, giveUpNote, notArmedNote } from './cycle-notes.js';
import { errorText } from '../kasa/plug.js';
import { cycleRules } from './plug-rules.js';
import type { PlugSwitch } from '../kasa/plug-switch.js';
import { PowerCycleRun, type CycleAttempt, type PowerCycleSpec } from './power-cycle-run.js';

/** What the {@link PowerCycler} is built from. */
export interface PowerCyclerDeps {
  readonly clock: Clock;
  readonly plugs: PlugSwitch;
  readonly pinger: Pinger;
  readonly log: Log;
  /** Where notes for the next alert emails go. */
  readonly notes: AlertNotes;
  /** Called once per finished cycle attempt, e.g. to record it in the outage history. */
  readonly onAttempt?: (attempt: CycleAttempt) => void;
}

/**
 * Power-cycles plugs named by `cycle:NAME` in hosts.csv when all their trigger hosts are DOWN, within the
 * limits of settings.csv (see {@link decideCycle}). It follows the monitor cycle by cycle and starts each
 * power cycle in the background, so the monitor never waits for one. {@link stop} ends running cycles with
 * the plug switched back on; the daemon awaits it before exiting.
 */
export class PowerCycler implements MonitorObserver {
  readonly name = 'power-cycle';
  private readonly states = new Map<string, CyclePlugState>();
  private readonly runs = new Map<string, PowerCycleRun>();
  private readonly seenUp = new Set<string>();
  private readonly notArmedSaid = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: PowerCyclerDeps) {}

  cycleFinished(report: CycleReport): void {
    if (this.stopping.signal.aborted) return;
    const { log, notes } = this.deps;
    const { settings } = report.config;
    for (const [host, state] of report.states) if (state.status === 'UP') this.seenUp.add(host);

    for (const rule of cycleRules(report.config.hosts)) {
      const key = rule.plug.toLowerCase();
      const statuses: HostStatus[] = rule.hosts.map((host) => report.states.get(host)?.status ?? 'UNKNOWN');
      // A trigger answering ends a boot wait at once, so its note reaches this cycle's RESTORED alert.
      if (statuses.includes('UP')) this.runs.get(key)?.linkBack();

      const before = this.states.get(key) ?? initialCyclePlugState;
      const state: CyclePlugState = {
        ...before,
        running: this.runs.has(key),
        armed: before.armed || rule.hosts.every((host) => this.seenUp.has(host)),
      };
      const decision = decideCycle(statuses, state, report.at, {
        maxPerOutage: settings.cycleMaxPerOutage,
        minGapMs: settings.cycleMinGapSeconds * 1000,
      });
      switch (decision.kind) {
        case 'recovered':
          log.info('power cycle: link back; counters reset', { plug: rule.plug, cycles: state.attempts });
          this.states.set(key, { ...state, attempts: 0, gaveUp: false });
          this.notArmedSaid.delete(key);
          break;
        case 'not-armed':
          if (!this.notArmedSaid.has(key)) {
            this.notArmedSaid.add(key);
            log.warn('power cycle not armed: trigger hosts never answered since start', {
              plug: rule.plug,
              hosts: rule.hosts.filter((host) => !this.seenUp.has(host)).join(' '),
            });
            notes.add(rule.hosts, notArmedNote(rule.plug));
          }
          this.states.set(key, state);
          break;
        case 'give-up':
          log.warn('power cycle: giving up until the link comes back', {
            plug: rule.plug,
            cycles: decision.attempts,
          });
          notes.add(rule.hosts, giveUpNote(rule.plug, decision.attempts));
          this.states.set(key, { ...state, gaveUp: true });
          break;
        case 'cycle': {
          const spec: PowerCycleSpec = {
            plug: rule.plug,
            hosts: rule.hosts,
            attempt: decision.attempt,
            max: settings.cycleMaxPerOutage,
            offMs: settings.cycleOffSeconds * 1000,
            bootWaitMs: settings.cycleBootWaitSeconds * 1000,
            pollMs: settings.cyclePollSeconds * 1000,
            probe: { attempts: 1, timeoutSeconds: settings.timeoutSeconds },
          };
          this.states.set(key, {
            ...state,
            attempts: decision.attempt,
            // The monitor cycle's time, like the `now` of every decision: gaps are judged on one clock.
            lastStartAt: report.at,
            running: true,
          });
          notes.add(rule.hosts, cycleStartNote(spec), noteKey(spec));
          this.start(key, spec);
          break;
        }
        default:
          this.states.set(key, state);
      }
    }
  }

  /** Ends running power cycles (each switches its plug back on first) and waits for them. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private start(key: string, spec: PowerCycleSpec): void {
    const { clock, plugs, pinger, log } = this.deps;
    const run = new PowerCycleRun(spec, { clock, plugs, pinger, log }, this.stopping.signal, (attempt) =>
      this.finished(spec, attempt),
    );
    this.runs.set(key, run);
    // The plug counts as busy until the procedure has ended with it on, even when the result came earlier.
    void run.done.then(() => {
      this.runs.delete(key);
      const state = this.states.get(key);
      if (state) this.states.set(key, { ...state, running: false });
    });
  }

  private finished(spec: PowerCycleSpec, attempt: CycleAttempt): void {
    const { log, notes, onAttempt } = this.deps;
    const fields = {
      plug: attempt.plug,
      attempt: `${attempt.attempt}/${attempt.max}`,
      result: attempt.result,
      hosts: attempt.hosts.join(' '),
      off_ms: attempt.offMs ?? undefined,
      restored_after_ms: attempt.restoredAfterMs ?? undefined,
      restored_in: attempt.restoredIn,
      error: attempt.error,
    };
    if (attempt.result === 'restored') log.info('power cycle done', fields);
    else log.warn('power cycle done', fields);
    notes.add(attempt.hosts, cycleResultNote(attempt, spec.bootWaitMs), noteKey(spec));
    try {
      onAttempt?.(attempt);
    } catch (error) {
      log.error('power cycle listener failed', { error: errorText(error) });
    }
  }
}

function noteKey(spec: PowerCycleSpec): string {
  return `cycle:${spec.plug.toLowerCase()}:${spec.attempt}`;
}
