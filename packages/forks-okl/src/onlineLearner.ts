/**
 * The base class of every learner: input validation (so a bad row never touches the state),
 * predict-then-update bookkeeping, `learnMany`, and the common part of the versioned blobs.
 * @module
 */
import { type BlobReader, ShapeError, ValueError, type VectorLike, describe, makeBlob, openBlob, readInteger, readVector } from '@descent/tensor';
import type { Label, LearnerJSON, OnlineBinaryLearner, RunStats, StepResult } from './types';

/** The inner result of a learner's update. */
export interface UpdateOutcome {
  loss: number;
  updated: boolean;
  sketchUpdated?: boolean;
}

/** Largest budget / dictionary / feature count an option accepts (the learners keep O(B²) numbers). */
export const MAX_SIZE = 100_000;

/** Checks that `y` is −1 or +1. */
function readLabel(name: string, y: unknown): Label {
  if (y === 1 || y === -1) return y;
  throw new ValueError(`${name} must be -1 or +1, got ${describe(y)}`, name);
}

/** The blob format version of every learner of this package. */
export const LEARNER_BLOB_VERSION = 1;

/** Opens a learner blob of class `type` (validated header; `fromJSON` reads the rest through the reader). */
export function openLearnerBlob(json: unknown, type: string): BlobReader {
  return openBlob(json, { type, version: LEARNER_BLOB_VERSION });
}

/**
 * Base class: subclasses implement `score` (f(x) on a validated row) and `update` (called after
 * the prediction, with the pre-update score) plus serialisation.
 */
export abstract class OnlineLearner implements OnlineBinaryLearner {
  protected dimValue: number | undefined;
  /** Rounds seen by `learnOne`. */
  protected stepCount = 0;

  constructor(dim?: number) {
    this.dimValue = dim === undefined ? undefined : readInteger(dim, 'dim', { min: 1, max: 1e7 });
  }

  /** Input dimension (undefined until fixed by the first row, unless given). */
  get dim(): number | undefined {
    return this.dimValue;
  }

  /** Rounds processed by `learnOne` so far. */
  get steps(): number {
    return this.stepCount;
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

  /** A row of the learner's dimension (array, typed array or rank-1 tensor), copied. */
  protected readRow(x: unknown, name = 'x'): Float64Array {
    const d = this.dimValue;
    if (x instanceof Float64Array && x.length === d) {
      // the common case without the general reader: a copy of a finite row of the right length
      let chk = 0;
      for (let i = 0; i < d; i++) chk += x[i] * 0; // NaN iff an entry is not finite
      if (chk === 0) return x.slice();
    }
    const len = x != null && typeof x === 'object' && typeof (x as ArrayLike<number>).length === 'number' ? (x as ArrayLike<number>).length : undefined;
    if (this.dimValue !== undefined && typeof len === 'number' && len !== this.dimValue) {
      throw new ShapeError(`${name} must have length ${this.dimValue} (the learner's input dimension), got length ${len}`, name);
    }
    return readVector(x as VectorLike, name, { length: this.dimValue, copy: true });
  }

  /** A score that is not finite means a broken state (e.g. restored from a doctored blob): a typed error, never a silent NaN. */
  private checkedScore(x: Float64Array): number {
    const f = this.score(x);
    if (!Number.isFinite(f)) {
      throw new ValueError(`the learner's state gives a non-finite score (${f}) at x: it was restored from an invalid blob or diverged`, 'state');
    }
    return f;
  }

  /** The real-valued score f(x); does not change the learner. */
  predictScore(x: VectorLike): number {
    const v = this.readRow(x);
    if (this.dimValue === undefined) return 0;
    return this.checkedScore(v);
  }

  /** sign(f(x)) with sign(0) = +1. */
  predictOne(x: VectorLike): Label {
    return this.predictScore(x) >= 0 ? 1 : -1;
  }

  /** Predict, then update. Bad input throws before any state changes. */
  learnOne(x: VectorLike, y: number): StepResult {
    const v = this.readRow(x);
    const label = readLabel('y', y);
    if (this.dimValue === undefined) this.dimValue = v.length;
    this.beforeLearn(v);
    const warmup = this.inWarmup();
    const f = this.checkedScore(v);
    const predicted: Label = f >= 0 ? 1 : -1;
    const out = this.update(v, label, f);
    this.stepCount++;
    return { score: f, predicted, mistake: predicted !== label, loss: out.loss, updated: out.updated, sketchUpdated: out.sketchUpdated ?? false, warmup };
  }

  /** `learnOne` over rows of `X` with labels `y` (all rows and labels are checked before the first update). */
  learnMany(X: ArrayLike<VectorLike>, y: ArrayLike<number>): RunStats {
    if (X == null || typeof X !== 'object' || typeof X.length !== 'number') throw new ValueError(`X must be an array of rows, got ${describe(X)}`, 'X');
    if (y == null || typeof y !== 'object' || typeof y.length !== 'number') throw new ValueError(`y must be an array of labels, got ${describe(y)}`, 'y');
    if (X.length !== y.length) throw new ShapeError(`y must have the same length as X (${X.length}), got ${y.length}`, 'y');
    let d = this.dimValue;
    const rows: Float64Array[] = [];
    for (let i = 0; i < X.length; i++) {
      const v = readVector(X[i], `X[${i}]`, { length: d, copy: true });
      d ??= v.length;
      rows.push(v);
      readLabel(`y[${i}]`, y[i]);
    }
    const s: RunStats = { steps: 0, mistakes: 0, mistakesAfterWarmup: 0, cumulativeLoss: 0, updates: 0 };
    for (let i = 0; i < rows.length; i++) {
      const r = this.learnOne(rows[i], y[i]);
      s.steps++;
      if (r.mistake) {
        s.mistakes++;
        if (!r.warmup) s.mistakesAfterWarmup++;
      }
      s.cumulativeLoss += r.loss;
      if (r.updated) s.updates++;
    }
    return s;
  }

  /** The blob `{ type, version: 1, dim, steps, options, …fields }`. */
  protected learnerBlob(type: string, options: Record<string, unknown>, fields: Record<string, unknown>): LearnerJSON {
    const opts: Record<string, unknown> = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    // the seed with its kind, so that a damaged blob cannot turn a number seed into a string one
    if (opts.seed !== undefined) opts.seed = { kind: typeof opts.seed === 'string' ? 'string' : 'number', value: opts.seed };
    return makeBlob(type, LEARNER_BLOB_VERSION, { dim: this.dimValue ?? null, steps: this.stepCount, options: opts, ...fields });
  }

  /** Restores `dim` and `steps` from a blob (the options were read by the constructor). */
  protected restoreBase(r: BlobReader): void {
    const dim = r.nullable('dim', (q) => q.asInteger({ min: 1, max: 1e7 }));
    if (this.dimValue !== undefined && dim !== this.dimValue) throw r.at('dim').valueError(`the options' dim (${this.dimValue})`);
    this.dimValue = dim ?? undefined;
    this.stepCount = r.integer('steps', { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (dim === null && this.stepCount > 0) throw r.at('dim').valueError(`the input dimension (the learner has learned from ${this.stepCount} rows)`);
  }

  /** The `options` object of a blob, for the constructor (which validates it). */
  protected static blobOptions(r: BlobReader): Record<string, unknown> {
    const o = r.object('options');
    const opts = { ...o.asObjectValue() };
    if (o.has('seed')) {
      const s = o.object('seed');
      opts.seed = s.oneOf('kind', ['number', 'string'] as const) === 'string' ? s.string('value') : s.number('value');
    }
    return opts;
  }
}
