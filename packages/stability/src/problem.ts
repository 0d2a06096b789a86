/**
 * The problem class of the rate experiments: regularised linear-prediction losses
 *
 *   f(w; z) = φ(⟨w, x⟩, y) + (λ/2)‖w − c‖²,        z = (x, y),
 *
 * with a convex, smooth φ. Every f(·; z) is λ-strongly convex (μ = λ) and
 * (sup φ''·‖x‖² + λ)-smooth, the setting of Zhu et al.'s ERM/PGD/SGD theorems. A problem knows
 * its population risk F(w) = E f(w; z) exactly (closed form or accurate quadrature), its
 * minimiser w* and the optimal risk F(w*), so the excess risk F(w) − F(w*) of a trained w is
 * exact, not a held-out estimate.
 *
 * Data sets are row-major Float64Array designs: `X[i·d + j]` is coordinate j of sample i.
 * @module
 */
import {
  Matrix,
  type Rng,
  ShapeError,
  ValueError,
  assertAllFinite,
  assertInteger,
  describe,
  eigh,
  readBuffer,
  readNumber,
  readVector,
} from '@descent/tensor';

/** n samples (x_i, y_i): `X` is n×d row-major, `y` has length n. */
export interface Dataset {
  /** Number of samples. */
  readonly n: number;
  /** Dimension of x. */
  readonly d: number;
  /** Inputs, row-major n×d. */
  readonly X: Float64Array;
  /** Targets (regression values, or ±1 labels). */
  readonly y: Float64Array;
}

/**
 * A regularised linear-prediction problem with exact population quantities. Implemented by
 * {@link LeastSquaresProblem} and {@link LogisticProblem}.
 */
export interface RiskProblem {
  /** Short name for tables, e.g. `"least squares"`. */
  readonly name: string;
  /** Dimension d. */
  readonly d: number;
  /** Regularisation λ = strong-convexity constant μ of every f(·; z). */
  readonly lambda: number;
  /** Regularisation centre c. */
  readonly center: Float64Array;
  /** The population minimiser w* = argmin F. */
  readonly minimizer: Float64Array;
  /** The optimal risk F(w*) (the paper's "F(w*) = O(1/n)" condition is about this number). */
  readonly optimalRisk: number;
  /** sup over u, y of ∂²φ/∂u² (1 for squared loss, 1/4 for logistic loss). */
  readonly curvatureBound: number;
  /** φ(u, y): the loss of prediction u = ⟨w, x⟩ on target y. */
  phi(u: number, y: number): number;
  /** ∂φ/∂u. */
  dphi(u: number, y: number): number;
  /** ∂²φ/∂u². */
  d2phi(u: number, y: number): number;
  /** n fresh samples from the distribution, drawn from `rng`. */
  sample(n: number, rng: Rng): Dataset;
  /** F(w) = E f(w; z), exact. */
  populationRisk(w: ArrayLike<number>): number;
  /** ∇F(w), exact. */
  populationGradient(w: ArrayLike<number>): Float64Array;
  /** F(w) − F(w*), computed without cancellation where a closed form allows it. */
  excessRisk(w: ArrayLike<number>): number;
}

/**
 * A problem per sample size: how the distribution changes with n (e.g. label noise ∝ 1/n), the
 * object of the paper's rate statements. See {@link leastSquaresFamily}, {@link logisticFamily}.
 */
export interface ProblemFamily {
  /** Label for tables and plots, e.g. `"least squares, σ² = 1/n"`. */
  readonly name: string;
  /** The problem at sample size n. */
  problem(n: number): RiskProblem;
}

/** Checks that `data` is a {@link Dataset} of dimension `d` with finite entries; returns it. */
export function readDataset(data: unknown, d: number, name = 'data'): Dataset {
  if (typeof name !== 'string' || name.length === 0)
    throw new ValueError(`name must be a non-empty string, got ${describe(name)}`, 'name');
  assertInteger('d', d, 1);
  if (data === null || typeof data !== 'object') {
    throw new ValueError(`${name} must be a Dataset {n, d, X, y}, got ${describe(data)}`, name);
  }
  const { n, X, y } = data as Partial<Dataset>;
  assertInteger(`${name}.n`, n, 1);
  if (!(X instanceof Float64Array)) {
    throw new ValueError(`${name}.X must be a Float64Array (row-major n×d), got ${describe(X)}`, `${name}.X`);
  }
  if (!(y instanceof Float64Array)) {
    throw new ValueError(`${name}.y must be a Float64Array, got ${describe(y)}`, `${name}.y`);
  }
  if ((data as Dataset).d !== d) {
    throw new ShapeError(
      `${name}.d must be ${d} (the problem's dimension), got ${describe((data as Dataset).d)}`,
      `${name}.d`,
    );
  }
  if (X.length !== n * d) {
    throw new ShapeError(`${name}.X must have length n·d = ${n * d}, got length ${X.length}`, `${name}.X`);
  }
  if (y.length !== n)
    throw new ShapeError(`${name}.y must have length n = ${n}, got length ${y.length}`, `${name}.y`);
  assertAllFinite(`${name}.X`, X);
  assertAllFinite(`${name}.y`, y);
  return data as Dataset;
}

/** Checks that `w` is a finite vector of length d; returns it as a Float64Array (not copied if it is one). */
export function readWeights(w: unknown, d: number, name = 'w'): Float64Array {
  return readVector(w, name, { length: d });
}

const PROBLEM_METHODS = ['phi', 'dphi', 'd2phi', 'sample', 'populationRisk', 'excessRisk'] as const;

/**
 * Checks that `problem` is a {@link RiskProblem}: an integer dimension d ≥ 1, λ ≥ 0 and a
 * curvature bound ≥ 0 (finite), a centre of length d and the loss methods; returns it.
 */
export function readProblem(problem: unknown, name = 'problem'): RiskProblem {
  if (problem === null || typeof problem !== 'object') {
    throw new ValueError(`${name} must be a RiskProblem (e.g. a LeastSquaresProblem), got ${describe(problem)}`, name);
  }
  const p = problem as Partial<RiskProblem>;
  for (const m of PROBLEM_METHODS) {
    if (typeof p[m] !== 'function') {
      throw new ValueError(`${name}.${m} must be a function (a RiskProblem), got ${describe(p[m])}`, name);
    }
  }
  assertInteger(`${name}.d`, p.d, 1);
  readNumber(p.lambda, `${name}.lambda`, { min: 0 });
  readNumber(p.curvatureBound, `${name}.curvatureBound`, { min: 0 });
  readVector(p.center, `${name}.center`, { length: p.d });
  return problem as RiskProblem;
}

/** Checks that `rng` is an `Rng` of `@descent/tensor` (duck-typed: works across ESM/CJS copies). */
export function readRng(rng: unknown, name = 'rng'): Rng {
  const r = rng as Partial<Rng> | null;
  if (
    r === null ||
    typeof r !== 'object' ||
    typeof r.normal !== 'function' ||
    typeof r.uniform !== 'function' ||
    typeof r.nextUint32 !== 'function'
  ) {
    throw new ValueError(`${name} must be an Rng from @descent/tensor, got ${describe(rng)}`, name);
  }
  return rng as Rng;
}

/** Throws a {@link ValueError} naming `name` unless `value` is a finite number (cheap: hot paths). */
export function checkScalar(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${name} must be a finite number, got ${describe(value)}`, name);
  }
}

/** The same data set with sample i replaced by sample j of `other` (the S^(i) of uniform stability). */
export function replaceSample(data: Dataset, i: number, other: Dataset, j = 0): Dataset {
  if (data === null || typeof data !== 'object')
    throw new ValueError(`data must be a Dataset {n, d, X, y}, got ${describe(data)}`, 'data');
  readDataset(data, data.d);
  if (other === null || typeof other !== 'object')
    throw new ValueError(`other must be a Dataset {n, d, X, y}, got ${describe(other)}`, 'other');
  readDataset(other, data.d, 'other');
  return replaceSampleUnchecked(data, i, other, j);
}

/** {@link replaceSample} after the data sets were read (checks only the indices). */
export function replaceSampleUnchecked(data: Dataset, i: number, other: Dataset, j = 0): Dataset {
  assertInteger('i', i, 0, data.n - 1);
  assertInteger('j', j, 0, other.n - 1);
  if (other.d !== data.d) throw new ShapeError(`other.d must be ${data.d}, got ${other.d}`, 'other');
  const X = data.X.slice();
  const y = data.y.slice();
  const d = data.d;
  X.set(other.X.subarray(j * d, (j + 1) * d), i * d);
  y[i] = other.y[j];
  return { n: data.n, d, X, y };
}

/** ⟨w, x_i⟩: the prediction on row i. */
export function predictRow(X: Float64Array, i: number, w: Float64Array): number {
  const d = w.length;
  const o = i * d;
  let s = 0;
  for (let j = 0; j < d; j++) s += X[o + j] * w[j];
  return s;
}

/** (λ/2)‖w − c‖². */
export function regularizer(w: ArrayLike<number>, center: Float64Array, lambda: number): number {
  let s = 0;
  for (let j = 0; j < center.length; j++) {
    const t = w[j] - center[j];
    s += t * t;
  }
  return 0.5 * lambda * s;
}

/** Reads the (problem, w, x, y) arguments of the one-sample functions. */
function readSampleArgs(
  problem: unknown,
  w: unknown,
  x: unknown,
  y: unknown,
): { p: RiskProblem; wv: Float64Array; xv: Float64Array } {
  const p = readProblem(problem);
  const wv = readWeights(w, p.d);
  const xv = readVector(x, 'x', { length: p.d });
  checkScalar(y, 'y');
  return { p, wv, xv };
}

/** The loss of one sample, f(w; x, y) = φ(⟨w, x⟩, y) + (λ/2)‖w − c‖². */
export function sampleLoss(
  problem: RiskProblem,
  w: ArrayLike<number>,
  x: ArrayLike<number>,
  y: number,
): number {
  const { p, wv, xv } = readSampleArgs(problem, w, x, y);
  let u = 0;
  for (let j = 0; j < p.d; j++) u += wv[j] * xv[j];
  return p.phi(u, y) + regularizer(wv, p.center, p.lambda);
}

/** ∇f(w; x, y) = φ'(⟨w, x⟩, y)·x + λ(w − c), written into `out` (allocated when omitted). */
export function sampleGradient(
  problem: RiskProblem,
  w: ArrayLike<number>,
  x: ArrayLike<number>,
  y: number,
  out?: Float64Array,
): Float64Array {
  const { p, wv, xv } = readSampleArgs(problem, w, x, y);
  const res = readOut(out, p.d);
  return sampleGradientUnchecked(p, wv, xv, y, res);
}

/** {@link sampleGradient} without argument checks (hot loops). */
export function sampleGradientUnchecked(
  problem: RiskProblem,
  w: ArrayLike<number>,
  x: ArrayLike<number>,
  y: number,
  out: Float64Array,
): Float64Array {
  const d = problem.d;
  let u = 0;
  for (let j = 0; j < d; j++) u += w[j] * x[j];
  const g = problem.dphi(u, y);
  const c = problem.center;
  const lam = problem.lambda;
  for (let j = 0; j < d; j++) out[j] = g * x[j] + lam * (w[j] - c[j]);
  return out;
}

/** An optional output buffer: a Float64Array of length d (allocated when undefined). */
function readOut(out: unknown, d: number): Float64Array {
  return out === undefined ? new Float64Array(d) : readBuffer(out, 'out', { length: d, lengthName: 'd', finite: false });
}

/** Reads the (problem, data) arguments. */
function readRiskArgs(problem: unknown, data: unknown): { p: RiskProblem; S: Dataset } {
  const p = readProblem(problem);
  return { p, S: readDataset(data, p.d) };
}

/** The empirical risk F_S(w) = (1/n) Σ f(w; z_i). */
export function empiricalRisk(problem: RiskProblem, data: Dataset, w: Float64Array): number {
  const { p, S } = readRiskArgs(problem, data);
  return empiricalRiskUnchecked(p, S, readWeights(w, p.d));
}

/** {@link empiricalRisk} without argument checks (hot loops). */
export function empiricalRiskUnchecked(problem: RiskProblem, data: Dataset, w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < data.n; i++) s += problem.phi(predictRow(data.X, i, w), data.y[i]);
  return s / data.n + regularizer(w, problem.center, problem.lambda);
}

/** ∇F_S(w), written into `out` (allocated when omitted). */
export function empiricalGradient(
  problem: RiskProblem,
  data: Dataset,
  w: Float64Array,
  out?: Float64Array,
): Float64Array {
  const { p, S } = readRiskArgs(problem, data);
  const wv = readWeights(w, p.d);
  return empiricalGradientUnchecked(p, S, wv, readOut(out, p.d));
}

/** {@link empiricalGradient} without argument checks (hot loops). */
export function empiricalGradientUnchecked(
  problem: RiskProblem,
  data: Dataset,
  w: Float64Array,
  out: Float64Array,
): Float64Array {
  const { n, d, X, y } = data;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const g = problem.dphi(predictRow(X, i, w), y[i]);
    const o = i * d;
    for (let j = 0; j < d; j++) out[j] += g * X[o + j];
  }
  const c = problem.center;
  for (let j = 0; j < d; j++) out[j] = out[j] / n + problem.lambda * (w[j] - c[j]);
  return out;
}

/** ∇²F_S(w) = (1/n) Σ φ''(⟨w, x_i⟩, y_i) x_i x_iᵀ + λI, a d×d row-major Float64Array. */
export function empiricalHessian(problem: RiskProblem, data: Dataset, w: Float64Array): Float64Array {
  const { p, S } = readRiskArgs(problem, data);
  return empiricalHessianUnchecked(p, S, readWeights(w, p.d));
}

/** {@link empiricalHessian} without argument checks (hot loops). */
export function empiricalHessianUnchecked(problem: RiskProblem, data: Dataset, w: Float64Array): Float64Array {
  const { n, d, X, y } = data;
  const H = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const h = problem.d2phi(predictRow(X, i, w), y[i]);
    if (h === 0) continue;
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const ha = h * X[o + a];
      for (let b = 0; b <= a; b++) H[a * d + b] += ha * X[o + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = H[a * d + b] / n;
      H[a * d + b] = v;
      H[b * d + a] = v;
    }
    H[a * d + a] += problem.lambda;
  }
  return H;
}

/**
 * The smoothness constant L_S = sup φ'' · λ_max((1/n) XᵀX) + λ of the empirical risk F_S (an
 * upper bound on the largest eigenvalue of every ∇²F_S(w)); λ_max by a symmetric eigensolver.
 */
export function empiricalSmoothness(problem: RiskProblem, data: Dataset): number {
  const { p, S } = readRiskArgs(problem, data);
  const { n, d, X } = S;
  const M = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let a = 0; a < d; a++) {
      const xa = X[o + a];
      for (let b = 0; b <= a; b++) M[a * d + b] += xa * X[o + b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      M[a * d + b] /= n;
      M[b * d + a] = M[a * d + b];
    }
  }
  const { values } = eigh(new Matrix(d, d, M), { vectors: false });
  return p.curvatureBound * Math.max(0, values[d - 1]) + p.lambda;
}

/** max_i sup φ''·‖x_i‖² + λ: the largest smoothness constant of a single f(·; z_i). */
export function maxSampleSmoothness(problem: RiskProblem, data: Dataset): number {
  const { p, S } = readRiskArgs(problem, data);
  const { n, d, X } = S;
  let m = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += X[i * d + j] * X[i * d + j];
    if (s > m) m = s;
  }
  return p.curvatureBound * m + p.lambda;
}
