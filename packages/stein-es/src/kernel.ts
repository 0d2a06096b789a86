/**
 * The RBF kernel of SV-ES on a small set of float64 points (the P means): the kernel spec
 * (@descent/tensor's `{ type: 'rbf', bandwidth }`, h = evosax's `kernel_std`; the author's original
 * `bandwidth` b equals h²) and the SVGD repulsion, thin adapters over @descent/tensor's `rbf`,
 * `resolveKernelSpec` and `gradX`.
 * @module
 */
import { type Matrix, type RbfKernelSpec, rbf, readKernelSpec, readMatrix, resolveKernelSpec } from '@descent/tensor';

/** Reads the kernel option of the SV-ES strategies: an RBF spec (bandwidth h > 0 or `'median'`). */
export function readRbfSpec(value: unknown, name = 'kernel'): RbfKernelSpec {
  return readKernelSpec(value, name, { types: ['rbf'] }) as RbfKernelSpec;
}

/** The bandwidth h of an RBF spec for the current points (`'median'`: the SVGD median heuristic, h = 1 for one point). */
export function bandwidthOf(kernel: RbfKernelSpec, points: ArrayLike<ArrayLike<number>>): number {
  const s = resolveKernelSpec(kernel, points);
  return (s as { bandwidth: number }).bandwidth;
}

/** K_ij = k(x_i, x_j) (row-major n×n). */
export function kernelMatrix(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array {
  return rbf({ bandwidth: h }).matrix(readMatrix(points, 'points')).data;
}

/**
 * The scaled SVGD repulsion r_i = (1/n) Σ_j ∇_{x_j} k(x_j, x_i) = (1/n) Σ_j k(x_j, x_i)(x_i − x_j)/h²
 * (the term SV-CMA-ES adds to every mean). Pair terms are antisymmetric, so Σ_i r_i = 0.
 */
export function rbfRepulsion(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[] {
  const M: Matrix = readMatrix(points, 'points');
  const n = M.rows;
  // Σ_j ∇_{x_j} k(x_j, x_i) = −Σ_j ∇_{x_i} k(x_i, x_j) (radial kernel): one pass of tensor's gradX
  const G = rbf({ bandwidth: h }).gradX(M);
  const d = G.cols;
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = G.data.slice(i * d, (i + 1) * d);
    for (let c = 0; c < d; c++) r[c] = -r[c] / n;
    out.push(r);
  }
  return out;
}
