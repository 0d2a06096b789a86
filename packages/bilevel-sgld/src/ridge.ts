/**
 * Ridge regression with per-parameter (or one scalar) weight decay: the bilevel problem with
 * closed forms for every quantity (paper notes §5.2 item 3, DERIVED; checked here against finite
 * differences):
 *
 *   L_T(θ, λ) = ½‖Xθ − y‖² + ½ Σᵢ λᵢ θᵢ²,  A = XᵀX + diag(λ),  μ = A⁻¹Xᵀy
 *   L_V(θ)    = ½‖X_vθ − y_v‖²,             V = X_vᵀX_v,       c_v = Vμ − X_vᵀy_v
 *
 * - deterministic F(λ) = L_V(μ), ∇F = −μ ⊙ (A⁻¹c_v);
 * - Gibbs F_τ(λ) = E_{θ~N(μ, τA⁻¹)} L_V = L_V(μ) + (τ/2) tr(V A⁻¹);
 * - SGLD-discretised F_η: the chain's stationary law is N(μ, τM⁻¹), M = A − (η/2)A², so
 *   F_η = L_V(μ) + (τ/2) tr(V M⁻¹) and, with W = M⁻¹VM⁻¹,
 *   ∂F_η/∂λᵢ = −μᵢ(A⁻¹c_v)ᵢ − (τ/2)(Wᵢᵢ − η(WA)ᵢᵢ)   (η = 0 gives F_τ, τ = 0 the deterministic one);
 * - the mean of the covariance estimator E∇_λL_V − Cov(L_V, ∇_λL_T)/τ on exact stationary SGLD
 *   samples N(μ, Σ), Σ = τM⁻¹: −(1/τ)[½(ΣVΣ)ᵢᵢ + μᵢ(Σc_v)ᵢ] (= ∇F_τ when η → 0).
 * With `penalty: 'scalar'` (λ·I, p = 1) every hypergradient is the sum over i.
 * @module
 */
import {
  Matrix,
  Rng,
  type Seed,
  ValueError,
  cholesky,
  describe,
  gemm,
  inv,
  matTvec,
  matmul,
  matvec,
  option,
  readMatrix,
  readVector,
  resolveOptions,
} from '@descent/tensor';
import type { BilevelProblem } from './problem';

/** Data of a ridge bilevel problem (training and validation; test optional). */
export interface RidgeData {
  X: Matrix;
  y: Float64Array;
  Xval: Matrix;
  yval: Float64Array;
  Xtest?: Matrix;
  ytest?: Float64Array;
  /** The generating weights (synthetic data). */
  thetaTrue?: Float64Array;
}

/** Options of {@link ridgeData}. */
export interface RidgeDataOptions {
  /** d (default 10). */
  dim?: number;
  /** Training rows (default 100). */
  nTrain?: number;
  /** Validation rows (default 100). */
  nVal?: number;
  /** Test rows (default 1000). */
  nTest?: number;
  /** Label noise standard deviation (default 1). */
  noise?: number;
  /** Column scales go geometrically from 1 to `spread` (default 1: isotropic design). */
  spread?: number;
  /** Fraction of exactly-zero generating weights (default 0.5: per-parameter decay has something to find). */
  sparsity?: number;
  /** Seed (default 0). */
  seed?: Seed;
}

/**
 * Synthetic ridge data: Gaussian design with column scales 1…`spread`, generating weights N(0, 1)
 * with a `sparsity` fraction set to zero, labels with N(0, noise²) noise. Seeded.
 */
export function ridgeData(options: RidgeDataOptions = {}): RidgeData {
  const o = resolveOptions(options, {
    dim: option.integer({ min: 1, max: 2000, default: 10 }),
    nTrain: option.integer({ min: 1, max: 1e6, default: 100 }),
    nVal: option.integer({ min: 1, max: 1e6, default: 100 }),
    nTest: option.integer({ min: 1, max: 1e6, default: 1000 }),
    noise: option.number({ min: 0, default: 1 }),
    spread: option.number({ gt: 0, default: 1 }),
    sparsity: option.number({ min: 0, max: 1, default: 0.5 }),
    seed: option.seed(),
  });
  const rng = new Rng(o.seed);
  const d = o.dim;
  const scales = Float64Array.from({ length: d }, (_, j) => (d === 1 ? 1 : o.spread ** (j / (d - 1))));
  const thetaTrue = rng.fold('theta').normalArray(d);
  const zero = rng.fold('sparsity').permutation(d);
  for (let k = 0; k < Math.round(o.sparsity * d); k++) thetaTrue[zero[k]] = 0;
  const make = (n: number, key: string): [Matrix, Float64Array] => {
    const r = rng.fold(key);
    const X = new Matrix(n, d, r.normalArray(n * d));
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X.data[i * d + j] *= scales[j];
    const y = matvec(X, thetaTrue);
    const e = r.fold('noise').normalArray(n);
    for (let i = 0; i < n; i++) y[i] += o.noise * e[i];
    return [X, y];
  };
  const [X, y] = make(o.nTrain, 'train');
  const [Xval, yval] = make(o.nVal, 'val');
  const [Xtest, ytest] = make(o.nTest, 'test');
  return { X, y, Xval, yval, Xtest, ytest, thetaTrue };
}

/** Which objective an oracle refers to: deterministic (τ = 0), Gibbs (τ > 0, η = 0) or SGLD-discretised (τ, η > 0). */
export interface RidgeTarget {
  /** τ (default 0: deterministic). */
  temperature?: number;
  /** η of the SGLD chain (default 0: the exact Gibbs law). */
  learningRate?: number;
}

/** Hyperparameter layout: one decay per parameter (p = d) or one scalar decay (p = 1). */
export type RidgePenalty = 'perParameter' | 'scalar';

/** A ridge {@link BilevelProblem} with its exact oracles. */
export interface RidgeProblem extends BilevelProblem {
  /** ∇_θ L_T at K chains' θ by one matrix product (the batched oracle of lockstep chains; with `batchChains`). */
  innerGradients?(thetas: ArrayLike<number>[], lambda: ArrayLike<number>): Float64Array[];
  readonly penalty: RidgePenalty;
  /** The data (read and copied). */
  readonly data: RidgeData;
  innerGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): Float64Array;
  innerHyperGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): Float64Array;
  outerValue(theta: ArrayLike<number>, lambda: ArrayLike<number>): number;
  outerGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): Float64Array;
  /** 0: λ is a pure regulariser. */
  outerHyperGradient(theta: ArrayLike<number>, lambda: ArrayLike<number>): Float64Array;
  /** A v (exact). */
  innerHvp(theta: ArrayLike<number>, lambda: ArrayLike<number>, v: ArrayLike<number>): Float64Array;
  /** Bᵀv = θ ⊙ v (per parameter) or θ·v (scalar). */
  innerMixedVjp(theta: ArrayLike<number>, lambda: ArrayLike<number>, v: ArrayLike<number>): Float64Array;
  /** B u = θ ⊙ u (per parameter) or θ·u₀ (scalar). */
  innerMixedJvp(theta: ArrayLike<number>, lambda: ArrayLike<number>, u: ArrayLike<number>): Float64Array;
  /** A = XᵀX + diag(λ). */
  hessian(lambda: ArrayLike<number>): Matrix;
  /** μ(λ) = A⁻¹Xᵀy (the inner minimiser and the mean of every stationary law). */
  innerMinimizer(lambda: ArrayLike<number>): Float64Array;
  /** Stationary covariance τ(A − ηA²/2)⁻¹ of the target (row-major d×d). */
  stationaryCovariance(lambda: ArrayLike<number>, target: RidgeTarget): Float64Array;
  /** F(λ), F_τ(λ) or F_η(λ) by `target`. */
  objective(lambda: ArrayLike<number>, target?: RidgeTarget): number;
  /** ∇F, ∇F_τ or ∇F_η by `target` (closed form). */
  hypergradient(lambda: ArrayLike<number>, target?: RidgeTarget): Float64Array;
  /** Mean of the covariance estimator on exact stationary samples of `target` (needs τ > 0). */
  covarianceEstimatorMean(lambda: ArrayLike<number>, target: RidgeTarget): Float64Array;
  /** ½‖X_test θ − y_test‖² / n_test (the test mean squared error / 2); needs test data. */
  testLoss(theta: ArrayLike<number>): number;
  /** ½ Σ (X θ − y)² + ½ Σ λᵢθᵢ² (inner loss value). */
  innerValue(theta: ArrayLike<number>, lambda: ArrayLike<number>): number;
}

/** Options of {@link ridgeProblem}. */
export interface RidgeProblemOptions {
  /** `'perParameter'` (default, p = d) or `'scalar'` (p = 1). */
  penalty?: RidgePenalty;
  /**
   * Give the problem the batched oracle `innerGradients` (K chains' gradients by one gemm; lockstep
   * SGLD chains then make one call per step). Opt-in, default false: NOT a measured win — d = 50,
   * K = 16 measured 1.13–1.59× in a loaded run but 0.88–0.93× in a quiet one (README, "Batched
   * chains"); and a copy `{ ...problem, innerGradient }` that overrides the gradient would keep the
   * old batched oracle. Estimates are identical either way.
   */
  batchChains?: boolean;
}

/** out = M x for a d×d row-major matrix (the oracles' hot loop; no checks). */
function symv(M: Matrix, x: Float64Array, out = new Float64Array(M.rows)): Float64Array {
  const n = M.cols;
  const a = M.data;
  for (let i = 0; i < M.rows; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

interface Solved {
  A: Matrix;
  mu: Float64Array;
  Ainv: Matrix;
  cv: Float64Array;
}

/**
 * The ridge bilevel problem on `data` (matrices read and validated; copied) with exact
 * first- and second-order oracles and the closed-form objectives and hypergradients.
 */
export function ridgeProblem(data: RidgeData, options: RidgeProblemOptions = {}): RidgeProblem {
  const o = resolveOptions(options, {
    penalty: option.oneOf(['perParameter', 'scalar'], { default: 'perParameter' }),
    batchChains: option.boolean({ default: false }),
  });
  if (data === null || typeof data !== 'object') throw new ValueError('data must be a RidgeData object { X, y, Xval, yval }', 'data');
  const X = readMatrix(data.X, 'data.X');
  const d = X.cols;
  const y = readVector(data.y, 'data.y', { length: X.rows, copy: true });
  const Xval = readMatrix(data.Xval, 'data.Xval', { cols: d });
  const yval = readVector(data.yval, 'data.yval', { length: Xval.rows, copy: true });
  const Xtest = data.Xtest === undefined ? undefined : readMatrix(data.Xtest, 'data.Xtest', { cols: d });
  const ytest =
    Xtest === undefined ? undefined : readVector(data.ytest, 'data.ytest', { length: Xtest.rows, copy: true });
  const thetaTrue = data.thetaTrue === undefined ? undefined : readVector(data.thetaTrue, 'data.thetaTrue', { length: d, copy: true });
  const G = matmul(X.transpose(), X);
  const b = matTvec(X, y);
  const V = matmul(Xval.transpose(), Xval);
  const cval = matTvec(Xval, yval);
  const yvv = yval.reduce((acc, v) => acc + v * v, 0);
  const scalar = o.penalty === 'scalar';
  const p = scalar ? 1 : d;
  const lam = (lambda: ArrayLike<number>) => readVector(lambda, 'lambda', { length: p });
  const th = (theta: ArrayLike<number>) => readVector(theta, 'theta', { length: d });
  const decay = (l: Float64Array, i: number) => (scalar ? l[0] : l[i]);
  const solve = (lambda: ArrayLike<number>): Solved => {
    const l = lam(lambda);
    const A = new Matrix(d, d, Float64Array.from(G.data));
    for (let i = 0; i < d; i++) A.data[i * d + i] += decay(l, i);
    try {
      cholesky(A);
    } catch {
      throw new ValueError('lambda must make XᵀX + diag(lambda) positive definite', 'lambda');
    }
    const Ainv = inv(A);
    const mu = matvec(Ainv, b);
    const cv = matvec(V, mu);
    for (let i = 0; i < d; i++) cv[i] -= cval[i];
    return { A, mu, Ainv, cv };
  };
  const readTarget = (target: unknown, needTau: boolean) => {
    const t = resolveOptions(target, {
      temperature: option.number({ min: 0, default: 0 }),
      learningRate: option.number({ min: 0, default: 0 }),
    }, { name: 'target' });
    if (needTau && t.temperature === 0) throw new ValueError('target.temperature must be > 0 here, got 0', 'target.temperature');
    return t;
  };
  /** M⁻¹ for M = A − (η/2)A² (checked positive definite). */
  const mInverse = (s: Solved, eta: number): Matrix => {
    if (eta === 0) return s.Ainv;
    const A2 = matmul(s.A, s.A);
    const M = new Matrix(d, d);
    for (let k = 0; k < d * d; k++) M.data[k] = s.A.data[k] - 0.5 * eta * A2.data[k];
    try {
      cholesky(M);
    } catch {
      throw new ValueError(
        'target.learningRate must satisfy learningRate·λmax(A) < 2 (the SGLD chain is unstable otherwise)',
        'target.learningRate',
      );
    }
    return inv(M);
  };
  const reduce = (g: Float64Array) => (scalar ? Float64Array.of(g.reduce((a, v) => a + v, 0)) : g);
  const outerAt = (theta: Float64Array) => {
    const r = matvec(Xval, theta);
    let s = 0;
    for (let i = 0; i < r.length; i++) s += (r[i] - yval[i]) ** 2;
    return 0.5 * s;
  };
  const problem: RidgeProblem = {
    dim: d,
    hyperDim: p,
    penalty: o.penalty,
    data: { X, y, Xval, yval, Xtest, ytest, thetaTrue },
    innerGradient(theta, lambda) {
      const t = th(theta);
      const l = lam(lambda);
      const g = symv(G, t);
      for (let i = 0; i < d; i++) g[i] += decay(l, i) * t[i] - b[i];
      return g;
    },
    innerGradients: !o.batchChains ? undefined : (thetas, lambda) => {
      // K chains at once: Θ G (K×d times d×d, one gemm; G symmetric) + λ ⊙ θ − b per row
      if (!Array.isArray(thetas)) throw new ValueError(`thetas must be an array of vectors, got ${describe(thetas)}`, 'thetas');
      const K = thetas.length;
      const l = lam(lambda);
      const T = new Float64Array(K * d);
      for (const [k, t] of thetas.entries()) T.set(readVector(t, `thetas[${k}]`, { length: d }), k * d);
      const C = new Float64Array(K * d);
      if (K > 0) gemm(false, false, K, d, d, 1, T, d, G.data, d, 0, C, d);
      return thetas.map((_, k) => {
        const g = C.subarray(k * d, (k + 1) * d);
        for (let i = 0; i < d; i++) g[i] += decay(l, i) * T[k * d + i] - b[i];
        return g;
      });
    },
    innerHyperGradient(theta, lambda) {
      const t = th(theta);
      lam(lambda);
      return reduce(t.map((v) => 0.5 * v * v));
    },
    outerValue(theta, lambda) {
      lam(lambda);
      // ½θᵀVθ − c_vᵀθ + ½‖y_v‖² (d² work instead of n_val·d; ≥ 0 up to rounding)
      const t = th(theta);
      const Vt = symv(V, t);
      let s = yvv;
      for (let i = 0; i < d; i++) s += t[i] * (Vt[i] - 2 * cval[i]);
      return Math.max(0, 0.5 * s);
    },
    outerGradient(theta, lambda) {
      lam(lambda);
      const g = symv(V, th(theta));
      for (let i = 0; i < d; i++) g[i] -= cval[i];
      return g;
    },
    outerHyperGradient(theta, lambda) {
      th(theta);
      lam(lambda);
      return new Float64Array(p);
    },
    innerHvp(theta, lambda, v) {
      th(theta);
      const l = lam(lambda);
      const w = readVector(v, 'v', { length: d });
      const out = symv(G, w);
      for (let i = 0; i < d; i++) out[i] += decay(l, i) * w[i];
      return out;
    },
    innerMixedVjp(theta, lambda, v) {
      const t = th(theta);
      lam(lambda);
      const w = readVector(v, 'v', { length: d });
      return reduce(t.map((ti, i) => ti * w[i]));
    },
    innerMixedJvp(theta, lambda, u) {
      const t = th(theta);
      lam(lambda);
      const w = readVector(u, 'u', { length: p });
      return t.map((ti, i) => ti * (scalar ? w[0] : w[i]));
    },
    innerValue(theta, lambda) {
      const t = th(theta);
      const l = lam(lambda);
      const r = matvec(X, t);
      let s = 0;
      for (let i = 0; i < r.length; i++) s += (r[i] - y[i]) ** 2;
      for (let i = 0; i < d; i++) s += decay(l, i) * t[i] * t[i];
      return 0.5 * s;
    },
    hessian: (lambda) => solve(lambda).A,
    innerMinimizer: (lambda) => solve(lambda).mu,
    stationaryCovariance(lambda, target) {
      const t = readTarget(target, false);
      const s = solve(lambda);
      const Minv = mInverse(s, t.learningRate);
      return Minv.data.map((v) => t.temperature * v);
    },
    objective(lambda, target = {}) {
      const t = readTarget(target, false);
      const s = solve(lambda);
      let f = outerAt(s.mu);
      if (t.temperature > 0) {
        const Minv = mInverse(s, t.learningRate);
        let tr = 0;
        for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) tr += V.data[i * d + k] * Minv.data[k * d + i];
        f += 0.5 * t.temperature * tr;
      }
      return f;
    },
    hypergradient(lambda, target = {}) {
      const t = readTarget(target, false);
      const s = solve(lambda);
      const z = matvec(s.Ainv, s.cv);
      const g = s.mu.map((m, i) => -m * z[i]);
      if (t.temperature > 0) {
        const Minv = mInverse(s, t.learningRate);
        const W = matmul(matmul(Minv, V), Minv);
        const WA = matmul(W, s.A);
        for (let i = 0; i < d; i++) {
          g[i] -= 0.5 * t.temperature * (W.data[i * d + i] - t.learningRate * WA.data[i * d + i]);
        }
      }
      return reduce(g);
    },
    covarianceEstimatorMean(lambda, target) {
      const t = readTarget(target, true);
      const s = solve(lambda);
      const Minv = mInverse(s, t.learningRate);
      const tau = t.temperature;
      // Σ = τM⁻¹: −(1/τ)[½(ΣVΣ)ᵢᵢ + μᵢ(Σc_v)ᵢ] = −(τ/2)(M⁻¹VM⁻¹)ᵢᵢ − μᵢ(M⁻¹c_v)ᵢ
      const W = matmul(matmul(Minv, V), Minv);
      const z = matvec(Minv, s.cv);
      return reduce(s.mu.map((m, i) => -0.5 * tau * W.data[i * d + i] - m * z[i]));
    },
    testLoss(theta) {
      const t = th(theta);
      if (Xtest === undefined || ytest === undefined) throw new ValueError('testLoss needs data.Xtest and data.ytest', 'theta');
      const r = matvec(Xtest, t);
      let s = 0;
      for (let i = 0; i < r.length; i++) s += (r[i] - ytest[i]) ** 2;
      return (0.5 * s) / r.length;
    },
  };
  return problem;
}
