/**
 * One serialisable kernel spec for every package: a kernel as plain data (`{ type: 'rbf',
 * bandwidth: 1 }`), validated once, with float64 evaluators on typed arrays (flat row-major
 * point sets, as the streaming learners keep them) and a bridge to the {@link Kernel} objects
 * (`rbf`, `imq`) that also evaluate on tensors.
 *
 * The Gaussian kernel has one parametrisation everywhere: k(x, y) = exp(−‖x − y‖²/(2h²)) with
 * h = `bandwidth` (a length scale; what other libraries call σ, `std` or `kernel_std`).
 * @module
 */
import { ShapeError, ValueError, checkName, describe } from './errors';
import { readVector } from './input/readVector';
import { readOptions } from './options/read';
import { type Kernel, imq, medianHeuristic, rbf } from './kernels';
import { readInteger, readNumber } from './options/read';
import { readMatrix } from './input/readMatrix';

/** The Gaussian (RBF) kernel exp(−‖x − y‖²/(2h²)); `bandwidth: 'median'` picks h by the SVGD median heuristic over the current points. */
export interface RbfKernelSpec {
  type: 'rbf';
  /** h > 0, or `'median'` (h² = ½·med‖xᵢ − xⱼ‖²/ln(n + 1) over the points of each call; h = 1 for one point). */
  bandwidth: number | 'median';
}

/** The inverse multiquadric (c² + ‖x − y‖²)^β. */
export interface ImqKernelSpec {
  type: 'imq';
  /** c > 0 (default 1). */
  c?: number;
  /** β < 0 (default −1/2). */
  beta?: number;
}

/** The linear kernel xᵀy. */
export interface LinearKernelSpec {
  type: 'linear';
}

/** The polynomial kernel (γ xᵀy + c₀)^degree. */
export interface PolynomialKernelSpec {
  type: 'polynomial';
  /** Integer degree ≥ 1. */
  degree: number;
  /** γ > 0 (default 1). */
  gamma?: number;
  /** c₀ (default 1). */
  coef0?: number;
}

/** A kernel as plain, serialisable data. */
export type KernelSpec = RbfKernelSpec | ImqKernelSpec | LinearKernelSpec | PolynomialKernelSpec;

/** The kernel types. */
export type KernelType = KernelSpec['type'];

/** A spec with every parameter explicit and numeric (what the evaluators take). */
export type ResolvedKernelSpec =
  | { type: 'rbf'; bandwidth: number }
  | { type: 'imq'; c: number; beta: number }
  | { type: 'linear' }
  | { type: 'polynomial'; degree: number; gamma: number; coef0: number };

const ALL_TYPES: readonly KernelType[] = ['rbf', 'imq', 'linear', 'polynomial'];

/** Options of {@link readKernelSpec}. */
export interface ReadKernelSpecOptions {
  /** The kernel types the caller supports (default all). */
  types?: readonly KernelType[];
  /** Accept `bandwidth: 'median'` (default true). */
  allowMedian?: boolean;
}

/**
 * Validates a kernel spec argument, filling defaults (`imq`: c = 1, β = −1/2; `polynomial`:
 * γ = 1, c₀ = 1). Wrong values are {@link ValueError}s naming the field (`kernel.bandwidth must be
 * > 0, got -1`); the old parametrisations (`{ type: 'gaussian', sigma }`, `{ std }`) are rejected
 * with the new spelling.
 *
 * ```ts
 * readKernelSpec({ type: 'rbf', bandwidth: 0.5 }, 'kernel'); // { type: 'rbf', bandwidth: 0.5 }
 * ```
 */
export function readKernelSpec(
  value: unknown,
  name = 'kernel',
  options: ReadKernelSpecOptions = {},
): KernelSpec {
  checkName(name);
  readOptions(options);
  const types = options.types ?? ALL_TYPES;
  if (!Array.isArray(types) || types.length === 0 || types.some((t) => !ALL_TYPES.includes(t))) {
    throw new ValueError(
      `options.types must be a non-empty list of ${ALL_TYPES.join(', ')}, got ${describe(types)}`,
      'options.types',
    );
  }
  const allowed = types.map((t) => `'${t}'`).join(', ');
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ValueError(
      `${name} must be a kernel spec { type: ${allowed}, ... }, got ${describe(value)}`,
      name,
    );
  }
  const v = value as Record<string, unknown>;
  if (v.type === 'gaussian' || 'sigma' in v || 'std' in v) {
    const h = v.sigma ?? v.std;
    throw new ValueError(
      `${name}: the Gaussian kernel is { type: 'rbf', bandwidth: h } (k = exp(−‖x−y‖²/(2h²)), h the old sigma/std), got ${JSON.stringify(v)}${typeof h === 'number' ? `; pass { type: 'rbf', bandwidth: ${h} }` : ''}`,
      name,
    );
  }
  if (typeof v.type !== 'string' || !(types as readonly string[]).includes(v.type)) {
    throw new ValueError(`${name}.type must be one of ${allowed}, got ${describe(v.type)}`, `${name}.type`);
  }
  switch (v.type as KernelType) {
    case 'rbf': {
      const b = v.bandwidth;
      if (b === 'median' && options.allowMedian !== false) return { type: 'rbf', bandwidth: 'median' };
      if (b === undefined)
        throw new ValueError(
          `${name}.bandwidth is required (a number > 0${options.allowMedian === false ? '' : " or 'median'"}), got undefined`,
          `${name}.bandwidth`,
        );
      return { type: 'rbf', bandwidth: readNumber(b, `${name}.bandwidth`, { gt: 0 }) };
    }
    case 'imq': {
      const c = v.c === undefined ? 1 : readNumber(v.c, `${name}.c`, { gt: 0 });
      const beta = v.beta === undefined ? -0.5 : readNumber(v.beta, `${name}.beta`, { lt: 0 });
      return { type: 'imq', c, beta };
    }
    case 'linear':
      return { type: 'linear' };
    default: {
      const degree = readInteger(v.degree, `${name}.degree`, { min: 1 });
      const gamma = v.gamma === undefined ? 1 : readNumber(v.gamma, `${name}.gamma`, { gt: 0 });
      const coef0 = v.coef0 === undefined ? 1 : readNumber(v.coef0, `${name}.coef0`);
      return { type: 'polynomial', degree, gamma, coef0 };
    }
  }
}

/**
 * Makes every parameter numeric: `bandwidth: 'median'` becomes the median-heuristic h of
 * `points` (rows; h = 1 for fewer than two points), defaults are filled.
 */
export function resolveKernelSpec(spec: KernelSpec, points?: unknown): ResolvedKernelSpec {
  const s = readKernelSpec(spec);
  if (s.type === 'rbf') {
    if (s.bandwidth !== 'median') return { type: 'rbf', bandwidth: s.bandwidth };
    if (points === undefined)
      throw new ValueError(
        "kernel.bandwidth 'median' needs the points to take the median over",
        'kernel.bandwidth',
      );
    const X = readMatrix(points, 'points');
    return { type: 'rbf', bandwidth: X.rows < 2 ? 1 : medianHeuristic(X) };
  }
  if (s.type === 'imq') return { type: 'imq', c: s.c ?? 1, beta: s.beta ?? -0.5 };
  if (s.type === 'polynomial')
    return { type: 'polynomial', degree: s.degree, gamma: s.gamma ?? 1, coef0: s.coef0 ?? 1 };
  return s;
}

/**
 * The {@link Kernel} object of a radial spec (`rbf`, `imq`): matrices, gradients and SVGD terms
 * in float64 and on tensors. `'median'` is resolved over `points`. A linear or polynomial spec is
 * a {@link ValueError} (those kernels are not radial).
 */
export function radialKernel(spec: KernelSpec, points?: unknown): Kernel {
  const s = resolveKernelSpec(spec, points);
  if (s.type === 'rbf') return rbf({ bandwidth: s.bandwidth });
  if (s.type === 'imq') return imq({ c: s.c, beta: s.beta });
  throw new ValueError(
    `kernel.type must be 'rbf' or 'imq' (a radial kernel) here, got '${s.type}'`,
    'kernel.type',
  );
}

/** Throws unless `spec` is a {@link ResolvedKernelSpec} (numeric parameters; see {@link resolveKernelSpec}). */
function checkResolved(spec: unknown): asserts spec is ResolvedKernelSpec {
  const s = spec as ResolvedKernelSpec | null;
  const ok =
    s !== null &&
    typeof s === 'object' &&
    ((s.type === 'rbf' &&
      typeof s.bandwidth === 'number' &&
      s.bandwidth > 0 &&
      Number.isFinite(s.bandwidth)) ||
      (s.type === 'imq' && s.c > 0 && Number.isFinite(s.c) && s.beta < 0 && Number.isFinite(s.beta)) ||
      s.type === 'linear' ||
      (s.type === 'polynomial' &&
        Number.isInteger(s.degree) &&
        s.degree >= 1 &&
        s.gamma > 0 &&
        Number.isFinite(s.gamma) &&
        Number.isFinite(s.coef0)));
  if (!ok)
    throw new ValueError(
      `spec must be a resolved kernel spec (resolveKernelSpec(...)), got ${describe(spec)}`,
      'spec',
    );
}

/** A kernel value, or a ValueError naming the input when the points held NaN/±Infinity. */
function finite(v: number, name: string): number {
  if (!Number.isFinite(v))
    throw new ValueError(`${name} must contain only finite numbers (the kernel value is ${v})`, name);
  return v;
}

/** Checks a flat row-major point set: `rows` rows of length `d` fit in `X`. */
function checkFlat(name: string, X: unknown, rows: number, d: number): void {
  if (X === null || typeof X !== 'object' || typeof (X as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name} must be a flat row-major array of numbers, got ${describe(X)}`, name);
  }
  if ((X as ArrayLike<number>).length < rows * d) {
    throw new ShapeError(
      `${name} must hold ${rows} rows of length ${d} (${rows * d} numbers), got length ${(X as ArrayLike<number>).length}`,
      name,
    );
  }
}

/**
 * κ(a, b) for row `ia` of the flat row-major `A` and row `ib` of `B` (row length d), for a
 * resolved spec. The inner loop of kernel rows and Gram matrices.
 */
export function kernelAt(
  spec: ResolvedKernelSpec,
  A: ArrayLike<number>,
  ia: number,
  B: ArrayLike<number>,
  ib: number,
  d: number,
): number {
  checkResolved(spec);
  if (!(Number.isInteger(d) && d >= 0))
    throw new ValueError(`d must be a row length (an integer >= 0), got ${describe(d)}`, 'd');
  if (!(Number.isInteger(ia) && ia >= 0))
    throw new ValueError(`ia must be a row index, got ${describe(ia)}`, 'ia');
  if (!(Number.isInteger(ib) && ib >= 0))
    throw new ValueError(`ib must be a row index, got ${describe(ib)}`, 'ib');
  checkFlat('A', A, ia + 1, d);
  checkFlat('B', B, ib + 1, d);
  return finite(kernelAtUnchecked(spec, A, ia, B, ib, d), 'A');
}

/** {@link kernelAt} without the checks (for the loops below, which check once per call). */
function kernelAtUnchecked(
  spec: ResolvedKernelSpec,
  A: ArrayLike<number>,
  ia: number,
  B: ArrayLike<number>,
  ib: number,
  d: number,
): number {
  const oa = ia * d;
  const ob = ib * d;
  if (spec.type === 'rbf' || spec.type === 'imq') {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = A[oa + j] - B[ob + j];
      s += t * t;
    }
    // the same rounding as rbf(): exp(−s · 1/(2h²))
    if (spec.type === 'rbf') return Math.exp(-s * (1 / (2 * spec.bandwidth * spec.bandwidth)));
    return (spec.c * spec.c + s) ** spec.beta;
  }
  let s = 0;
  for (let j = 0; j < d; j++) s += A[oa + j] * B[ob + j];
  if (spec.type === 'linear') return s;
  return (spec.gamma * s + spec.coef0) ** spec.degree;
}

/** κ(x, y) for two vectors of equal length (validated). */
export function kernelValue(spec: ResolvedKernelSpec, x: ArrayLike<number>, y: ArrayLike<number>): number {
  checkResolved(spec);
  const a = readVector(x, 'x');
  const b = readVector(y, 'y', { length: a.length });
  return finite(kernelAtUnchecked(spec, a, 0, b, 0, a.length), 'x');
}

/**
 * The kernel row κ(SVᵢ, x) for i in `idx` (or 0..n−1) of the flat row-major support set `sv`
 * (row length d), written into `out` (length ≥ number of rows) and returned.
 */
export function kernelRow(
  spec: ResolvedKernelSpec,
  sv: ArrayLike<number>,
  n: number,
  d: number,
  x: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
  idx?: ArrayLike<number>,
): Float64Array {
  checkResolved(spec);
  if (!(Number.isInteger(n) && n >= 0))
    throw new ValueError(`n must be a row count (an integer >= 0), got ${describe(n)}`, 'n');
  if (!(Number.isInteger(d) && d >= 0))
    throw new ValueError(`d must be a row length (an integer >= 0), got ${describe(d)}`, 'd');
  checkFlat('sv', sv, n, d);
  checkFlat('x', x, 1, d);
  const m = idx ? idx.length : n;
  if (idx !== undefined) {
    for (let i = 0; i < m; i++) {
      const r = idx[i];
      if (!(Number.isInteger(r) && r >= 0 && r < n))
        throw new ValueError(`idx[${i}] must be a row index in [0, ${n}), got ${describe(r)}`, 'idx');
    }
  }
  if (!(out instanceof Float64Array) || out.length < m) {
    throw new ShapeError(`out must be a Float64Array of length >= ${m}, got ${describe(out)}`, 'out');
  }
  for (let i = 0; i < m; i++) out[i] = finite(kernelAtUnchecked(spec, sv, idx ? idx[i] : i, x, 0, d), 'sv');
  return out;
}

/** The n × n Gram matrix (flat row-major, exactly symmetric) of the first n rows of the flat `sv`. */
export function kernelGram(
  spec: ResolvedKernelSpec,
  sv: ArrayLike<number>,
  n: number,
  d: number,
): Float64Array {
  checkResolved(spec);
  if (!(Number.isInteger(n) && n >= 0))
    throw new ValueError(`n must be a row count (an integer >= 0), got ${describe(n)}`, 'n');
  if (!(Number.isInteger(d) && d >= 0))
    throw new ValueError(`d must be a row length (an integer >= 0), got ${describe(d)}`, 'd');
  checkFlat('sv', sv, n, d);
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = finite(kernelAtUnchecked(spec, sv, i, sv, j, d), 'sv');
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}
