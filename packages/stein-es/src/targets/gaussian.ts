/**
 * G2: the 2-D Gaussian of Liu & Wang's SVGD reference code (`python/multivariate_normal.py`):
 * μ = (−0.6871, 0.8010), precision A = [[0.2260, 0.1652], [0.1652, 0.6779]].
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, padWithGaussian } from './target';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { sqrt } = Math;

/** Mean of G2. */
export const G2_MEAN = [-0.6871, 0.801] as const;
/** Precision matrix A of G2 (row-major). */
export const G2_PRECISION = [0.226, 0.1652, 0.1652, 0.6779] as const;

/** Covariance Σ = A⁻¹ of G2 (row-major, closed form of the 2×2 inverse). */
export function g2Covariance(): Float64Array {
  const [a, b, , d] = G2_PRECISION;
  const det = a * d - b * b;
  return Float64Array.of(d / det, -b / det, -b / det, a / det);
}

/** G2 (d = 2) or G2 padded with N(0,1) coordinates (d > 2). */
export function gaussianTarget(dim = 2): Target {
  assertInteger('dim', dim, 2, MAX_TARGET_DIM);
  const [m0, m1] = G2_MEAN;
  const [a, b, , c] = G2_PRECISION;
  const S = g2Covariance();
  // Cholesky of Σ (2×2, closed form)
  const l00 = sqrt(S[0]);
  const l10 = S[2] / l00;
  const l11 = sqrt(S[3] - l10 * l10);
  const base: Target = {
    name: 'gauss-2d',
    dim: 2,
    negLogP(x) {
      const u = x[0] - m0;
      const v = x[1] - m1;
      return 0.5 * (a * u * u + 2 * b * u * v + c * v * v);
    },
    gradLogP(x) {
      const u = x[0] - m0;
      const v = x[1] - m1;
      return Float64Array.of(-(a * u + b * v), -(b * u + c * v));
    },
    sample(n, rng) {
      return Array.from({ length: n }, () => {
        const z0 = rng.normal();
        const z1 = rng.normal();
        return Float64Array.of(m0 + l00 * z0, m1 + l10 * z0 + l11 * z1);
      });
    },
    initBox: { lower: [-6, -6], upper: [6, 6] },
  };
  return padWithGaussian(base, dim);
}
