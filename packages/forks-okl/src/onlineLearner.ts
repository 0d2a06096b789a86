/**
 * The base class of every learner: input validation (so a bad row never touches the state),
 * predict-then-update bookkeeping, `learnMany`, and JSON helpers.
 * @module
 */
import { ShapeError, ValueError, assertInteger, describe, readVector } from '@descent/tensor';
import type { Label, LearnerJSON, OnlineBinaryLearner, RunStats, StepResult } from './types';

/** The inner result of a learner's update. */
export interface UpdateOutcome {
  loss: number;
  updated: boolean;
  sketchUpdated?: boolean;
}

/**
 * Checks that `x` is a finite row of length `dim` (an array, typed array or rank-1 tensor) and returns it
 * as a fresh Float64Array (through @descent/tensor's `readVector`).
 * Throws {@link ShapeError} / {@link ValueError} naming `name`.
 */
export function checkRow(name: string, x: unknown, dim: number | undefined): Float64Array {
  const len = x != null && typeof x !== 'string' ? (x as ArrayLike<number>).length : undefined;
  if (dim !== undefined && typeof len === 'number' && len !== dim) {
    throw new ShapeError(`${name} must have length ${dim} (the learner's input dimension), got length ${len}`, name);
  }
  return readVector(x, name, { length: dim, copy: true });
}

/** Checks that `y` is −1 or +1. */
export function checkLabel(name: string, y: unknown): Label {
  if (y === 1 || y === -1) return y;
  throw new ValueError(`${name} must be -1 or +1, got ${describe(y)}`, name);
}

/** `Array.from` for JSON. */
export const toArr = (a: ArrayLike<number>): number[] => Array.from(a);
/** Float64Array from JSON. */
export const toF64 = (a: unknown): Float64Array => Float64Array.from(a as number[]);
/** Int32Array from JSON. */
export const toI32 = (a: unknown): Int32Array => Int32Array.from(a as number[]);

/**
 * Base class: subclasses implement `score` (f(x) on a validated row) and `update`
 * (called after the prediction, with the pre-update score) plus serialisation.
 */
export abstract class OnlineLearner implements OnlineBinaryLearner {
  protected dimValue: number | undefined;
  /** Rounds seen by `learnOne`. */
  protected rounds = 0;

  constructor(dim?: number) {
    if (dim !== undefined) assertInteger('dim', dim, 1);
    this.dimValue = dim;
  }

  /** Input dimension (undefined until fixed by the first row, unless given). */
  get dim(): number | undefined {
    return this.dimValue;
  }

  /** Rounds processed so far. */
  get roundsSeen(): number {
    return this.rounds;
  }

  /** f(x) on a validated row. */
  protected abstract score(x: Float64Array): number;
  /** Update on (x, y) given the pre-update score f. */
  protected abstract update(x: Float64Array, y: Label, f: number): UpdateOutcome;
  /** Whether the learner is still in its budget-filling (warm-up) phase. */
  protected inWarmup(): boolean {
    return false;
  }
  /** Called by `learnOne` with each validated row before it is scored (e.g. to estimate a kernel width). */
  protected beforeLearn(_x: Float64Array): void {}
  /** Serialised state. */
  abstract toJSON(): LearnerJSON;

  /** The real-valued score f(x); does not change the learner. */
  predictScore(x: ArrayLike<number>): number {
    const v = checkRow('x', x, this.dimValue);
    if (this.dimValue === undefined) return 0;
    return this.score(v);
  }

  /** sign(f(x)) with sign(0) = +1. */
  predictOne(x: ArrayLike<number>): Label {
    return this.predictScore(x) >= 0 ? 1 : -1;
  }

  /** Predict, then update. Bad input throws before any state changes. */
  learnOne(x: ArrayLike<number>, y: number): StepResult {
    const v = checkRow('x', x, this.dimValue);
    const label = checkLabel('y', y);
    if (this.dimValue === undefined) this.dimValue = v.length;
    this.beforeLearn(v);
    const warmup = this.inWarmup();
    const f = this.score(v);
    const predicted: Label = f >= 0 ? 1 : -1;
    const out = this.update(v, label, f);
    this.rounds++;
    return { score: f, predicted, mistake: predicted !== label, loss: out.loss, updated: out.updated, sketchUpdated: out.sketchUpdated ?? false, warmup };
  }

  /** `learnOne` over rows of `X` with labels `y`. */
  learnMany(X: ArrayLike<ArrayLike<number>>, y: ArrayLike<number>): RunStats {
    if (X == null || y == null || X.length !== y.length) {
      throw new ShapeError(`y must have the same length as X (${X?.length}), got ${y?.length}`, 'y');
    }
    const s: RunStats = { rounds: 0, mistakes: 0, mistakesAfterWarmup: 0, cumulativeLoss: 0, updates: 0 };
    for (let i = 0; i < X.length; i++) {
      const r = this.learnOne(X[i], y[i]);
      s.rounds++;
      if (r.mistake) {
        s.mistakes++;
        if (!r.warmup) s.mistakesAfterWarmup++;
      }
      s.cumulativeLoss += r.loss;
      if (r.updated) s.updates++;
    }
    return s;
  }

  /** Common JSON fields. */
  protected baseJSON(type: string): LearnerJSON {
    return { type, version: 1, dim: this.dimValue ?? null, rounds: this.rounds };
  }

  /** Restores the common fields. */
  protected restoreBase(json: LearnerJSON): void {
    this.dimValue = json.dim == null ? undefined : (json.dim as number);
    this.rounds = json.rounds as number;
  }
}

/** Throws unless `json.type` is `type`. */
export function checkJSONType(json: unknown, type: string): LearnerJSON {
  const j = json as LearnerJSON;
  if (!j || typeof j !== 'object' || j.type !== type) {
    throw new ValueError(`json must be a serialised ${type} (type '${type}'), got ${describe((j as { type?: unknown })?.type ?? j)}`, 'json');
  }
  return j;
}
