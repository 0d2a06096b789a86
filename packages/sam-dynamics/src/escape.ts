/**
 * The escape curve after a switch: d_t = ‖w_t − w_switch‖, and its exponential rate (Zhou et al.,
 * Thm. 4.1–4.2: SAM leaves a sharp SGD minimum exponentially fast).
 * @module
 */
import { ValueError, assertInteger, describe, fitPowerLaw } from '@descent/tensor';
import {
  type ParamTree,
  assertParamTree,
  assertSameStructure,
  disposeTree,
  subTrees,
  treeNorm,
} from '@descent/nn';

/**
 * ‖a − b‖₂ over the whole tree (same structure and shapes, else a {@link ShapeError} naming `b`;
 * a non-finite entry is a {@link ValueError} naming the tree that holds it).
 */
export function treeDistance(a: ParamTree, b: ParamTree): number {
  assertParamTree('a', a);
  assertSameStructure('b', b, a);
  const d = subTrees(a, b);
  let r: number;
  try {
    r = treeNorm(d);
  } finally {
    disposeTree(d);
  }
  if (!Number.isFinite(r)) {
    const bad = Number.isFinite(treeNorm(a)) ? 'b' : 'a';
    throw new ValueError(`${bad} must hold only finite numbers, got ‖a − b‖ = ${r}`, bad);
  }
  return r;
}

/** What {@link escapeRate} returns. */
export interface EscapeRate {
  /** The least-squares slope r of ln d_t against t (d_t ≈ C·e^{rt}); per step. */
  rate: number;
  /** e^r: the growth factor per step. */
  factor: number;
  /** Coefficient of determination of the log-linear fit. */
  r2: number;
  /** Points used (those with d_t > 0 in the window). */
  points: number;
}

/**
 * Fits d_t ≈ C·e^{rt} over steps [from, to) of an escape curve (zeros skipped).
 *
 * ```ts
 * escapeRate(Float64Array.from({ length: 20 }, (_, t) => 1e-3 * 1.4 ** t)).factor; // 1.4
 * ```
 */
export function escapeRate(
  distances: ArrayLike<number>,
  options: { from?: number; to?: number } = {},
): EscapeRate {
  if (distances == null || typeof distances.length !== 'number')
    throw new ValueError(`distances must be an array of numbers, got ${describe(distances)}`, 'distances');
  const from = options.from ?? 0;
  const to = options.to ?? distances.length;
  assertInteger('from', from, 0);
  assertInteger('to', to, from, distances.length);
  // a log-linear fit is a power-law fit in x = e^{(t − from)/L} (x ∈ [1, e]: no overflow)
  const L = Math.max(1, to - from);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = from; t < to; t++) {
    const d = distances[t];
    if (!Number.isFinite(d) || d < 0)
      throw new ValueError(
        `distances must be finite and >= 0, got ${describe(d)} at index ${t}`,
        'distances',
      );
    xs.push(Math.exp((t - from) / L));
    ys.push(d);
  }
  const fit = fitPowerLaw(xs, ys);
  if (fit.points < 2)
    throw new ValueError(
      `distances must have at least 2 positive values in [${from}, ${to}), got ${fit.points}`,
      'distances',
    );
  const rate = fit.slope / L;
  return { rate, factor: Math.exp(rate), r2: fit.r2, points: fit.points };
}
