/**
 * The streaming-learner contract shared by FORKS and every baseline: the core's
 * `StreamingLearner` (learnOne / predictOne) and `Serializable` ({ type, version } blobs read back by
 * a validating `fromJSON`), plus a score and a batch loop.
 * @module
 */
import type { Serializable, StreamingLearner, VectorLike, VersionedJSON } from '@descent/tensor';

/** A binary label. */
export type Label = 1 | -1;

/** What one predict-then-update round reports. */
export interface StepResult {
  /** The score f_t(x_t) computed *before* the update. */
  score: number;
  /** sign(f_t), with sign(0) = +1. */
  predicted: Label;
  /** `predicted !== y`. */
  mistake: boolean;
  /** The learner's loss at the pre-update score (hinge `max(0, 1 − y f)` or squared hinge). */
  loss: number;
  /** Whether the model changed (weights, support set or second-order matrix). */
  updated: boolean;
  /** Whether a sketch / embedding / dictionary was rebuilt or patched in this round. */
  sketchUpdated: boolean;
  /**
   * Whether the learner was still filling its budget (first-order kernel phase) when it
   * predicted. The reference code does not count these rounds' mistakes for FORKS, SkeGD and
   * NOGD; {@link evaluateOnline} reports both conventions.
   */
  warmup: boolean;
}

/** Aggregate of a `learnMany` call. */
export interface RunStats {
  /** Rounds (steps) processed. */
  steps: number;
  /** Mistakes over all rounds. */
  mistakes: number;
  /** Mistakes over rounds with `warmup === false`. */
  mistakesAfterWarmup: number;
  /** Sum of the per-round losses. */
  cumulativeLoss: number;
  /** Rounds in which the model changed. */
  updates: number;
}

/** Serialised learner: `{ type, version: 1, dim, steps, options, … }` (see each class's `fromJSON`). */
export type LearnerJSON = VersionedJSON;

/** Loss functions available to the margin-based learners. */
export type LossName = 'hinge' | 'squaredHinge';

/** The interface every learner of this package implements. */
export interface OnlineBinaryLearner extends StreamingLearner<VectorLike, Label, StepResult>, Serializable<LearnerJSON> {
  /** Input dimension (fixed at construction or by the first row). */
  readonly dim: number | undefined;
  /** Rounds processed by `learnOne` so far. */
  readonly steps: number;
  /** The real-valued score f(x). Does not change the learner. */
  predictScore(x: VectorLike): number;
  /** sign(f(x)) with sign(0) = +1. */
  predictOne(x: VectorLike): Label;
  /** Predict, then update on (x, y); the prediction is made before seeing y. */
  learnOne(x: VectorLike, y: number): StepResult;
  /** `learnOne` over a batch of rows, aggregated. */
  learnMany(X: ArrayLike<VectorLike>, y: ArrayLike<number>): RunStats;
}
