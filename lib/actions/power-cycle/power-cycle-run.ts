import type { Target } from '../../config/target.js';
import type { CycleAttempt, CyclePhase, CycleResult, PowerCycleSpec } from '../../monitor/actions.js';
import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import type { ProbeOptions, ProbeResult } from '../../probe/pinger.js';
import { errorText } from '../kasa/plug.js';
import type { PlugSwitch } from '../kasa/plug-switch.js';

/** Probes targets with the prober of their kind (the app's prober registry). */
export type ProbeTargets = (
  targets: readonly Target[],
  options: ProbeOptions,
  signal?: AbortSignal,
) => Promise<ProbeResult[]>;

/** What a power cycle is carried out with. */
export interface PowerCycleDeps {
  readonly clock: Clock;
  readonly plugs: PlugSwitch;
  /** How the triggers are probed during the boot wait: with their own checks (a route check stays one). */
  readonly probe: ProbeTargets;
  readonly log: Log;
}

/**
 * One power cycle of one plug, running on its own while the monitor goes on: off, check it is off, wait
 * `offMs`, on, check it is on, then poll the trigger hosts until one answers or `bootWaitMs` has passed.
 *
 * The plug is never left off: a stop during the off time cuts the wait short and switches it on first,
 * and switching on is retried until it works (at shutdown, for one more round of tries, after which an
 * error says the plug may be off). The monitor can also end the boot wait early with {@link linkBack}.
 */
export class PowerCycleRun {
  /**
   * Resolves with the attempt once the procedure has ended, the plug back on (never rejects). The result
   * may be known earlier (see {@link linkBack}); `onFinish` is called then.
   */
  readonly done: Promise<CycleAttempt>;
  private currentPhase: CyclePhase = 'switching-off';
  private readonly linkBackSignal = new AbortController();
  private readonly startedAt: Date;
  private offAt: Date | null = null;
  private onAt: Date | null = null;
  private finished: CycleAttempt | null = null;

  constructor(
    private readonly spec: PowerCycleSpec,
    private readonly deps: PowerCycleDeps,
    private readonly stopSignal: AbortSignal,
    private readonly onFinish: (attempt: CycleAttempt) => void,
  ) {
    this.startedAt = deps.clock.now();
    this.done = this.run()
      .catch((error: unknown) => {
        // A bug, not a plug problem; still end the run so the cycler does not wait for it forever.
        this.finish('plug-failed', `unexpected: ${errorText(error)}`);
      })
      .then(() => {
        this.finish('plug-failed', 'the power cycle ended without a result');
        this.currentPhase = 'done';
        return this.finished as CycleAttempt;
      });
  }

  get phase(): CyclePhase {
    return this.currentPhase;
  }

  /**
   * A trigger host answered in a monitor cycle: the result is `restored` at once, so its note reaches the
   * RESTORED alert of that very cycle. The procedure itself goes on to its safe end (after the off time the
   * plug is switched on as always); only the boot wait is cut short.
   */
  linkBack(): void {
    if (this.finished !== null || this.currentPhase === 'done') return;
    this.finish('restored');
    this.linkBackSignal.abort();
  }

  private async run(): Promise<void> {
    const { clock, plugs, log } = this.deps;
    const { plug, offMs } = this.spec;
    log.info('power cycle start', {
      plug,
      attempt: `${this.spec.attempt}/${this.spec.max}`,
      hosts: this.spec.triggers.map((target) => target.id).join(' '),
      off_s: offMs / 1000,
    });
    try {
      await plugs.switchTo(plug, false, this.stopSignal);
    } catch (error) {
      // It may have gone off without answering: one round of tries to make sure it is on, then give up on
      // this cycle (the plug does not answer; retrying forever would only fill the log).
      this.currentPhase = 'switching-on';
      await this.ensureOn(false);
      this.finish('plug-failed', errorText(error));
      return;
    }
    this.offAt = clock.now();
    this.currentPhase = 'off';
    await clock.sleep(offMs, this.stopSignal);
    this.currentPhase = 'switching-on';
    if (!(await this.ensureOn(true))) {
      this.finish('plug-failed', `plug ${plug} could not be switched back on`);
      return;
    }
    this.onAt = clock.now();
    if (this.stopSignal.aborted) {
      this.finish('interrupted');
      return;
    }
    if (this.finished !== null) return;
    this.currentPhase = 'boot-wait';
    await this.bootWait(this.onAt);
  }

  private async bootWait(onAt: Date): Promise<void> {
    const { clock, probe } = this.deps;
    const options: ProbeOptions = { attempts: 1, timeoutSeconds: this.spec.timeoutSeconds };
    const deadline = onAt.getTime() + this.spec.bootWaitMs;
    const signal = AbortSignal.any([this.stopSignal, this.linkBackSignal.signal]);
    while (this.finished === null) {
      if (this.stopSignal.aborted) return this.finish('interrupted');
      const results = await probe(this.spec.triggers, options, signal);
      if (this.finished !== null) return;
      if (results.some((result) => result.alive)) return this.finish('restored');
      if (this.stopSignal.aborted) return this.finish('interrupted');
      const remaining = deadline - clock.now().getTime();
      if (remaining <= 0) return this.finish('not-restored');
      await clock.sleep(Math.min(this.spec.pollMs, remaining), signal);
    }
  }

  /**
   * Switches the plug on. A plug known to be off is retried until it works (`untilOn`), except at shutdown,
   * which gets one more round of tries.
   */
  private async ensureOn(untilOn: boolean): Promise<boolean> {
    const { plugs, clock, log } = this.deps;
    for (;;) {
      const stopping = this.stopSignal.aborted;
      try {
        await plugs.switchTo(this.spec.plug, true, this.stopSignal);
        return true;
      } catch (error) {
        if (stopping || !untilOn) {
          log.error('plug may be left OFF: it could not be switched back on', {
            plug: this.spec.plug,
            error: errorText(error),
          });
          return false;
        }
        log.error('plug could not be switched back on; trying again', {
          plug: this.spec.plug,
          error: errorText(error),
        });
        await clock.sleep(this.spec.pollMs, this.stopSignal);
      }
    }
  }

  /** Records the result, once; later calls change nothing. */
  private finish(result: CycleResult, error?: string): void {
    if (this.finished !== null) return;
    const phase = this.currentPhase;
    const endedAt = this.deps.clock.now();
    const offMs = this.offAt === null ? null : (this.onAt ?? endedAt).getTime() - this.offAt.getTime();
    const attempt: CycleAttempt = {
      plug: this.spec.plug,
      hosts: this.spec.triggers.map((target) => target.id),
      attempt: this.spec.attempt,
      max: this.spec.max,
      result,
      startedAt: this.startedAt,
      endedAt,
      offMs,
      restoredAfterMs:
        result !== 'restored'
          ? null
          : this.onAt !== null
            ? endedAt.getTime() - this.onAt.getTime()
            : phase === 'switching-on'
              ? 0
              : null,
      ...(result === 'restored' && phase !== 'done' ? { restoredIn: phase } : {}),
      ...(error === undefined ? {} : { error }),
    };
    this.finished = attempt;
    this.onFinish(attempt);
  }
}
