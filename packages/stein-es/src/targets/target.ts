/**
 * The benchmark target interface: an unnormalised density p̃ = exp(−U) with its analytic
 * gradient (for the SVGD reference) and an exact sampler (for the MMD ground truth).
 * @module
 */
import { Rng, ValueError, describe, readInteger, readVector } from '@descent/tensor';

/** A sampling target with exact ground truth. */
export interface Target {
  /** Short id, e.g. `"gmm4-2d"`. */
  name: string;
  /** Dimension d. */
  dim: number;
  /** U(x) = −log p̃(x) (up to an additive constant). */
  negLogP(x: ArrayLike<number>): number;
  /** ∇log p̃(x) = −∇U(x). */
  gradLogP(x: ArrayLike<number>): Float64Array;
  /** n exact independent samples. */
  sample(n: number, rng: Rng): Float64Array[];
  /** A box that holds the initial particles of the benchmarks. */
  initBox: { lower: number[]; upper: number[] };
}

/** The largest dimension of the benchmark targets (10⁴). */
export const MAX_TARGET_DIM = 10000;

/**
 * Pads a 2-D target with d − 2 independent N(0, 1) coordinates (how the 10-D variants of the
 * 2-D targets are built; notes section 3.2, B2 "or d with extra N(0,1) coordinates").
 */
export function padWithGaussian(base: Target, dim: number): Target {
  if (
    base === null ||
    typeof base !== 'object' ||
    typeof base.negLogP !== 'function' ||
    typeof base.gradLogP !== 'function' ||
    typeof base.sample !== 'function' ||
    !Number.isInteger(base.dim) ||
    typeof base.name !== 'string'
  ) {
    throw new ValueError(
      `base must be a Target {name, dim, negLogP, gradLogP, sample, initBox}, got ${describe(base)}`,
      'base',
    );
  }
  readInteger(dim, 'dim', { min: base.dim, max: MAX_TARGET_DIM });
  if (dim === base.dim) return checkedTarget(base);
  const extra = dim - base.dim;
  return checkedTarget({
    name: `${base.name.replace(/-\d+d$/, '')}-${dim}d`,
    dim,
    negLogP(x) {
      let s = base.negLogP(Array.prototype.slice.call(x, 0, base.dim));
      for (let i = base.dim; i < dim; i++) s += 0.5 * x[i] * x[i];
      return s;
    },
    gradLogP(x) {
      const g = new Float64Array(dim);
      g.set(base.gradLogP(Array.prototype.slice.call(x, 0, base.dim)));
      for (let i = base.dim; i < dim; i++) g[i] = -x[i];
      return g;
    },
    sample(n, rng) {
      const head = base.sample(n, rng.fold('head'));
      const tail = rng.fold('tail');
      return head.map((h) => {
        const x = new Float64Array(dim);
        x.set(h);
        const t = tail.normalArray(extra);
        x.set(t, base.dim);
        return x;
      });
    },
    initBox: {
      lower: [...base.initBox.lower, ...new Array(extra).fill(-3)],
      upper: [...base.initBox.upper, ...new Array(extra).fill(3)],
    },
  });
}

/**
 * The same target with its arguments checked: `negLogP(x)` and `gradLogP(x)` take a finite vector
 * of length `dim` (a ShapeError or ValueError naming `x` otherwise, never NaN from a short
 * vector), `sample(n, rng)` a count n ≥ 0 and an {@link Rng}. Every exported target is wrapped.
 */
export function checkedTarget(t: Target): Target {
  const { dim } = t;
  return {
    name: t.name,
    dim,
    negLogP: (x) => t.negLogP(readVector(x, 'x', { length: dim })),
    gradLogP: (x) => t.gradLogP(readVector(x, 'x', { length: dim })),
    sample(n, rng) {
      readInteger(n, 'n', { min: 0 });
      if (!(rng instanceof Rng))
        throw new ValueError(`rng must be an Rng of @descent/tensor, got ${describe(rng)}`, 'rng');
      return t.sample(n, rng);
    },
    initBox: t.initBox,
  };
}
