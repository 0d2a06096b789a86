/**
 * The loss along the line between two parameter sets, f((1 − α)·a + α·b): linear mode
 * connectivity and "same valley" checks (Zhou et al.'s LMC.py evaluates α ∈ linspace(−0.2, 1.2, 40)).
 * @module
 */
import { ValueError, describe } from '@descent/tensor';
import { type ParamTree, assertSameStructure, disposeTree, lerpTrees } from '../tree';
import { type CurvatureObjective, objectiveValue } from './objective';

/** Evenly spaced numbers from `start` to `stop` inclusive (`count` ≥ 2), as numpy's linspace. */
export function linspace(start: number, stop: number, count: number): Float64Array {
  if (!Number.isInteger(count) || count < 2)
    throw new ValueError(`count must be an integer >= 2, got ${describe(count)}`, 'count');
  return Float64Array.from({ length: count }, (_, i) => start + ((stop - start) * i) / (count - 1));
}

/**
 * f((1 − α)·a + α·b) for each α (α = 0 is `a`, α = 1 is `b`; values outside [0, 1] extrapolate).
 *
 * ```ts
 * const losses = lossAlongLine(f, paramsSgd, paramsSam, linspace(-0.2, 1.2, 40));
 * ```
 */
export function lossAlongLine(
  f: CurvatureObjective,
  a: ParamTree,
  b: ParamTree,
  alphas: ArrayLike<number>,
): Float64Array {
  assertSameStructure('b', b, a);
  if (alphas == null || typeof alphas.length !== 'number')
    throw new ValueError(`alphas must be an array of numbers, got ${describe(alphas)}`, 'alphas');
  const out = new Float64Array(alphas.length);
  for (let i = 0; i < alphas.length; i++) {
    const t = alphas[i];
    if (!Number.isFinite(t))
      throw new ValueError(
        `alphas must contain only finite numbers, got ${describe(t)} at index ${i}`,
        'alphas',
      );
    const p = lerpTrees(a, b, t);
    try {
      out[i] = objectiveValue(f, p);
    } finally {
      disposeTree(p);
    }
  }
  return out;
}
