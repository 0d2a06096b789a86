/**
 * The black-box strategy protocol (as pycma and evosax): explicit state, `ask` for candidates,
 * `tell` their objective values, `stop` for the reason to end.
 * @module
 */
import type { StopReason } from './stopReason';

/**
 * An ask/tell strategy minimising a black-box objective over candidates of type `X`
 * (`Float64Array` for the evolution strategies).
 *
 * ```ts
 * const es: AskTellStrategy = new CMAES({ mean0: [0, 0], sigma0: 1, seed: 7 });
 * while (!es.stop()) { const xs = es.ask(); es.tell(xs, xs.map(f)); }
 * console.log(es.fBest, es.xBest, es.evaluations);
 * ```
 *
 * Contract:
 * - `ask()` returns the candidates of the current batch; asking again before `tell` returns the
 *   same batch (a pending batch is part of the serialised state).
 * - `tell(xs, values)` takes one objective value per candidate (to be minimised). Implementations
 *   say whether other candidates than the asked ones may be told; a `tell` without a pending
 *   `ask` that the strategy cannot honour is a `ValueError`, never silently new noise.
 * - `stop()` returns the first stop criterion that holds, or `null` to continue.
 */
export interface AskTellStrategy<X = Float64Array> {
  /** The candidates to evaluate next (the same ones until `tell`). */
  ask(): X[];
  /** Reports the objective values (to minimise) of the candidates `xs`, one value each. */
  tell(xs: X[], values: ArrayLike<number>): void;
  /** The reason to stop now, or `null` to go on. */
  stop(): StopReason | null;
  /** The best objective value told so far (`Infinity` before the first `tell`). */
  readonly fBest: number;
  /** The candidate with value {@link AskTellStrategy.fBest} (`null` before the first `tell`). */
  readonly xBest: X | null;
  /** Objective values told so far. */
  readonly evaluations: number;
}
