/**
 * B2: the twisted Gaussian ("banana", Haario, Saksman, Tamminen 1999) y ~ N(0, diag(s², 1)),
 * x = (y₁, y₂ − b(y₁² − s²)). Our scale s = 2, b = 0.5 keeps the mass in [−6, 6] × [−10, 4] (the
 * classic s = 10, b = 0.03 is 5× wider than the other targets; both are options).
 * @module
 */
import { assertInteger, assertPositive, readOptions } from '@descent/tensor';
import { MAX_TARGET_DIM, type Target, padWithGaussian } from './target';

/** Options of {@link bananaTarget}. */
export interface BananaOptions {
  /** Dimension (default 2; extra coordinates are N(0,1)). */
  dim?: number;
  /** Twist b (default 0.5). */
  b?: number;
  /** Std s of the first coordinate (default 2). */
  s?: number;
}

/** The twisted-Gaussian banana. */
export function bananaTarget(options: BananaOptions = {}): Target {
  const { dim = 2, b = 0.5, s = 2 } = readOptions<BananaOptions>(options);
  assertInteger('dim', dim, 2, MAX_TARGET_DIM);
  assertPositive('b', b, true);
  assertPositive('s', s);
  const s2 = s * s;
  const base: Target = {
    name: 'banana-2d',
    dim: 2,
    negLogP(x) {
      const y2 = x[1] + b * (x[0] * x[0] - s2);
      return (0.5 * x[0] * x[0]) / s2 + 0.5 * y2 * y2;
    },
    gradLogP(x) {
      const y2 = x[1] + b * (x[0] * x[0] - s2);
      return Float64Array.of(-(x[0] / s2 + y2 * 2 * b * x[0]), -y2);
    },
    sample(n, rng) {
      return Array.from({ length: n }, () => {
        const y1 = s * rng.normal();
        const y2 = rng.normal();
        return Float64Array.of(y1, y2 - b * (y1 * y1 - s2));
      });
    },
    initBox: { lower: [-6, -6], upper: [6, 6] },
  };
  return padWithGaussian(base, dim);
}
