/**
 * Gaussian phase-retrieval problems y_i = (a_iᵀx)² + z_i with a_i ~ N(0, I_n) and the noise models of
 * the paper's two regimes: zero-mean noise with a bounded fourth moment (Gaussian, Student-t with
 * ν > 4, symmetric Pareto with α > 4) and noise with an unknown, non-zero mean (log-normal).
 * @module
 */
import {
  Matrix,
  Rng,
  readEnum,
  readNumber,
  readInteger,
  readOptions,
  resolveOptions,
  option,
  describe,
  ValueError,
} from '@descent/tensor';

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
  checkRng(rng);
  readNumber(shape, 'shape', { gt: 0 });
  return gammaDraw(rng, shape);
}

function checkRng(rng: unknown): void {
  if (!(rng instanceof Rng))
    throw new ValueError(`rng must be an Rng from @descent/tensor, got ${describe(rng)}`, 'rng');
}

function gammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1) * rng.uniform() ** (1 / shape);
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

/** The noise kinds, in the order error messages list them. */
const NOISE_KINDS = ['none', 'gauss', 'student', 'pareto', 'lognormal'] as const;

/**
 * Reads a {@link NoiseModel}'s `kind` (one of {@link NOISE_KINDS}) and `scale` (≥ 0, default 0.1):
 * the one reader behind {@link sampleNoise} and {@link noiseMean}, so both accept and reject the
 * same models with the same messages (`noise`, `noise.kind`, `noise.scale`). The kind-specific
 * parameters (`df`, `alpha`) are read where they are used.
 */
function readNoiseModel(model: NoiseModel): { kind: NoiseKind; scale: number } {
  readOptions(model, 'noise');
  const kind = readEnum(model.kind, 'noise.kind', NOISE_KINDS);
  const scale = readNumber(model.scale ?? 0.1, 'noise.scale', { min: 0 });
  return { kind, scale };
}

/** Draws `m` noise values of `model` (scale included). */
export function sampleNoise(model: NoiseModel, m: number, rng: Rng): Float64Array {
  readOptions(model, 'noise');
  readInteger(m, 'm', { min: 0 });
  checkRng(rng);
  const { kind, scale } = readNoiseModel(model);
  const out = new Float64Array(m);
  if (kind === 'none' || scale === 0) return out;
  if (kind === 'gauss') return rng.fillNormal(out, 0, scale);
  if (kind === 'student') {
    const df = readNumber(model.df ?? 4.5, 'noise.df', { gt: 0 });
    for (let i = 0; i < m; i++)
      out[i] = (scale * rng.normal()) / Math.sqrt((2 * gammaDraw(rng, df / 2)) / df);
    return out;
  }
  if (kind === 'pareto') {
    const alpha = readNumber(model.alpha ?? 4.5, 'noise.alpha', { gt: 0 });
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
  if (model === undefined) return 0;
  const { kind, scale } = readNoiseModel(model);
  return kind === 'lognormal' ? scale * Math.exp(0.5) : 0;
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
  const o = resolveOptions(options, {
    n: option.integer({ min: 1, max: 1e5, required: true }),
    m: option.integer({ min: 1, max: 1e7 }),
    seed: option.seed(),
    noise: option.custom((v, name) => readOptions<NoiseModel>(v, name) as NoiseModel),
    norm: option.number({ gt: 0, default: 1 }),
  });
  if (options === undefined)
    throw new ValueError('options must be an object with n, got undefined', 'options');
  const { n, norm } = o;
  const m = o.m ?? 8 * n;
  if (m * n > 5e7) throw new ValueError(`m·n must be <= 5e7 (the design is dense), got ${m * n}`, 'm');
  const rng = new Rng(o.seed);
  const A = new Matrix(m, n, rng.fold('A').normalArray(m * n));
  const x = rng.fold('x').normalArray(n);
  let nx = 0;
  for (let j = 0; j < n; j++) nx += x[j] * x[j];
  const s = norm / Math.sqrt(nx);
  for (let j = 0; j < n; j++) x[j] *= s;
  const noise = sampleNoise(o.noise ?? { kind: 'none' }, m, rng.fold('noise'));
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let d = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) d += A.data[o + j] * x[j];
    y[i] = d * d + noise[i];
  }
  return { A, y, x, noise, m, n, corrupted: new Int32Array(0) };
}
