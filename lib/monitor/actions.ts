import type { Target } from '../config/target.js';

/** What one power cycle does, decided by the cycle from hosts.csv and settings.csv. Plain data. */
export interface PowerCycleSpec {
  readonly plug: string;
  /** The trigger targets: probed during the boot wait, named in the notes. */
  readonly triggers: readonly Target[];
  /** 1 for the first cycle of an outage. */
  readonly attempt: number;
  /** `cycle_max_per_outage` at the time. */
  readonly max: number;
  readonly offMs: number;
  readonly bootWaitMs: number;
  readonly pollMs: number;
  /** Reply wait per echo request during the boot wait, in whole seconds. */
  readonly timeoutSeconds: number;
}

/** How a power cycle ended. */
export type CycleResult =
  /** A trigger host answered during the boot wait. */
  | 'restored'
  /** The boot wait ended without an answer. */
  | 'not-restored'
  /** The plug did not switch (it is left on, or pingwarden says loudly that it could not be). */
  | 'plug-failed'
  /** pingwarden was stopped during the cycle; the plug was switched back on first. */
  | 'interrupted';

/** Which step a power cycle is at. */
export type CyclePhase = 'switching-off' | 'off' | 'switching-on' | 'boot-wait' | 'done';

/** One power-cycle attempt, as logged, put in alert emails, and handed to the outage history. */
export interface CycleAttempt {
  readonly plug: string;
  /** The ids of the trigger targets whose outage caused it. */
  readonly hosts: readonly string[];
  readonly attempt: number;
  readonly max: number;
  readonly result: CycleResult;
  readonly startedAt: Date;
  readonly endedAt: Date;
  /** How long the plug was really off; null when it never went off. */
  readonly offMs: number | null;
  /** Time from power-on to the first answer of a trigger host (result `restored` after power-on). */
  readonly restoredAfterMs: number | null;
  /** Result `restored`: the step the cycle was at when a trigger answered again. */
  readonly restoredIn?: Exclude<CyclePhase, 'done'>;
  /** What went wrong (plug failures). */
  readonly error?: string;
}

/** Something a cycle asks the effect runners to do. Plain data: the cycle itself stays pure. */
export type Action =
  /** Power-cycle a plug (the runner does it in the background; the cycle never waits for it). */
  | { readonly type: 'power-cycle'; readonly spec: PowerCycleSpec }
  /** A trigger of a plug being power-cycled answers again: end its boot wait now. */
  | { readonly type: 'link-back'; readonly plug: string }
  /** The indicator lamp should be on (some lamp target DOWN) or off; repeated every cycle. */
  | { readonly type: 'lamp'; readonly plug: string; readonly on: boolean; readonly down: readonly string[] };

/** What an effect runner reports back; the next evaluation turns it into state and notes. */
export type ActionEvent =
  /** A power cycle's result is known (the procedure may still be switching the plug back on). */
  | { readonly type: 'power-cycle-result'; readonly attempt: CycleAttempt; readonly bootWaitMs: number }
  /** A power cycle's procedure has ended with the plug on: the plug is free for the next one. */
  | { readonly type: 'power-cycle-ended'; readonly plug: string }
  /** The lamp could not be switched (reported once per run of failures). */
  | {
      readonly type: 'lamp-failed';
      readonly plug: string;
      readonly on: boolean;
      readonly down: readonly string[];
      readonly error: string;
    };

/**
 * Carries out a cycle's actions. `run` returns at once: long work (a power cycle) goes on in the
 * background and reports through `report`, possibly synchronously (a link-back ends a boot wait at once).
 */
export interface EffectRunner {
  readonly name: string;
  run(actions: readonly Action[], report: (event: ActionEvent) => void): void;
  /** Ends work in progress safely (a plug that is off goes on first) and waits for it. */
  stop(): Promise<void>;
}
