/**
 * The gradient-transformation protocol (as optax): a pair of pure functions on parameters of
 * type `P` (a flat `Float64Array` for the optimizers of @descent/tensor, a named-tensor tree
 * for @descent/nn).
 * @module
 */

/**
 * A pure gradient transformation: `init(params) -> state` and
 * `update(grads, state, params?) -> { updates, state }`. Updates are *added* to the parameters.
 * Neither function mutates its arguments; states are plain data (JSON-serialisable for the
 * float64 optimizers), so a saved state continues bit for bit.
 *
 * ```ts
 * const opt = chain(clipByGlobalNorm(1), adam({ learningRate: 1e-3 }));
 * let s = opt.init(params);
 * const r = opt.update(grads, s, params); params = applyUpdates(params, r.updates); s = r.state;
 * ```
 *
 * @typeParam S - the state type.
 * @typeParam P - the parameter (and gradient, and update) type; `Float64Array` by default.
 */
export interface GradientTransformation<S = unknown, P = Float64Array> {
  /** The initial state for parameters `params` (only their shape and, for some, values matter). */
  init(params: P): S;
  /**
   * Transforms `grads` into `updates` (to be added to the parameters) and returns the next state.
   * Never mutates `grads`, `state` or `params`.
   */
  update(grads: P, state: S, params?: P): { updates: P; state: S };
}

/** The state type of a transformation. */
export type StateOf<T> = T extends GradientTransformation<infer S, infer _P> ? S : never;

/** The parameter type of a transformation. */
export type ParamsOf<T> = T extends GradientTransformation<infer _S, infer P> ? P : never;
