/**
 * The explicit Hessian of a small network, one exact HVP per parameter (d products): for tests,
 * diagnostics and networks with at most a few thousand parameters.
 * @module
 */
import { Matrix, ValueError } from '@descent/tensor';
import type { ParamTree } from '../tree';
import { flatHessian } from './flatHvp';
import type { HvpTreeOptions } from './hvp';
import type { CurvatureObjective } from './objective';

/** Options of {@link hessianMatrix}. */
export interface HessianMatrixOptions extends HvpTreeOptions {
  /** Refuse networks with more parameters than this (default 5000: 5000 HVPs and a 200 MB matrix). */
  maxSize?: number;
}

/** ∇²f(params) as a d × d float64 {@link Matrix} (rows/columns in tree order), symmetrised (H + Hᵀ)/2. */
export function hessianMatrix(
  f: CurvatureObjective,
  params: ParamTree,
  options: HessianMatrixOptions = {},
): Matrix {
  const H = flatHessian(f, params, options);
  const d = H.size;
  const maxSize = options.maxSize ?? 5000;
  if (d > maxSize)
    throw new ValueError(
      `params has ${d} entries, more than maxSize = ${maxSize} (use hessianEigs or hutchinsonTrace)`,
      'params',
    );
  const M = new Matrix(d, d);
  const e = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    e.fill(0);
    e[j] = 1;
    const col = H.matvec(e);
    for (let i = 0; i < d; i++) M.data[i * d + j] = col[i];
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (M.data[i * d + j] + M.data[j * d + i]);
      M.data[i * d + j] = m;
      M.data[j * d + i] = m;
    }
  }
  return M;
}
