/**
 * Gaussian phase-retrieval problems y_i = (a_iᵀx)² + z_i with a_i ~ N(0, I_n) and the noise models of
 * the paper's two regimes: zero-mean noise with a bounded fourth moment (Gaussian, Student-t with
 * ν > 4, symmetric Pareto with α > 4) and noise with an unknown, non-zero mean (log-normal).
 * @module
 */
import { Matrix, Rng, assertInteger, assertPositive, readEnum, readSeed } from '@descent/tensor';

/** Noise kinds. `lognormal` has mean scale·e^{1/2} ≠ 0 (the unknown-noise regime); the others are zero-mean. */
export type NoiseKind = 'none' | 'gauss' | 'student' | 'pareto' | 'lognormal';

/** A noise model: z = scale · ξ with ξ of the given kind. */
export interface NoiseModel {
  kind: NoiseKind;
  /** Multiplier of the standard draw (default 0.1). */
  scale?: number;
  /** Student-t degrees of freedom (default 4.5: finite fourth moment, as the paper requires). */
  df?: number;
  /** Pareto tail index α of the symmetric Pareto ±X, X = U^{-1/α} (default 4.5). */
  alpha?: number;
}

/** A phase-retrieval instance with its ground truth. */
export interface PhaseProblem {
  /** m × n design, row i = a_iᵀ. */
  A: Matrix;
  /** Responses y_i = (a_iᵀx)² + z_i. */
  y: Float64Array;
  /** The signal (known only to the generator). */
  x: Float64Array;
  /** The noise z that was added. */
  noise: Float64Array;
  m: number;
  n: number;
  /** Indices of corrupted pairs (empty until {@link contaminate}). */
  corrupted: Int32Array;
}

/** Options of {@link makeGaussianProblem}. */
export interface GaussianProblemOptions {
  n: number;
  /** Number of measurements (default 8n). */
  m?: number;
  /** Seed (default 0). */
  seed?: number | string;
  /** Noise model (default none). */
  noise?: NoiseModel;
  /** ‖x‖ (default 1). */
  norm?: number;
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), boosting shape < 1. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) return sampleGamma(rng, shape + 1) * rng.uniform() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Draws `m` noise values of `model` (scale included). */
export function sampleNoise(model: NoiseModel, m: number, rng: Rng): Float64Array {
  const kind = readEnum(model.kind, 'noise.kind', [
    'none',
    'gauss',
    'student',
    'pareto',
    'lognormal',
  ] as const);
  const scale = model.scale ?? 0.1;
  assertPositive('noise.scale', scale, true);
  const out = new Float64Array(m);
  if (kind === 'none' || scale === 0) return out;
  if (kind === 'gauss') return rng.fillNormal(out, 0, scale);
  if (kind === 'student') {
    const df = model.df ?? 4.5;
    assertPositive('noise.df', df);
    for (let i = 0; i < m; i++)
      out[i] = (scale * rng.normal()) / Math.sqrt((2 * sampleGamma(rng, df / 2)) / df);
    return out;
  }
  if (kind === 'pareto') {
    const alpha = model.alpha ?? 4.5;
    assertPositive('noise.alpha', alpha);
    for (let i = 0; i < m; i++) {
      const x = (1 - rng.uniform()) ** (-1 / alpha);
      out[i] = scale * (rng.uniform() < 0.5 ? -x : x);
    }
    return out;
  }
  for (let i = 0; i < m; i++) out[i] = scale * Math.exp(rng.normal());
  return out;
}

/** The mean of the noise model (0 except log-normal: scale·e^{1/2}); for reporting, never used by solvers. */
export function noiseMean(model: NoiseModel | undefined): number {
  return model?.kind === 'lognormal' ? (model.scale ?? 0.1) * Math.exp(0.5) : 0;
}

/**
 * A random instance: x uniform on the sphere of radius `norm`, a_i ~ N(0, I_n), y_i = (a_iᵀx)² + z_i.
 * Streams are keyed ('A', 'x', 'noise'), so changing the noise does not change A or x.
 *
 * ```ts
 * const { A, y, x } = makeGaussianProblem({ n: 64, m: 512, seed: 1, noise: { kind: 'student', scale: 0.5 } });
 * ```
 */
export function makeGaussianProblem(options: GaussianProblemOptions): PhaseProblem {
  const { n, seed = 0, norm = 1 } = options;
  assertInteger('n', n, 1);
  const m = options.m ?? 8 * n;
  assertInteger('m', m, 1);
  assertPositive('norm', norm);
  const rng = new Rng(readSeed(seed ?? 0));
  const A = new Matrix(m, n, rng.fold('A').normalArray(m * n));
  const x = rng.fold('x').normalArray(n);
  let nx = 0;
  for (let j = 0; j < n; j++) nx += x[j] * x[j];
  const s = norm / Math.sqrt(nx);
  for (let j = 0; j < n; j++) x[j] *= s;
  const noise = sampleNoise(options.noise ?? { kind: 'none' }, m, rng.fold('noise'));
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let d = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) d += A.data[o + j] * x[j];
    y[i] = d * d + noise[i];
  }
  return { A, y, x, noise, m, n, corrupted: new Int32Array(0) };
}
