/**
 * When a method (SAM, adversarial training) is on during a training run of a fixed step budget:
 * the switching protocol of Zhou et al. 2025.
 *
 * - `'late'` (SGD→SAM at t): the method is on for steps [t, T) — the paper's main experiment
 *   (Fig. 1: WRN-16-8 on CIFAR-10, t = 175 of T = 200 epochs).
 * - `'early'` (SAM→SGD at t): on for steps [0, t), off afterwards. At the same switch point the two
 *   directions are complementary. (Zhou et al.'s script runs SAM for epochs 0..t *inclusive* in this
 *   direction, i.e. t + 1 epochs; here it is t epochs so that both directions share one switch point.)
 *
 * The switch point is given relative to the actual budget (a step, an epoch, a fraction of the
 * budget, or the last K epochs/steps) and is checked against it: a switch beyond the budget throws
 * instead of silently never firing (a "SAM for the last 25%" run that timed out before it started is
 * a reported failure mode, wandb/senpai #2059). {@link SwitchSchedule.active} throws for a step
 * outside the budget for the same reason.
 * @module
 */
import {
  type Serializable,
  ValueError,
  assertInteger,
  describe,
  makeBlob,
  openBlob,
  readEnum,
  resolveOptions,
  option,
} from '@descent/tensor';

/** `'late'`: on from the switch to the end (SGD→SAM); `'early'`: on until the switch (SAM→SGD). */
export type SwitchDirection = 'late' | 'early';

/** What happens to the optimizer's buffers (momentum, Adam moments) at the switch. */
export type MomentumAtSwitch = 'keep' | 'reset';

/**
 * Where the switch is: a step, an epoch (0-indexed; the switch is at its first step), a fraction
 * of the budget, or the last K epochs/steps (the switch is K epochs/steps before the end).
 */
export type SwitchPoint =
  | { step: number }
  | { epoch: number }
  | { atFraction: number }
  | { lastEpochs: number }
  | { lastSteps: number };

/** Options of {@link switchSchedule}. */
export interface SwitchScheduleOptions {
  /** The step budget T (or give `epochs` and `stepsPerEpoch`). */
  totalSteps?: number;
  /** Epochs of the run (with `stepsPerEpoch`). */
  epochs?: number;
  /** Steps per epoch (needed by epoch-based switch points). */
  stepsPerEpoch?: number;
  /** The switch point. Required. */
  at: SwitchPoint;
  /** `'late'` (default, SGD→SAM) or `'early'` (SAM→SGD). */
  direction?: SwitchDirection;
  /**
   * `'reset'` (default): the optimizer's buffers restart from zero at the switch, as in Zhou et
   * al.'s code (a separate optimizer object per phase); `'keep'`: they carry over.
   */
  momentumAtSwitch?: MomentumAtSwitch;
}

/** A validated switch schedule (immutable, serialisable). See {@link switchSchedule}. */
export class SwitchSchedule implements Serializable {
  /** The step budget T. */
  readonly totalSteps: number;
  /** The step at which the method turns on (`'late'`) or off (`'early'`), in [0, T]. */
  readonly switchStep: number;
  /** `'late'` or `'early'`. */
  readonly direction: SwitchDirection;
  /** `'keep'` or `'reset'`. */
  readonly momentumAtSwitch: MomentumAtSwitch;
  /** Steps per epoch, when known (0 otherwise). */
  readonly stepsPerEpoch: number;

  /** Use {@link switchSchedule} (it resolves the switch point); this takes resolved values. */
  constructor(
    totalSteps: number,
    switchStep: number,
    direction: SwitchDirection = 'late',
    momentumAtSwitch: MomentumAtSwitch = 'reset',
    stepsPerEpoch = 0,
  ) {
    assertInteger('totalSteps', totalSteps, 1, Number.MAX_SAFE_INTEGER);
    assertInteger('switchStep', switchStep);
    if (switchStep < 0 || switchStep > totalSteps) {
      throw new ValueError(
        `switchStep must be within the budget [0, ${totalSteps}], got ${switchStep}`,
        'switchStep',
      );
    }
    this.totalSteps = totalSteps;
    this.switchStep = switchStep;
    this.direction = readEnum(direction, 'direction', ['late', 'early']);
    this.momentumAtSwitch = readEnum(momentumAtSwitch, 'momentumAtSwitch', ['keep', 'reset']);
    assertInteger('stepsPerEpoch', stepsPerEpoch, 0);
    this.stepsPerEpoch = stepsPerEpoch;
  }

  /** Whether the method is on at `step` (0-indexed). Throws {@link ValueError} outside [0, T). */
  active(step: number): boolean {
    this.checkStep(step);
    return this.direction === 'late' ? step >= this.switchStep : step < this.switchStep;
  }

  /**
   * Whether `step` is the first step of the second phase (a switch happens just before it).
   * Throws {@link ValueError} outside [0, T).
   */
  isSwitch(step: number): boolean {
    this.checkStep(step);
    return this.switchStep > 0 && this.switchStep < this.totalSteps && step === this.switchStep;
  }

  private checkStep(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step >= this.totalSteps) {
      throw new ValueError(
        `step must be an integer in [0, ${this.totalSteps}) (the schedule's budget), got ${describe(step)}`,
        'step',
      );
    }
  }

  /** Steps with the method on. */
  get activeSteps(): number {
    return this.direction === 'late' ? this.totalSteps - this.switchStep : this.switchStep;
  }

  /** Fraction of the budget with the method on. */
  get activeFraction(): number {
    return this.activeSteps / this.totalSteps;
  }

  /** The schedule as a versioned blob. */
  toJSON() {
    return makeBlob('SwitchSchedule', 1, {
      totalSteps: this.totalSteps,
      switchStep: this.switchStep,
      direction: this.direction,
      momentumAtSwitch: this.momentumAtSwitch,
      stepsPerEpoch: this.stepsPerEpoch,
    });
  }

  /** Restores a schedule from {@link SwitchSchedule.toJSON}'s blob (or its text), validating every field. */
  static fromJSON(json: unknown): SwitchSchedule {
    const r = openBlob(json, { type: 'SwitchSchedule', version: 1 });
    const totalSteps = r.integer('totalSteps', { min: 1, max: Number.MAX_SAFE_INTEGER });
    return new SwitchSchedule(
      totalSteps,
      r.integer('switchStep', { min: 0, max: totalSteps }),
      r.oneOf('direction', ['late', 'early']),
      r.oneOf('momentumAtSwitch', ['keep', 'reset']),
      r.integer('stepsPerEpoch', { min: 0 }),
    );
  }
}

/**
 * A switch schedule from a budget and a switch point.
 *
 * ```ts
 * // SGD for 24 epochs, then SAM for the last 6 (16 steps per epoch), momentum reset at the switch
 * const s = switchSchedule({ epochs: 30, stepsPerEpoch: 16, at: { lastEpochs: 6 } });
 * s.switchStep; // 384
 * s.active(383); // false
 * s.active(384); // true
 * ```
 */
export function switchSchedule(options: SwitchScheduleOptions): SwitchSchedule {
  const o = resolveOptions(options, {
    totalSteps: option.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    epochs: option.integer({ min: 1 }),
    stepsPerEpoch: option.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    at: option.custom(
      (v, name) => {
        if (v == null || typeof v !== 'object' || Array.isArray(v))
          throw new ValueError(
            `${name} must be one of { step } | { epoch } | { atFraction } | { lastEpochs } | { lastSteps }, got ${describe(v)}`,
            name,
          );
        return v as SwitchPoint;
      },
      { required: true },
    ),
    direction: option.oneOf(['late', 'early'], { default: 'late' }),
    momentumAtSwitch: option.oneOf(['keep', 'reset'], { default: 'reset' }),
  });
  const spe = o.stepsPerEpoch;
  let total = o.totalSteps;
  if (o.epochs !== undefined) {
    if (spe === undefined)
      throw new ValueError('stepsPerEpoch is required with epochs, got undefined', 'stepsPerEpoch');
    if (total !== undefined && total !== o.epochs * spe)
      throw new ValueError(
        `totalSteps must equal epochs × stepsPerEpoch = ${o.epochs * spe}, got ${total}`,
        'totalSteps',
      );
    total = o.epochs * spe;
  }
  if (total === undefined)
    throw new ValueError('totalSteps (or epochs and stepsPerEpoch) is required, got undefined', 'totalSteps');
  const at = o.at as Record<string, unknown>;
  const keys = Object.keys(at);
  if (keys.length !== 1)
    throw new ValueError(
      `at must have exactly one of step, epoch, atFraction, lastEpochs, lastSteps, got ${describe(keys)}`,
      'at',
    );
  const key = keys[0];
  const needEpochs = () => {
    if (spe === undefined)
      throw new ValueError(`stepsPerEpoch is required by at.${key}, got undefined`, 'stepsPerEpoch');
    return spe;
  };
  let step: number;
  const v = at[key];
  switch (key) {
    case 'step':
      assertInteger('at.step', v, 0);
      step = v;
      break;
    case 'epoch':
      assertInteger('at.epoch', v, 0);
      step = v * needEpochs();
      break;
    case 'atFraction':
      if (typeof v !== 'number' || !(v >= 0 && v <= 1))
        throw new ValueError(`at.atFraction must be a number in [0, 1], got ${describe(v)}`, 'at.atFraction');
      step = Math.round(v * total);
      break;
    case 'lastEpochs':
      assertInteger('at.lastEpochs', v, 0);
      step = total - v * needEpochs();
      break;
    case 'lastSteps':
      assertInteger('at.lastSteps', v, 0);
      step = total - v;
      break;
    default:
      throw new ValueError(
        `at must have one of step, epoch, atFraction, lastEpochs, lastSteps, got key ${JSON.stringify(key)}`,
        'at',
      );
  }
  if (step < 0 || step > total) {
    throw new ValueError(
      `at.${key} = ${v} puts the switch at step ${step}, beyond the budget of ${total} steps`,
      `at.${key}`,
    );
  }
  return new SwitchSchedule(total, step, o.direction, o.momentumAtSwitch, spe ?? 0);
}
