/**
 * M4: a fixed 4-mode Gaussian mixture in 2-D, unit isotropic components at (±2.5, ±2.5) with
 * weights (0.1, 0.2, 0.3, 0.4) (notes section 3.2: the author's demo draws the modes at random in
 * [−4, 4]²; we fix the layout so results are comparable across runs).
 * @module
 */
import { ValueError, assertAllFinite, assertInteger, assertLength, readOptions } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, padWithGaussian } from './target';

// Module-level aliases: global lookups are slow inside jest's vm context (jest#5163).
const { exp, log, max } = Math;
const F64 = Float64Array;
const LOG_2PI = log(2 * Math.PI);

/** Mode locations of M4. */
export const GMM4_MODES: readonly (readonly [number, number])[] = [
  [-2.5, -2.5],
  [2.5, -2.5],
  [-2.5, 2.5],
  [2.5, 2.5],
];
/** Mixture weights of M4. */
export const GMM4_WEIGHTS = [0.1, 0.2, 0.3, 0.4] as const;

/** Options of {@link gmm4Target}. */
export interface Gmm4Options {
  /** Mixture weights (default {@link GMM4_WEIGHTS}; normalised). */
  weights?: ArrayLike<number>;
}

/**
 * M4 (d = 2) or M4 padded with N(0,1) coordinates. `gmm4Target(2, { weights: [1, 1, 1, 1] })` is
 * the equal-weight variant (M4eq).
 */
export function gmm4Target(dim = 2, options: Gmm4Options = {}): Target {
  readOptions(options);
  assertInteger('dim', dim, 2, MAX_TARGET_DIM);
  const raw = options.weights ?? GMM4_WEIGHTS;
  assertLength('weights', raw, 4);
  assertAllFinite('weights', raw);
  const total = Array.from(raw).reduce((s, v) => s + v, 0);
  const weights = Array.from(raw, (v) => {
    if (v <= 0) throw new ValueError(`weights must be > 0, got ${v}`, 'weights');
    return v / total;
  });
  const logW = weights.map((w) => log(w));
  const comps = (x: ArrayLike<number>) =>
    GMM4_MODES.map(([a, b], k) => logW[k] - 0.5 * ((x[0] - a) ** 2 + (x[1] - b) ** 2) - LOG_2PI);
  const base: Target = {
    name: options.weights ? 'gmm4w-2d' : 'gmm4-2d',
    dim: 2,
    negLogP(x) {
      const l = comps(x);
      const m = max(...l);
      return -(m + log(l.reduce((s, v) => s + exp(v - m), 0)));
    },
    gradLogP(x) {
      const l = comps(x);
      const m = max(...l);
      const r = l.map((v) => exp(v - m));
      const z = r.reduce((s, v) => s + v, 0);
      const g = new F64(2);
      GMM4_MODES.forEach(([a, b], k) => {
        g[0] += (r[k] / z) * (a - x[0]);
        g[1] += (r[k] / z) * (b - x[1]);
      });
      return g;
    },
    sample(n, rng) {
      const ks = rng.choice(4, n, { replace: true, p: weights });
      return Array.from(ks, (k) => F64.of(GMM4_MODES[k][0] + rng.normal(), GMM4_MODES[k][1] + rng.normal()));
    },
    initBox: { lower: [-6, -6], upper: [6, 6] },
  };
  return padWithGaussian(base, dim);
}
