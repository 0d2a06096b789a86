/**
 * Initialisations z0 = scale·v (v a top eigenvector of a weighted spectral matrix), from the
 * classical ones (WF spectral, TWF truncated, median-TWF, RWF) to the robust ones that stand in for
 * Buna & Rebeschini's robust spectral step (MeanEstStab-like `robust-matrix`, `robust-power`,
 * NLT-style `spectral-filter`), with selection by the robust objective median_i |(a_iᵀz)² − y_i|.
 * @module
 */
import {
  NotSupportedError,
  Rng,
  ValueError,
  readEnum,
  readSeed,
  describe,
  readInteger,
  readNumber,
  medianInPlace,
} from '@descent/tensor';
import { type PhaseContext, makeContext } from './context';
import { checkEta, readPhaseData } from './inputs';
import { robustObjectiveFromProducts } from './metrics';
import { powerIteration } from './powerIteration';
import {
  type MeanEstimator,
  type RobustMeanOptions,
  resolveMeanOptions,
  robustMeanTransposed,
} from './robustMean';
import type { DesignLike, ProductsMode, VectorLike } from './types';

/** Initialisation methods. */
export type InitMethod =
  | 'spectral'
  | 'truncated'
  | 'median-truncated'
  | 'reshaped'
  | 'robust-power'
  | 'robust-matrix'
  | 'spectral-filter'
  | 'random';

/** All initialisation methods. */
export const INIT_METHODS: readonly InitMethod[] = [
  'spectral',
  'truncated',
  'median-truncated',
  'reshaped',
  'robust-power',
  'robust-matrix',
  'spectral-filter',
  'random',
];

/** Norm estimators for ‖x‖. */
export type NormEstimator = 'mean' | 'median' | 'mom' | 'eiggap';

/** Median of χ²₁ (0.4549…): median(y)/0.4549 estimates ‖x‖² for noiseless Gaussian data (median-TWF). */
export const CHI2_1_MEDIAN = 0.454936423119572;

/** Options of {@link spectralInit}. */
export interface SpectralInitOptions {
  /** One method, or several: each is computed and the one with the smallest robust objective is kept. */
  method?: InitMethod | InitMethod[];
  /** ‖x‖ estimator (default per method: WF/TWF `mean`, others `median`; RWF uses √(π/2)·mean √y). */
  norm?: NormEstimator;
  /** Truncation level α_y of TWF/median-TWF (keep y_i ≤ α_y²·λ0²; default 3). */
  alphaY?: number;
  /** Power iterations (default 50; 30 for `reshaped`, as in the RWF code). */
  powerIters?: number;
  /** Contamination fraction η for the robust initialisers (default 0.05). */
  eta?: number;
  /** Robust mean estimator for `robust-power` / `robust-matrix` (default `'trimmed'`). */
  estimator?: MeanEstimator;
  /** Extra options of the robust mean. */
  estimatorOptions?: Omit<RobustMeanOptions, 'method' | 'eta'>;
  /** Seed (default 0): a number or a string. */
  seed?: number | string;
  /** See {@link ProductsMode}. */
  products?: ProductsMode;
}

/** One computed candidate. */
export interface InitCandidate {
  method: InitMethod;
  z0: Float64Array;
  /** median_i |(a_iᵀz0)² − y_i|. */
  objective: number;
  /** The ‖x‖ estimate used as the scale. */
  normEstimate: number;
  /** Top eigenvalue of the matrix used. */
  lambda1: number;
}

/** Result of {@link spectralInit}: the selected candidate plus all computed ones. */
export interface SpectralInitResult extends InitCandidate {
  candidates: InitCandidate[];
}

/** Weighted spectral mat-vec v ↦ (1/m) Σ w_i (a_iᵀv) a_i. */
function weightedMatvec(ctx: PhaseContext, w: Float64Array): (v: Float64Array) => Float64Array {
  const Av = new Float64Array(ctx.m);
  return (v) => {
    ctx.op.apply(v, Av);
    for (let i = 0; i < ctx.m; i++) Av[i] *= w[i] / ctx.m;
    return ctx.op.applyT(Av, new Float64Array(ctx.n));
  };
}

function normFrom(kind: NormEstimator, y: Float64Array, eigGap: () => number, rng: Rng): number {
  if (kind === 'mean') {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i];
    return Math.sqrt(Math.max(s / y.length, 0));
  }
  if (kind === 'median') return Math.sqrt(Math.max(medianInPlace(Float64Array.from(y)) / CHI2_1_MEDIAN, 0));
  if (kind === 'mom') {
    const opts = resolveMeanOptions({ method: 'mom', eta: 0.05 });
    return Math.sqrt(Math.max(robustMeanTransposed(Float64Array.from(y), 1, y.length, opts, rng)[0], 0));
  }
  return Math.sqrt(Math.max(eigGap() / 2, 0));
}

/** Resolved options (internal). */
export interface ResolvedInitOptions {
  methods: InitMethod[];
  norm?: NormEstimator;
  alphaY: number;
  powerIters?: number;
  eta: number;
  mean: RobustMeanOptions;
}

/** Keys of {@link SpectralInitOptions} (an `init` option with another key is a ValueError naming it). */
const INIT_KEYS = [
  'method',
  'norm',
  'alphaY',
  'powerIters',
  'eta',
  'estimator',
  'estimatorOptions',
  'seed',
  'products',
] as const;

/** Reads the `init` option of a solver: an object whose keys are those of {@link SpectralInitOptions}. */
export function readInitOption(value: unknown, name = 'init'): SpectralInitOptions {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(
      `${name} must be an object such as { method: 'median-truncated' }, got ${describe(value)}`,
      name,
    );
  }
  for (const key of Object.keys(value)) {
    if (
      (value as Record<string, unknown>)[key] !== undefined &&
      !(INIT_KEYS as readonly string[]).includes(key)
    ) {
      throw new ValueError(
        `${name}.${key} is not an option of ${name}; known: ${INIT_KEYS.join(', ')}`,
        `${name}.${key}`,
      );
    }
  }
  return value as SpectralInitOptions;
}

/** Validates initialisation options (values named `init.<key>`; `spectralInit` passes its own options). */
export function resolveInitOptions(
  options: SpectralInitOptions = {},
  defaults: { method: InitMethod | InitMethod[]; eta?: number; estimator?: MeanEstimator } = {
    method: 'spectral',
  },
  prefix = 'init.',
): ResolvedInitOptions {
  readInitOption(options, prefix ? prefix.slice(0, -1) : 'options');
  const raw = options.method ?? defaults.method;
  const methods = (Array.isArray(raw) ? raw : [raw]).map((m) => readEnum(m, `${prefix}method`, INIT_METHODS));
  if (methods.length === 0)
    throw new ValueError(
      `${prefix}method must name at least one method, got an empty array`,
      `${prefix}method`,
    );
  const norm =
    options.norm === undefined
      ? undefined
      : readEnum(options.norm, `${prefix}norm`, ['mean', 'median', 'mom', 'eiggap'] as const);
  const alphaY = readNumber(options.alphaY ?? 3, `${prefix}alphaY`, { gt: 0 });
  const powerIters =
    options.powerIters === undefined
      ? undefined
      : readInteger(options.powerIters, `${prefix}powerIters`, { min: 1 });
  const eta = checkEta(options.eta ?? defaults.eta ?? 0.05, `${prefix}eta`);
  const mean: RobustMeanOptions = {
    ...options.estimatorOptions,
    method: options.estimator ?? defaults.estimator ?? 'trimmed',
    eta,
  };
  resolveMeanOptions(mean);
  return { methods, norm, alphaY, powerIters, eta, mean };
}

/** Computes one candidate (internal; the context is owned by the caller). */
export function initCandidate(
  ctx: PhaseContext,
  method: InitMethod,
  opts: ResolvedInitOptions,
  rng: Rng,
): InitCandidate {
  const { m, n, y } = ctx;
  const r = rng.fold('init', method);
  const iters = opts.powerIters ?? (method === 'reshaped' ? 30 : 50);
  let v: Float64Array;
  let lambda1 = 0;
  let normEstimate: number;
  let matvec: ((u: Float64Array) => Float64Array) | null = null;
  const gap = () => {
    if (!matvec) throw new NotSupportedError(`norm 'eiggap' is not available for init '${method}'`, 'norm');
    const second = powerIteration(matvec, n, { iters, rng: r.fold('second'), orthogonalTo: v });
    return lambda1 - second.lambda;
  };
  const median = () => normFrom('median', y, gap, r);
  if (method === 'random') {
    v = r.fold('dir').normalArray(n);
    normEstimate = normFrom(opts.norm ?? 'median', y, gap, r);
  } else if (method === 'reshaped') {
    // RWF (Zhang & Liang 2016): λ0 = √(π/2)·mean ψ, weights ψ_i·1{ψ_i > λ0}
    const psi = Float64Array.from(y, (v2) => Math.sqrt(Math.max(v2, 0)));
    let s = 0;
    for (let i = 0; i < m; i++) s += psi[i];
    const lambda0 = Math.sqrt(Math.PI / 2) * (s / m);
    const w = Float64Array.from(psi, (p) => (p > lambda0 ? p : 0));
    matvec = weightedMatvec(ctx, w);
    ({ v, lambda: lambda1 } = powerIteration(matvec, n, { iters, rng: r }));
    normEstimate = opts.norm ? normFrom(opts.norm, y, gap, r) : lambda0;
  } else if (
    method === 'spectral' ||
    method === 'truncated' ||
    method === 'median-truncated' ||
    method === 'spectral-filter'
  ) {
    let w = Float64Array.from(y);
    let lam0: number;
    if (method === 'spectral') {
      // WF (Candès et al. 2015): λ² = n Σ y_i / Σ ‖a_i‖²
      let sy = 0;
      let sa = 0;
      for (let i = 0; i < m; i++) sy += y[i];
      for (let i = 0; i < m * n; i++) sa += ctx.A.data[i] * ctx.A.data[i];
      lam0 = Math.sqrt(Math.max((n * sy) / sa, 0));
    } else if (method === 'truncated') {
      lam0 = normFrom('mean', y, gap, r);
    } else {
      lam0 = median();
    }
    if (method !== 'spectral') {
      const cap = opts.alphaY * opts.alphaY * lam0 * lam0;
      for (let i = 0; i < m; i++) if (Math.abs(y[i]) > cap) w[i] = 0;
    }
    matvec = weightedMatvec(ctx, w);
    ({ v, lambda: lambda1 } = powerIteration(matvec, n, { iters, rng: r }));
    if (method === 'spectral-filter' && opts.eta > 0) {
      // NLT-style: score each sample by y_i‖Vᵀa_i‖² on the top-2 eigenspace, drop the top 1.5η
      const v2 = powerIteration(matvec, n, { iters, rng: r.fold('second'), orthogonalTo: v }).v;
      const p1 = ctx.op.apply(v, new Float64Array(m));
      const p2 = ctx.op.apply(v2, new Float64Array(m));
      const score = Float64Array.from(p1, (a, i) => w[i] * (a * a + p2[i] * p2[i]));
      const drop = Math.min(m - 1, Math.ceil(1.5 * opts.eta * m));
      const sorted = Float64Array.from(score).sort();
      const thr = sorted[m - drop];
      w = Float64Array.from(w, (wi, i) => (score[i] >= thr ? 0 : wi));
      matvec = weightedMatvec(ctx, w);
      ({ v, lambda: lambda1 } = powerIteration(matvec, n, { iters, rng: r.fold('refit') }));
    }
    normEstimate = opts.norm ? normFrom(opts.norm, y, gap, r) : lam0;
  } else if (method === 'robust-power') {
    // power iteration whose mat-vec is a robust mean of the vectors y_i (a_iᵀv) a_i
    const At = ctx.transposed();
    const mean = resolveMeanOptions(opts.mean);
    const Av = new Float64Array(m);
    const Gt = new Float64Array(m * n);
    let call = 0;
    matvec = (u) => {
      ctx.op.apply(u, Av);
      for (let j = 0; j < n; j++) {
        const o = j * m;
        for (let i = 0; i < m; i++) Gt[o + i] = y[i] * Av[i] * At[o + i];
      }
      return robustMeanTransposed(Gt, n, m, mean, r.fold('mean', call++));
    };
    ({ v, lambda: lambda1 } = powerIteration(matvec, n, { iters, rng: r }));
    normEstimate = normFrom(opts.norm ?? 'median', y, gap, r);
  } else {
    // robust-matrix (MeanEstStab-like): robust mean of vec(y_i a_i a_iᵀ) over the n(n+1)/2
    // upper-triangular entries (off-diagonals scaled by √2 so Euclidean geometry matches Frobenius)
    const d = (n * (n + 1)) / 2;
    if (d * m > 2e7) {
      throw new NotSupportedError(
        `init 'robust-matrix' needs m·n(n+1)/2 = ${d * m} floats (limit 2e7); use 'robust-power' for n = ${n}`,
        'init',
      );
    }
    const At = ctx.transposed();
    const Gt = new Float64Array(d * m);
    let e = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p; q < n; q++) {
        const c = p === q ? 1 : Math.SQRT2;
        const o = e * m;
        for (let i = 0; i < m; i++) Gt[o + i] = c * y[i] * At[p * m + i] * At[q * m + i];
        e++;
      }
    }
    const vecM = robustMeanTransposed(Gt, d, m, resolveMeanOptions(opts.mean), r.fold('matrix'));
    const M = new Float64Array(n * n);
    e = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p; q < n; q++) {
        const val = p === q ? vecM[e] : vecM[e] / Math.SQRT2;
        M[p * n + q] = val;
        M[q * n + p] = val;
        e++;
      }
    }
    matvec = (u) => {
      const out = new Float64Array(n);
      for (let p = 0; p < n; p++) {
        let s = 0;
        for (let q = 0; q < n; q++) s += M[p * n + q] * u[q];
        out[p] = s;
      }
      return out;
    };
    // shift by a Gershgorin-free bound: |λ| ≤ max row sum, so the top algebraic eigenvalue wins
    let bound = 0;
    for (let p = 0; p < n; p++) {
      let s = 0;
      for (let q = 0; q < n; q++) s += Math.abs(M[p * n + q]);
      bound = Math.max(bound, s);
    }
    ({ v, lambda: lambda1 } = powerIteration(matvec, n, {
      iters: Math.max(iters, 100),
      rng: r,
      shift: bound,
    }));
    normEstimate = normFrom(
      opts.norm ?? 'median',
      y,
      () =>
        lambda1 -
        powerIteration(matvec as (u: Float64Array) => Float64Array, n, {
          iters: Math.max(iters, 100),
          rng: r.fold('second'),
          orthogonalTo: v,
          shift: bound,
        }).lambda,
      r,
    );
  }
  let vn = 0;
  for (let j = 0; j < n; j++) vn += v[j] * v[j];
  vn = Math.sqrt(vn) || 1;
  const z0 = Float64Array.from(v, (a) => (normEstimate * a) / vn);
  const objective = robustObjectiveFromProducts(ctx.op.apply(z0, new Float64Array(m)), y);
  return { method, z0, objective, normEstimate, lambda1 };
}

/** Computes every requested candidate and keeps the one with the smallest robust objective. */
export function initialise(ctx: PhaseContext, opts: ResolvedInitOptions, rng: Rng): SpectralInitResult {
  const candidates = opts.methods.map((method) => initCandidate(ctx, method, opts, rng));
  let best = candidates[0];
  for (const c of candidates) if (c.objective < best.objective) best = c;
  return { ...best, candidates };
}

/**
 * Spectral-type initialisation z0 = scale·v. Methods (defaults from the reference codes):
 * - `spectral` (WF): v = top eigenvector of (1/m)Σ y_i a_i a_iᵀ, 50 power iterations, scale² = nΣy/Σ‖a_i‖²;
 * - `truncated` (TWF): keep |y_i| ≤ α_y²·mean(y), α_y = 3, scale² = mean(y);
 * - `median-truncated` (median-TWF): scale² = median(y)/0.455, keep y_i ≤ α_y²·scale²;
 * - `reshaped` (RWF): weights √y_i·1{√y_i > λ0}, λ0 = √(π/2)·mean √y, 30 power iterations;
 * - `robust-power`: power iteration whose mat-vec is a robust mean of y_i(a_iᵀv)a_i;
 * - `robust-matrix`: robust mean of vec(y_i a_i a_iᵀ), then its top eigenvector (O(m n²), n ≲ 64);
 * - `spectral-filter`: drops the 1.5η top-scoring samples on the top-2 eigenspace, then re-fits;
 * - `random`: a random direction.
 *
 * ```ts
 * const { z0, method } = spectralInit(A, y, { method: ['median-truncated', 'robust-power'], eta: 0.1 });
 * ```
 */
export function spectralInit(
  A: DesignLike,
  y: VectorLike,
  options: SpectralInitOptions = {},
): SpectralInitResult {
  const data = readPhaseData(A, y);
  const opts = resolveInitOptions(options, undefined, '');
  const seed = readSeed(options.seed ?? 0);
  const ctx = makeContext(data.A, data.y, options.products);
  try {
    return initialise(ctx, opts, new Rng(seed));
  } finally {
    ctx.op.dispose();
  }
}
