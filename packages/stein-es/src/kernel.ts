/**
 * The RBF kernel of SV-ES on a small set of float64 points (the P means): bandwidth choice and
 * the SVGD repulsion, thin adapters over @descent/tensor's `rbf`, `medianHeuristic` and
 * `svgdTerms`. k(x, y) = exp(−‖x−y‖² / (2h²)) with h = evosax's `kernel_std` (the author's
 * original `bandwidth` b equals h²).
 * @module
 */
import { Matrix, ValueError, medianHeuristic, rbf } from '@descent/tensor';

/** RBF kernel options: `std` is the bandwidth h, or `'median'` for the SVGD median heuristic. */
export interface RBFKernel {
  /**
   * h > 0, or `'median'`: h² = ½·median(‖x_i − x_j‖²)/ln(n + 1) over the current points (Liu &
   * Wang's reference code, @descent/tensor `medianHeuristic` variant `'svgd'`; h = 1 for n = 1).
   */
  std: number | 'median';
}

/** The bandwidth h for the current points (validates `kernel`). */
export function resolveBandwidth(kernel: RBFKernel, points: ArrayLike<ArrayLike<number>>): number {
  if (kernel == null || typeof kernel !== 'object')
    throw new ValueError('kernel must be an object {std: number | "median"}', 'kernel');
  const h = kernel.std;
  if (h === 'median') return points.length < 2 ? 1 : medianHeuristic(Matrix.of(points, 'points'));
  if (typeof h !== 'number' || !Number.isFinite(h) || h <= 0)
    throw new ValueError(`kernel.std must be > 0 or 'median', got ${String(h)}`, 'kernel.std');
  return h;
}

/** K_ij = k(x_i, x_j) (row-major n×n). */
export function kernelMatrix(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array {
  return rbf({ bandwidth: h }).matrix(Matrix.of(points, 'points')).data;
}

/**
 * The scaled SVGD repulsion r_i = (1/n) Σ_j ∇_{x_j} k(x_j, x_i) = (1/n) Σ_j k(x_j, x_i)(x_i − x_j)/h²
 * (the term SV-CMA-ES adds to every mean). Pair terms are antisymmetric, so Σ_i r_i = 0.
 */
export function rbfRepulsion(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[] {
  const n = points.length;
  // Σ_j ∇_{x_j} k(x_j, x_i) = −Σ_j ∇_{x_i} k(x_i, x_j) (radial kernel): one pass of tensor's gradX
  const G = rbf({ bandwidth: h }).gradX(Matrix.of(points, 'points'));
  const d = G.cols;
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = G.data.slice(i * d, (i + 1) * d);
    for (let c = 0; c < d; c++) r[c] = -r[c] / n;
    out.push(r);
  }
  return out;
}
