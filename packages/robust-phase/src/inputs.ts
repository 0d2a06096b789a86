/**
 * Reading (A, y) for every public entry point, on the shared readers of `@descent/tensor`
 * (`readMatrix`, `readVector`, `readNumber`): typed errors that name the argument.
 * @module
 */
import { type Matrix, ShapeError, readMatrix, readNumber, readVector } from '@descent/tensor';
import type { DesignLike, VectorLike } from './types';

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
  const Am = readMatrix(A, 'A');
  const m = Am.rows;
  const n = Am.cols;
  const yv = readVector(y, 'y');
  if (yv.length !== m)
    throw new ShapeError(`y must have length m = ${m} (the rows of A), got length ${yv.length}`, 'y');
  if (m < minRatio * n) {
    throw new ShapeError(
      `A must have m >= ${minRatio === 1 ? '' : `${minRatio}·`}n rows (m = ${m}, n = ${n}): phase retrieval needs more measurements than unknowns`,
      'A',
    );
  }
  return { A: Am, y: yv, m, n };
}

/** Validates the contamination fraction η ∈ [0, 0.5). */
export function checkEta(eta: unknown, name = 'eta'): number {
  return readNumber(eta, name, { min: 0, lt: 0.5 });
}

/** Checks that an already read vector option has length n. */
export function checkLength(name: string, v: Float64Array | undefined, n: number): Float64Array | undefined {
  if (v !== undefined && v.length !== n)
    throw new ShapeError(`${name} must have length n = ${n}, got length ${v.length}`, name);
  return v;
}
