/**
 * Robust mean estimation of k samples in R^n: the aggregator that replaces the empirical mean of
 * the per-sample WF gradients (Prasad et al. 2018's robust-gradient template, used by Buna &
 * Rebeschini 2024 with "stable" mean estimators). Estimators: plain mean (baseline), coordinate-wise
 * median, coordinate-wise trimmed mean, median-of-means (coordinate-wise), geometric
 * median-of-means (Minsker 2015) and iterative filtering (Diakonikolas et al. 2016/2020 family).
 *
 * The hot path works on the transposed sample matrix Gᵀ (n × k, one coordinate's k values
 * contiguous) with O(k) selection (`quickselect` from @descent/tensor), never sorting.
 * @module
 */
import {
  Matrix,
  type MatrixLike,
  Rng,
  ValueError,
  blockOffsets,
  geometricMedian,
  quickselect,
  readSeed,
  option,
  resolveOptions,
  medianInPlace,
} from '@descent/tensor';
import { checkEta } from './inputs';

/** Names of the robust mean estimators. */
export type MeanEstimator = 'mean' | 'median' | 'trimmed' | 'mom' | 'gmom' | 'filter';

/** All estimator names. */
export const MEAN_ESTIMATORS: readonly MeanEstimator[] = [
  'mean',
  'median',
  'trimmed',
  'mom',
  'gmom',
  'filter',
];

/** Options of {@link robustMean}. */
export interface RobustMeanOptions {
  /** The estimator (default `'trimmed'`). */
  method?: MeanEstimator;
  /** Assumed contamination fraction η ∈ [0, 0.5) (default 0.05). */
  eta?: number;
  /** Failure probability δ (default 0.01); sets the number of MOM blocks. */
  delta?: number;
  /** Number of blocks for `mom`/`gmom` (default max(⌈8 ln(1/δ)⌉, ⌈4ηk⌉ + 1), capped at k). */
  blocks?: number;
  /** Trimmed fraction per side for `trimmed` (default η + 0.02, capped below 1/2). */
  trim?: number;
  /** Seed of the random block assignment (default 0): a number or a string. */
  seed?: number | string;
  /** Filter: stop when the top variance is ≤ κ·σ̂² (default 3). */
  kappa?: number;
  /** Filter: power iterations in the first round (default 10); later rounds warm-start and use min(3, this). */
  powerIters?: number;
  /** Filter: maximum number of filtering rounds (default 10). */
  maxRounds?: number;
}

/** Resolved options (internal). */
export interface ResolvedMeanOptions {
  method: MeanEstimator;
  eta: number;
  delta: number;
  blocks?: number;
  trim?: number;
  kappa: number;
  powerIters: number;
  maxRounds: number;
}

/** Schema of {@link RobustMeanOptions}. */
const MEAN_SCHEMA = {
  method: option.oneOf(MEAN_ESTIMATORS, { default: 'trimmed' }),
  eta: option.custom((v, name) => checkEta(v, name), { default: 0.05 }),
  delta: option.number({ gt: 0, lt: 1, default: 0.01 }),
  blocks: option.integer({ min: 1 }),
  trim: option.number({ min: 0, lt: 0.5 }),
  seed: option.seed(),
  kappa: option.number({ gt: 0, default: 3 }),
  powerIters: option.integer({ min: 1, default: 10 }),
  maxRounds: option.integer({ min: 1, default: 10 }),
};

/** Validates and fills defaults (an unknown option is a ValueError naming it). */
export function resolveMeanOptions(options: RobustMeanOptions = {}): ResolvedMeanOptions {
  const { seed: _seed, ...o } = resolveOptions(options, MEAN_SCHEMA, { name: 'robust mean options' });
  return o;
}

/** Number of MOM blocks for k samples: max(⌈8 ln(1/δ)⌉, ⌈4ηk⌉ + 1), capped at k. */
export function momBlocks(k: number, eta: number, delta: number, blocks?: number): number {
  const K = blocks ?? Math.max(Math.ceil(8 * Math.log(1 / delta)), Math.ceil(4 * eta * k) + 1);
  return Math.max(1, Math.min(k, K));
}

/**
 * Robust mean of the samples stored transposed: `Gt` is n × k row-major (row j = the k values of
 * coordinate j). `Gt` is used as scratch and reordered. `rng` draws the MOM block assignment.
 */
export function robustMeanTransposed(
  Gt: Float64Array,
  n: number,
  k: number,
  opts: ResolvedMeanOptions,
  rng: Rng,
): Float64Array {
  const out = new Float64Array(n);
  switch (opts.method) {
    case 'mean': {
      for (let j = 0; j < n; j++) {
        let s = 0;
        const o = j * k;
        for (let i = 0; i < k; i++) s += Gt[o + i];
        out[j] = s / k;
      }
      return out;
    }
    case 'median': {
      for (let j = 0; j < n; j++) out[j] = medianInPlace(Gt.subarray(j * k, (j + 1) * k));
      return out;
    }
    case 'trimmed': {
      const beta = Math.min(opts.trim ?? opts.eta + 0.02, 0.499);
      const g = Math.min(Math.floor(beta * k), Math.floor((k - 1) / 2));
      for (let j = 0; j < n; j++) {
        const o = j * k;
        if (g > 0) {
          quickselect(Gt, o + g, o, o + k - 1);
          quickselect(Gt, o + k - 1 - g, o + g, o + k - 1);
        }
        let s = 0;
        for (let i = o + g; i < o + k - g; i++) s += Gt[i];
        out[j] = s / (k - 2 * g);
      }
      return out;
    }
    case 'mom':
    case 'gmom': {
      const K = momBlocks(k, opts.eta, opts.delta, opts.blocks);
      const off = blockOffsets(k, K);
      const perm = rng.permutation(k);
      const means = new Matrix(K, n);
      for (let j = 0; j < n; j++) {
        const o = j * k;
        for (let b = 0; b < K; b++) {
          let s = 0;
          for (let t = off[b]; t < off[b + 1]; t++) s += Gt[o + perm[t]];
          means.data[b * n + j] = s / (off[b + 1] - off[b]);
        }
      }
      if (opts.method === 'gmom')
        return K === 1 ? Float64Array.from(means.data) : geometricMedian(means, { maxIter: 100, tol: 1e-10 });
      const col = new Float64Array(K);
      for (let j = 0; j < n; j++) {
        for (let b = 0; b < K; b++) col[b] = means.data[b * n + j];
        out[j] = medianInPlace(col);
      }
      return out;
    }
    case 'filter':
      return filterMeanTransposed(Gt, n, k, opts, rng);
  }
}

/**
 * Iterative filtering (the DKKLMS'16 / DKP'20 stability family; our heuristic stop rule, see the
 * README): weights w = 1; repeat { weighted mean μ_w, top eigenpair (λ, v) of the weighted
 * covariance by power iteration; σ̂² = median_i τ_i / 0.455 with τ_i = ⟨v, g_i − μ_w⟩²; stop if
 * λ ≤ κσ̂², the removed weight exceeds 2ηk or `maxRounds` is reached; else w_i ← w_i (1 − τ_i / max τ) }.
 */
export function filterMeanTransposed(
  Gt: Float64Array,
  n: number,
  k: number,
  opts: ResolvedMeanOptions,
  rng: Rng,
): Float64Array {
  const w = new Float64Array(k).fill(1);
  const mu = new Float64Array(n);
  const p = new Float64Array(k);
  const tau = new Float64Array(k);
  const scratch = new Float64Array(k);
  let v = rng.fold('filter-v').normalArray(n);
  const budget = 2 * opts.eta * k;
  for (let round = 0; round < opts.maxRounds; round++) {
    let W = 0;
    for (let i = 0; i < k; i++) W += w[i];
    for (let j = 0; j < n; j++) {
      let s = 0;
      const o = j * k;
      for (let i = 0; i < k; i++) s += w[i] * Gt[o + i];
      mu[j] = s / W;
    }
    if (k - W >= budget) break;
    // power iteration on Σ_w = Σ_i w_i (g_i − μ)(g_i − μ)ᵀ / W, warm-started
    let lambda = 0;
    const iters = round === 0 ? opts.powerIters : Math.min(opts.powerIters, 3);
    for (let it = 0; it < iters; it++) {
      p.fill(0);
      for (let j = 0; j < n; j++) {
        const o = j * k;
        const vj = v[j];
        const mj = mu[j];
        for (let i = 0; i < k; i++) p[i] += (Gt[o + i] - mj) * vj;
      }
      const nv = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        const o = j * k;
        const mj = mu[j];
        let s = 0;
        for (let i = 0; i < k; i++) s += w[i] * p[i] * (Gt[o + i] - mj);
        nv[j] = s / W;
      }
      let nn = 0;
      for (let j = 0; j < n; j++) nn += nv[j] * nv[j];
      nn = Math.sqrt(nn);
      if (nn === 0) break;
      lambda = nn;
      for (let j = 0; j < n; j++) nv[j] /= nn;
      v = nv;
    }
    // scores along v
    p.fill(0);
    for (let j = 0; j < n; j++) {
      const o = j * k;
      const vj = v[j];
      const mj = mu[j];
      for (let i = 0; i < k; i++) p[i] += (Gt[o + i] - mj) * vj;
    }
    let tmax = 0;
    let nk = 0;
    for (let i = 0; i < k; i++) {
      tau[i] = p[i] * p[i];
      if (w[i] > 0) {
        scratch[nk++] = tau[i];
        if (tau[i] > tmax) tmax = tau[i];
      }
    }
    const sigma2 = medianInPlace(scratch.subarray(0, nk)) / 0.455;
    if (lambda <= opts.kappa * sigma2 || tmax === 0) break;
    for (let i = 0; i < k; i++) w[i] *= 1 - tau[i] / tmax;
  }
  return Float64Array.from(mu);
}

/**
 * Robust mean of the rows of G (k samples × n coordinates).
 *
 * ```ts
 * const g = robustMean(G, { method: 'trimmed', eta: 0.1 });
 * ```
 */
export function robustMean(G: MatrixLike, options: RobustMeanOptions = {}): Float64Array {
  const M = Matrix.of(G, 'G');
  const { rows: k, cols: n, data } = M;
  if (k === 0 || n === 0)
    throw new ValueError(`G must have at least one row and one column, got ${k} × ${n}`, 'G');
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]))
      throw new ValueError(
        `G must contain only finite numbers, got ${data[i]} at row ${Math.floor(i / n)}`,
        'G',
      );
  }
  const opts = resolveMeanOptions(options);
  const Gt = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) Gt[j * k + i] = data[i * n + j];
  return robustMeanTransposed(Gt, n, k, opts, new Rng(readSeed(options.seed ?? 0)).fold('robustMean'));
}
