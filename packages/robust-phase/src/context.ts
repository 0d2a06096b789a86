/**
 * The per-solve context shared by initialisers and solvers: validated data, the measurement
 * operator, a lazily built transposed copy of A (for coordinate-wise robust estimators) and scratch.
 * @module
 */
import { readEnum } from '@descent/tensor';
import type { Matrix } from '@descent/tensor';

import { type MeasurementOperator, makeOperator } from './measurementOperator';
import type { ProductsMode } from './types';

/** Solve-time context (internal). */
export interface PhaseContext {
  A: Matrix;
  y: Float64Array;
  m: number;
  n: number;
  op: MeasurementOperator;
  /** Aᵀ as n × m row-major (built on first use). */
  transposed(): Float64Array;
}

/** Builds a context; call `ctx.op.dispose()` when the solve ends. */
export function makeContext(A: Matrix, y: Float64Array, products: ProductsMode = 'auto'): PhaseContext {
  let At: Float64Array | null = null;
  const m = A.rows;
  const n = A.cols;
  return {
    A,
    y,
    m,
    n,
    op: makeOperator(
      A,
      readEnum(products, 'products', [
        'auto',
        'float64',
        'float64-simd',
        'float32-simd',
        'float32-tensor',
      ] as const),
    ),
    transposed() {
      if (!At) {
        At = new Float64Array(m * n);
        const d = A.data;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) At[j * m + i] = d[i * n + j];
      }
      return At;
    },
  };
}
