/**
 * The benchmark target interface: an unnormalised density p̃ = exp(−U) with its analytic
 * gradient (for the SVGD reference) and an exact sampler (for the MMD ground truth).
 * @module
 */
import type { Rng } from '@descent/tensor';

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

/**
 * Pads a 2-D target with d − 2 independent N(0, 1) coordinates (how the 10-D variants of the
 * 2-D targets are built; notes section 3.2, B2 "or d with extra N(0,1) coordinates").
 */
export function padWithGaussian(base: Target, dim: number): Target {
  if (dim === base.dim) return base;
  const extra = dim - base.dim;
  return {
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
  };
}
