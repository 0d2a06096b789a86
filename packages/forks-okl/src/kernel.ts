/**
 * Kernels for the per-round path, on float64 rows: a serialisable {@link KernelSpec} and
 * evaluation of κ(x, y) and of kernel rows κ(SV, x) against a flat row-major support set.
 * @module
 */
import { ValueError, assertInteger, assertPositive, describe } from '@descent/tensor';

/**
 * A kernel, as plain data (so learners serialise):
 * - `gaussian`: κ(x, y) = exp(−‖x − y‖² / (2σ²)) (the reference code's parametrisation);
 * - `linear`: κ(x, y) = xᵀy;
 * - `polynomial`: κ(x, y) = (γ xᵀy + c₀)^degree.
 */
export type KernelSpec =
  | { type: 'gaussian'; sigma: number }
  | { type: 'linear' }
  | { type: 'polynomial'; degree: number; gamma?: number; coef0?: number };

/** The Gaussian kernel spec exp(−‖x − y‖²/(2σ²)). */
export function gaussianKernel(sigma: number): KernelSpec {
  assertPositive('sigma', sigma);
  return { type: 'gaussian', sigma };
}

/** The linear kernel spec xᵀy. */
export function linearKernel(): KernelSpec {
  return { type: 'linear' };
}

/** The polynomial kernel spec (γxᵀy + c₀)^degree. */
export function polynomialKernel(degree: number, gamma = 1, coef0 = 1): KernelSpec {
  assertInteger('degree', degree, 1);
  assertPositive('gamma', gamma);
  return { type: 'polynomial', degree, gamma, coef0 };
}

/** Validates a kernel spec (throws {@link ValueError} naming `name`). */
export function checkKernel(name: string, k: unknown): KernelSpec {
  const spec = k as KernelSpec;
  if (!spec || typeof spec !== 'object') throw new ValueError(`${name} must be a kernel spec object, got ${describe(k)}`, name);
  if (spec.type === 'gaussian') {
    assertPositive(`${name}.sigma`, spec.sigma);
    return { type: 'gaussian', sigma: spec.sigma };
  }
  if (spec.type === 'linear') return { type: 'linear' };
  if (spec.type === 'polynomial') {
    assertInteger(`${name}.degree`, spec.degree, 1);
    const gamma = spec.gamma ?? 1;
    const coef0 = spec.coef0 ?? 1;
    assertPositive(`${name}.gamma`, gamma);
    if (!Number.isFinite(coef0)) throw new ValueError(`${name}.coef0 must be finite, got ${describe(coef0)}`, `${name}.coef0`);
    return { type: 'polynomial', degree: spec.degree, gamma, coef0 };
  }
  throw new ValueError(`${name}.type must be 'gaussian', 'linear' or 'polynomial', got ${JSON.stringify((spec as { type?: unknown }).type)}`, name);
}

/** κ(a, b) where `a` is row `ia` of the flat matrix `A` (row length d) and `b` is row `ib` of `Bm`. */
export function kernelAt(spec: KernelSpec, A: ArrayLike<number>, ia: number, Bm: ArrayLike<number>, ib: number, d: number): number {
  const oa = ia * d;
  const ob = ib * d;
  if (spec.type === 'gaussian') {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const t = A[oa + j] - Bm[ob + j];
      s += t * t;
    }
    return Math.exp(-s / (2 * spec.sigma * spec.sigma));
  }
  let s = 0;
  for (let j = 0; j < d; j++) s += A[oa + j] * Bm[ob + j];
  if (spec.type === 'linear') return s;
  return ((spec.gamma ?? 1) * s + (spec.coef0 ?? 1)) ** spec.degree;
}

/** κ(x, y) for two vectors of equal length. */
export function kernel(spec: KernelSpec, x: ArrayLike<number>, y: ArrayLike<number>): number {
  return kernelAt(spec, x, 0, y, 0, x.length);
}

/**
 * The kernel row κ(SV_i, x) for i in `idx` (or 0..n−1), where the support set is the flat
 * row-major `sv` with row length d. Writes into `out` (length ≥ number of rows) and returns it.
 */
export function kernelRow(
  spec: KernelSpec,
  sv: ArrayLike<number>,
  n: number,
  d: number,
  x: ArrayLike<number>,
  out: Float64Array = new Float64Array(n),
  idx?: ArrayLike<number>,
): Float64Array {
  const m = idx ? idx.length : n;
  for (let i = 0; i < m; i++) out[i] = kernelAt(spec, sv, idx ? idx[i] : i, x, 0, d);
  return out;
}

/** The n × n kernel matrix of the first n rows of the flat `sv` (row-major Float64Array). */
export function kernelMatrix(spec: KernelSpec, sv: ArrayLike<number>, n: number, d: number): Float64Array {
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = kernelAt(spec, sv, i, sv, j, d);
      K[i * n + j] = v;
      K[j * n + i] = v;
    }
  }
  return K;
}
