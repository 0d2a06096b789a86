/**
 * Low-dimensional landscapes with exact gradients and Hessians (float64, no tfjs): the toys on
 * which SAM's dynamics have closed-form or calibrated answers.
 * @module
 */

/** A smooth objective on ℝᵈ with its exact derivatives. */
export interface Toy {
  /** A one-line description. */
  readonly name: string;
  /** The dimension d. */
  readonly dim: number;
  /** f(w). */
  value(w: Float64Array): number;
  /** ∇f(w) (a new array). */
  grad(w: Float64Array): Float64Array;
  /** ∇²f(w), row-major d×d (a new array). */
  hessian(w: Float64Array): Float64Array;
  /** The largest eigenvalue of ∇²f(w) (the sharpness). */
  topEigenvalue(w: Float64Array): number;
}
