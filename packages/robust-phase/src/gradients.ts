/**
 * Losses and full gradients of the two models, as small pure functions (used by the tests'
 * finite-difference and Monte Carlo population checks, and by users who want the plain objective).
 * - phase retrieval: f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)², ∇f = (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i;
 *   population (a ~ N(0, I), noiseless): E∇ = (3‖z‖² − ‖x‖²) z − 2(xᵀz) x.
 * - bilinear: h(z) = (1/8m') Σ r_i², r_i = 2(u_iᵀz)(v_iᵀz) − ỹ_i, ∇h = (1/m') Σ ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i).
 * @module
 */
import { type Matrix, type MatrixInput, type VectorLike, readMatrix, readVector } from '@descent/tensor';

function products(A: Matrix, z: ArrayLike<number>): Float64Array {
  const { rows: m, cols: n, data } = A;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += data[i * n + j] * z[j];
    out[i] = s;
  }
  return out;
}

/** WF loss f(z) = (1/4m) Σ ((a_iᵀz)² − y_i)². */
/** Reads (A, y, z) of the model functions: A m×n, y of length m, z of length n, all finite. */
function readModel(
  AIn: MatrixInput,
  yIn: VectorLike,
  zIn: VectorLike,
  names: [string, string] = ['A', 'y'],
): { A: Matrix; y: Float64Array; z: Float64Array } {
  const A = readMatrix(AIn, names[0]);
  return {
    A,
    y: readVector(yIn, names[1], { length: A.rows }),
    z: readVector(zIn, 'z', { length: A.cols }),
  };
}

export function wfLoss(AIn: MatrixInput, yIn: VectorLike, zIn: VectorLike): number {
  const { A, y, z } = readModel(AIn, yIn, zIn);
  const Az = products(A, z);
  let s = 0;
  for (let i = 0; i < A.rows; i++) s += (Az[i] * Az[i] - y[i]) ** 2;
  return s / (4 * A.rows);
}

/** WF gradient (1/m) Σ ((a_iᵀz)² − y_i)(a_iᵀz) a_i. */
export function wfGradient(AIn: MatrixInput, yIn: VectorLike, zIn: VectorLike): Float64Array {
  const { A, y, z } = readModel(AIn, yIn, zIn);
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
export function wfPopulationGradient(xIn: VectorLike, zIn: VectorLike): Float64Array {
  const x = readVector(xIn, 'x');
  const z = readVector(zIn, 'z', { length: x.length });
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

function readBilinear(UIn: MatrixInput, VIn: MatrixInput, yIn: VectorLike, zIn: VectorLike) {
  const { A: U, y: yTilde, z } = readModel(UIn, yIn, zIn, ['U', 'yTilde']);
  const V = readMatrix(VIn, 'V', { rows: U.rows, cols: U.cols });
  return { U, V, yTilde, z };
}

/** Bilinear loss h(z) = (1/8m') Σ (2(u_iᵀz)(v_iᵀz) − ỹ_i)². */
export function bilinearLoss(UIn: MatrixInput, VIn: MatrixInput, yIn: VectorLike, zIn: VectorLike): number {
  const { U, V, yTilde, z } = readBilinear(UIn, VIn, yIn, zIn);
  const Uz = products(U, z);
  const Vz = products(V, z);
  let s = 0;
  for (let i = 0; i < U.rows; i++) s += (2 * Uz[i] * Vz[i] - yTilde[i]) ** 2;
  return s / (8 * U.rows);
}

/** Bilinear gradient (1/m') Σ ½ r_i ((v_iᵀz)u_i + (u_iᵀz)v_i). */
export function bilinearGradient(
  UIn: MatrixInput,
  VIn: MatrixInput,
  yIn: VectorLike,
  zIn: VectorLike,
): Float64Array {
  const { U, V, yTilde, z } = readBilinear(UIn, VIn, yIn, zIn);
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
