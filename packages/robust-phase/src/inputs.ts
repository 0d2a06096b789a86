/**
 * Input reading and validation: every public entry point turns (A, y) into a float64 design and
 * response, with typed errors that name the argument.
 * @module
 */
import { Matrix, ShapeError, ValueError, assertAllFinite, assertInRange, describe, isTensorLike, tensorValues } from '@descent/tensor';
import type { DesignLike, VectorLike } from './types';

/** Reads a vector argument (array, typed array or tensor) as a fresh Float64Array. */
export function readVector(name: string, v: VectorLike): Float64Array {
  if (isTensorLike(v)) {
    if (v.rank !== 1 && !(v.rank === 2 && (v.shape[1] === 1 || v.shape[0] === 1))) {
      throw new ShapeError(`${name} must be a rank-1 tensor, got shape [${v.shape.join(', ')}]`, name);
    }
    return tensorValues(v, name);
  }
  if (v == null || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(
      `${name} must be an array, a typed array or a rank-1 tensor, got ${describe(v)}`,
      name,
    );
  }
  return Float64Array.from(v as ArrayLike<number>);
}

/** Reads the design matrix (copying tensors and nested arrays into a float64 {@link Matrix}). */
export function readDesign(name: string, A: DesignLike): Matrix {
  if (isTensorLike(A) && A.rank !== 2) {
    throw new ShapeError(`${name} must be a rank-2 tensor (m × n), got shape [${A.shape.join(', ')}]`, name);
  }
  return Matrix.of(A as Matrix, name);
}

/** Validated phase-retrieval data. */
export interface PhaseData {
  A: Matrix;
  y: Float64Array;
  m: number;
  n: number;
}

/**
 * Validates (A, y): A is m × n with m ≥ n ≥ 1, y has length m, both finite.
 * `minRatio` raises the lower bound on m (e.g. 2 for the pair-difference pipeline, which halves m).
 */
export function readPhaseData(
  A: DesignLike,
  y: VectorLike,
  { minRatio = 1 }: { minRatio?: number } = {},
): PhaseData {
  const Am = readDesign('A', A);
  const yv = readVector('y', y);
  const m = Am.rows;
  const n = Am.cols;
  if (n < 1) throw new ShapeError(`A must have at least one column, got ${m} × ${n}`, 'A');
  if (yv.length !== m)
    throw new ShapeError(`y must have length m = ${m} (the rows of A), got length ${yv.length}`, 'y');
  if (m < minRatio * n) {
    throw new ShapeError(
      `A must have m >= ${minRatio === 1 ? '' : `${minRatio}·`}n rows (m = ${m}, n = ${n}): phase retrieval needs more measurements than unknowns`,
      'A',
    );
  }
  assertAllFinite('A', Am.data);
  assertAllFinite('y', yv);
  return { A: Am, y: yv, m, n };
}

/** Validates the contamination fraction η ∈ [0, 0.5). */
export function checkEta(eta: unknown): number {
  assertInRange('eta', eta, 0, 0.5, { maxExclusive: true });
  return eta as number;
}

/** Validates an optional start/ground-truth vector of length n. */
export function readOptionalVector(
  name: string,
  v: ArrayLike<number> | undefined,
  n: number,
): Float64Array | undefined {
  if (v === undefined) return undefined;
  const out = readVector(name, v);
  if (out.length !== n)
    throw new ShapeError(`${name} must have length n = ${n}, got length ${out.length}`, name);
  assertAllFinite(name, out);
  return out;
}

/** Throws a ValueError unless `value` is one of `allowed`. */
export function checkChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(
      `${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`,
      name,
    );
  }
  return value as T;
}
