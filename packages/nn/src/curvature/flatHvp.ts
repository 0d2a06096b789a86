/**
 * The bridge from tree HVPs to float64 linear algebra: the Hessian as a matvec on Float64Array
 * (flattened in tree order), for Lanczos and friends.
 * @module
 */
import {
  assertParamTree,
  disposeTree,
  flattenTree,
  type ParamTree,
  treeShapes,
  treeSize,
  unflattenTree,
} from '../tree';
import { type HvpTreeOptions, hvpTree } from './hvp';
import type { CurvatureObjective } from './objective';

/** A Hessian as a float64 operator: `matvec(v) = H·v`, with a count of products. */
export interface FlatHessian {
  /** Number of parameters d. */
  size: number;
  /** H·v for a float64 vector v of length d (one HVP per part of the objective). */
  matvec(v: Float64Array): Float64Array;
  /** Products computed so far. */
  products: number;
}

/** The Hessian of `f` at `params` as a {@link FlatHessian} (`params` must stay alive while it is used). */
export function flatHessian(
  f: CurvatureObjective,
  params: ParamTree,
  options: HvpTreeOptions = {},
): FlatHessian {
  assertParamTree('params', params);
  const shapes = treeShapes(params);
  const op: FlatHessian = {
    size: treeSize(params),
    products: 0,
    matvec(v: Float64Array): Float64Array {
      const vt = unflattenTree(v, shapes);
      let hv: ParamTree | null = null;
      try {
        hv = hvpTree(f, params, vt, options);
        op.products++;
        return flattenTree(hv);
      } finally {
        disposeTree(vt);
        disposeTree(hv);
      }
    },
  };
  return op;
}
