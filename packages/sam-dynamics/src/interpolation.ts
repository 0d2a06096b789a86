/**
 * Linear interpolation between two endpoints: is the late-SAM minimum in the same valley as the
 * SGD one? (Zhou et al.'s LMC.py; the barrier as Frankle et al. 2020.)
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { type CurvatureObjective, type ParamTree, linspace, lossAlongLine } from '@descent/nn';

/** What {@link interpolationBarrier} returns. */
export interface InterpolationCurve {
  /** The α values (0 is `a`, 1 is `b`). */
  alphas: Float64Array;
  /** f((1 − α)a + αb) at each α. */
  losses: Float64Array;
  /** f(a). */
  lossA: number;
  /** f(b). */
  lossB: number;
  /**
   * max over α ∈ [0, 1] of f((1 − α)a + αb) − ((1 − α)f(a) + αf(b)): ≈ 0 (or < 0) when the segment
   * stays in one valley, > 0 when it crosses a ridge.
   */
  barrier: number;
}

/**
 * The loss along the segment from `a` to `b` and its barrier.
 *
 * ```ts
 * const { barrier } = interpolationBarrier(datasetObjective(model, loss, train), wSgd, wLateSam);
 * ```
 */
export function interpolationBarrier(
  f: CurvatureObjective,
  a: ParamTree,
  b: ParamTree,
  options: { alphas?: ArrayLike<number> } = {},
): InterpolationCurve {
  if (options == null || typeof options !== 'object')
    throw new ValueError(`options must be { alphas? }, got ${describe(options)}`, 'options');
  const alphas = Float64Array.from(options.alphas ?? linspace(0, 1, 11));
  const ends = lossAlongLine(f, a, b, [0, 1]);
  const losses = lossAlongLine(f, a, b, alphas);
  let barrier = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < alphas.length; i++) {
    const t = alphas[i];
    if (t < 0 || t > 1) continue;
    barrier = Math.max(barrier, losses[i] - ((1 - t) * ends[0] + t * ends[1]));
  }
  if (barrier === Number.NEGATIVE_INFINITY) barrier = 0;
  return { alphas, losses, lossA: ends[0], lossB: ends[1], barrier };
}
