/**
 * DB: the "double banana" of the Stein variational Newton benchmarks (Detommaso et al. 2018):
 * U(x) = ‖x‖²/2 + (ln 30 − ln q(x))² / (2·0.3²), q(x) = (1 − x₁)² + 100 (x₂ − x₁²)².
 * Exact sampling by inverse CDF on a fine grid (600² cells over [−2.5, 2.5] × [−1.5, 4.5], which
 * holds all but < 1e-6 of the mass) with uniform jitter inside the cell.
 * @module
 */
import { assertInteger } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, padWithGaussian } from './target';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { exp, floor, log } = Math;

const Y = log(30);
const S2 = 0.3 * 0.3;
const LO = [-2.5, -1.5];
const HI = [2.5, 4.5];
const G = 600;

let cdfCache: Float64Array | null = null;

function dbU(x0: number, x1: number): number {
  const q = (1 - x0) ** 2 + 100 * (x1 - x0 * x0) ** 2;
  return 0.5 * (x0 * x0 + x1 * x1) + (Y - log(q)) ** 2 / (2 * S2);
}

function gridCdf(): Float64Array {
  if (cdfCache) return cdfCache;
  const dx = (HI[0] - LO[0]) / G;
  const dy = (HI[1] - LO[1]) / G;
  const u = new Float64Array(G * G);
  let umin = Infinity;
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < G; j++) {
      const v = dbU(LO[0] + (i + 0.5) * dx, LO[1] + (j + 0.5) * dy);
      u[i * G + j] = v;
      if (v < umin) umin = v;
    }
  }
  const cdf = new Float64Array(G * G);
  let acc = 0;
  for (let k = 0; k < G * G; k++) {
    acc += exp(-(u[k] - umin));
    cdf[k] = acc;
  }
  for (let k = 0; k < G * G; k++) cdf[k] /= acc;
  cdfCache = cdf;
  return cdf;
}

/** The double banana (d = 2) or padded with N(0,1) coordinates. */
export function doubleBananaTarget(dim = 2): Target {
  assertInteger('dim', dim, 2, MAX_TARGET_DIM);
  const base: Target = {
    name: 'doubleBanana-2d',
    dim: 2,
    negLogP(x) {
      return dbU(x[0], x[1]);
    },
    gradLogP(x) {
      const [a, b] = [x[0], x[1]];
      const q = (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      const dqa = -2 * (1 - a) - 400 * a * (b - a * a);
      const dqb = 200 * (b - a * a);
      const c = (Y - log(q)) / (S2 * q); // ∇U = x − c ∇q
      return Float64Array.of(-(a - c * dqa), -(b - c * dqb));
    },
    sample(n, rng) {
      const cdf = gridCdf();
      const dx = (HI[0] - LO[0]) / G;
      const dy = (HI[1] - LO[1]) / G;
      return Array.from({ length: n }, () => {
        const u = rng.uniform();
        let lo = 0;
        let hi = cdf.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        const i = floor(lo / G);
        const j = lo % G;
        return Float64Array.of(LO[0] + (i + rng.uniform()) * dx, LO[1] + (j + rng.uniform()) * dy);
      });
    },
    initBox: { lower: [-3, -2], upper: [3, 5] },
  };
  return padWithGaussian(base, dim);
}
