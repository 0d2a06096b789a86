/**
 * Closed-form population quantities, from E[h_j(u·x) h_k(v·x)] = δ_jk (u·v)^k for unit u, v
 * (Ren & Lee 2024, arXiv 2410.09678; implementation notes §5.1).
 * @module
 */
import {
  Matrix,
  ShapeError,
  ValueError,
  type VectorLike,
  assertAllFinite,
  describe,
  readNumber,
  readVector,
} from '@descent/tensor';
import { HermiteSeries, type HermiteCoeffs } from './hermiteSeries';
import { MultiIndexTarget } from './multiIndexTarget';

/** Σ_j a_j b_j ρ^j for two coefficient vectors (the kernel E[φ_a(u·x) φ_b(v·x)] at u·v = ρ). */
export function hermiteKernel(aIn: VectorLike, bIn: VectorLike, rho: number): number {
  const a = readVector(aIn, 'a');
  const b = readVector(bIn, 'b');
  readNumber(rho, 'rho', { min: -1, max: 1 });
  return kernelSum(a, b, rho);
}

function kernelSum(a: Float64Array, b: Float64Array, rho: number): number {
  const K = Math.min(a.length, b.length);
  let s = 0;
  let p = 1;
  for (let j = 0; j < K; j++) {
    s += a[j] * b[j] * p;
    p *= rho;
  }
  return s;
}

function rowNormsCheck(W: Matrix, name: string): void {
  for (let i = 0; i < W.rows; i++) {
    let s = 0;
    for (let j = 0; j < W.cols; j++) s += W.data[i * W.cols + j] ** 2;
    if (!(Math.abs(Math.sqrt(s) - 1) <= 1e-8)) {
      throw new ValueError(
        `${name} rows must be unit vectors (closed forms hold on the sphere), got norm ${describe(Math.sqrt(s))} at row ${i}`,
        name,
      );
    }
  }
}

function checkTarget(target: unknown): asserts target is MultiIndexTarget {
  if (!(target instanceof MultiIndexTarget))
    throw new ValueError(`target must be a MultiIndexTarget, got ${describe(target)}`, 'target');
}

function asSeries(
  activation: HermiteCoeffs | HermiteSeries | undefined,
  target: MultiIndexTarget,
): HermiteSeries {
  return activation === undefined ? target.link : HermiteSeries.of(activation, 'activation');
}

/**
 * ψ(w) = E[f*(x) σ(w·x)] = Σ_k Σ_j σ̂_j φ̂_j (w·v_k*)^j for a unit vector w (the correlation
 * objective each neuron ascends; σ defaults to the target's link).
 */
export function populationCorrelation(
  w: ArrayLike<number>,
  target: MultiIndexTarget,
  activation?: HermiteCoeffs | HermiteSeries,
): number {
  checkTarget(target);
  if (w == null || w.length !== target.d)
    throw new ShapeError(`w must have length d = ${target.d}, got ${describe(w)}`, 'w');
  const W = new Matrix(1, target.d, Float64Array.from(w));
  assertAllFinite('w', W.data);
  rowNormsCheck(W, 'w');
  const s = asSeries(activation, target);
  let psi = 0;
  const V = target.directions;
  for (let k = 0; k < target.P; k++) {
    let rho = 0;
    for (let j = 0; j < target.d; j++) rho += W.data[j] * V.data[j * target.P + k];
    psi += kernelSum(s.coeffs, target.link.coeffs, rho);
  }
  return psi;
}

/**
 * Population squared loss E[(f(x) − y)²] of the network f(x) = Σ_i a_i σ(w_i·x) with unit rows w_i:
 * Σ_{ii'} a_i a_{i'} Σ_j σ̂_j² (w_i·w_{i'})^j − 2 Σ_i a_i Σ_k Σ_j σ̂_j φ̂_j (w_i·v_k*)^j
 * + Σ_{kk'} Σ_j φ̂_j² (v_k*·v_{k'}*)^j + noiseStd².
 */
export function populationSquaredLoss(
  a: ArrayLike<number>,
  W: Matrix,
  target: MultiIndexTarget,
  activation?: HermiteCoeffs | HermiteSeries,
): number {
  checkTarget(target);
  if (!(W instanceof Matrix) || W.cols !== target.d) {
    throw new ShapeError(`W must be a Matrix with d = ${target.d} columns, got ${describe(W)}`, 'W');
  }
  if (a == null || a.length !== W.rows)
    throw new ShapeError(`a must have length m = ${W.rows}, got ${describe(a)}`, 'a');
  assertAllFinite('a', a);
  assertAllFinite('W', W.data);
  rowNormsCheck(W, 'W');
  const s = asSeries(activation, target).coeffs;
  const phi = target.link.coeffs;
  const { d, P } = target;
  const V = target.directions.data;
  const m = W.rows;
  const w = W.data;
  let loss = 0;
  for (let i = 0; i < m; i++) {
    for (let i2 = 0; i2 < m; i2++) {
      let rho = 0;
      for (let j = 0; j < d; j++) rho += w[i * d + j] * w[i2 * d + j];
      loss += a[i] * a[i2] * kernelSum(s, s, rho);
    }
    for (let k = 0; k < P; k++) {
      let rho = 0;
      for (let j = 0; j < d; j++) rho += w[i * d + j] * V[j * P + k];
      loss -= 2 * a[i] * kernelSum(s, phi, rho);
    }
  }
  for (let k = 0; k < P; k++) {
    for (let k2 = 0; k2 < P; k2++) {
      let rho = 0;
      for (let j = 0; j < d; j++) rho += V[j * P + k] * V[j * P + k2];
      loss += kernelSum(phi, phi, rho);
    }
  }
  return loss + target.noiseStd ** 2;
}
