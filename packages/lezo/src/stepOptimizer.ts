/**
 * The step interface shared by the zeroth-order optimizers (MeZO, LeZO) and the first-order
 * baselines, so a training loop, a benchmark or a user can swap one for another.
 * @module
 */
import type { ParamTree, TreeObjective } from '@descent/nn';

/** Where the time of one step went, in milliseconds. */
export interface StepTimings {
  /** Perturbing the parameters (noise generation + the +ε, −2ε, +ε passes); 0 for first-order steps. */
  perturbMs: number;
  /** Evaluating the loss: the two forward passes of a ZO step; forward *and* backward for a first-order step. */
  forwardMs: number;
  /** The parameter update (ZO: noise regeneration + axpy; first-order: optimizer + apply). */
  updateMs: number;
  /** The whole step (the three phases plus bookkeeping). */
  totalMs: number;
}

/** What every step reports. */
export interface StepResult {
  /** Index of this step (0-based; the optimizer's `step` is one more afterwards). */
  step: number;
  /**
   * The minibatch loss: for a ZO step the mean of ℓ₊ and ℓ₋ over the directions (within O(ε²)
   * of the loss at θ); for a first-order step the loss at θ.
   */
  loss: number;
  /** The time split of the step. */
  timings: StepTimings;
}

/**
 * An optimizer that owns its parameters and takes one step on a scalar objective of them (e.g.
 * `objective(model, loss, xBatch, yBatch)` of `@descent/nn`).
 */
export interface StepOptimizer<R extends StepResult = StepResult> {
  /** A one-line description, e.g. `LeZO(keep 2 of 8, uniform)`. */
  readonly name: string;
  /**
   * The current parameters. The tree object is live: its tensor handles are replaced (and the
   * old ones disposed) by every step, so read it after a step instead of keeping tensors from it.
   */
  readonly params: ParamTree;
  /** Steps taken so far. */
  readonly step: number;
  /** One step on `f` (a scalar function of the parameters). */
  stepOn(f: TreeObjective): R;
  /** A copy of the current parameters, owned by the caller. */
  snapshot(): ParamTree;
  /** Host (non-tensor) scratch memory the optimizer holds, in bytes. */
  readonly hostBytes: number;
  /** Disposes the parameters and any state. */
  dispose(): void;
}
