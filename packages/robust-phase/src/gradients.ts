/**
 * Losses and full gradients of the two models, as small pure functions (used by the tests'
 * finite-difference and Monte Carlo population checks, and by users who want the plain objective).
 * - phase retrieval: f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)², ∇f = (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i;
 *   population (a ~ N(0, I), noiseless): E∇ = (3‖z‖² − ‖x‖²) z − 2(xᵀz) x.
 * - bilinear: h(z) = (1/8m') Σ r_i², r_i = 2(u_iᵀz)(v_iᵀz) − ỹ_i, ∇h = (1/m') Σ ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i).
 * @module
 */
import { type Matrix, ShapeError } from '@descent/tensor';

function products(A: Matrix, z: ArrayLike<number>): Float64Array {
  const { rows: m, cols: n, data } = A;
  if (z.length !== n) throw new ShapeError(`z must have length n = ${n}, got length ${z.length}`, 'z');
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += data[i * n + j] * z[j];
    out[i] = s;
  }
  return out;
}

/** WF loss f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)². */
export function wfLoss(A: Matrix, y: ArrayLike<number>, z: ArrayLike<number>): number {
  const Az = products(A, z);
  let s = 0;
  for (let i = 0; i < A.rows; i++) s += (Az[i] * Az[i] - y[i]) ** 2;
  return s / (4 * A.rows);
}

/** WF gradient (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i. */
export function wfGradient(A: Matrix, y: ArrayLike<number>, z: ArrayLike<number>): Float64Array {
  const { rows: m, cols: n, data } = A;
  const Az = products(A, z);
  const g = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const c = ((Az[i] * Az[i] - y[i]) * Az[i]) / m;
    for (let j = 0; j < n; j++) g[j] += c * data[i * n + j];
  }
  return g;
}

/** Population WF gradient for a ~ N(0, I), noiseless: (3‖z‖² − ‖x‖²) z − 2(xᵀz) x. */
export function wfPopulationGradient(x: ArrayLike<number>, z: ArrayLike<number>): Float64Array {
  let zz = 0;
  let xx = 0;
  let xz = 0;
  for (let j = 0; j < x.length; j++) {
    zz += z[j] * z[j];
    xx += x[j] * x[j];
    xz += x[j] * z[j];
  }
  return Float64Array.from(z, (zj, j) => (3 * zz - xx) * zj - 2 * xz * x[j]);
}

/** Bilinear loss h(z) = (1/8m') Σ (2(u_iᵀz)(v_iᵀz) − ỹ_i)². */
export function bilinearLoss(U: Matrix, V: Matrix, yTilde: ArrayLike<number>, z: ArrayLike<number>): number {
  const Uz = products(U, z);
  const Vz = products(V, z);
  let s = 0;
  for (let i = 0; i < U.rows; i++) s += (2 * Uz[i] * Vz[i] - yTilde[i]) ** 2;
  return s / (8 * U.rows);
}

/** Bilinear gradient (1/m') Σ ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i). */
export function bilinearGradient(
  U: Matrix,
  V: Matrix,
  yTilde: ArrayLike<number>,
  z: ArrayLike<number>,
): Float64Array {
  const { rows: m, cols: n } = U;
  const Uz = products(U, z);
  const Vz = products(V, z);
  const g = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const r = 2 * Uz[i] * Vz[i] - yTilde[i];
    const cu = (0.5 * r * Vz[i]) / m;
    const cv = (0.5 * r * Uz[i]) / m;
    for (let j = 0; j < n; j++) g[j] += cu * U.data[i * n + j] + cv * V.data[i * n + j];
  }
  return g;
}
