/**
 * The unknown-noise preprocessing (reconstructed; see the README): pair the samples at random and
 * take differences. For a disjoint pair (i, j), with u = (a_i − a_j)/√2 and v = (a_i + a_j)/√2,
 * ỹ = y_i − y_j = 2(uᵀx)(vᵀx) + (z_i − z_j). For Gaussian a, u and v are independent N(0, I) and
 * ζ = z_i − z_j is symmetric with mean zero whatever the noise mean is: a rank-one bilinear model.
 * @module
 */
import { Matrix, Rng, readSeed } from '@descent/tensor';
import { readPhaseData } from './inputs';
import type { DesignLike, VectorLike } from './types';

/** Bilinear data (u_i, v_i, ỹ_i), i = 1..⌊m/2⌋. */
export interface BilinearData {
  U: Matrix;
  V: Matrix;
  yTilde: Float64Array;
  /** The pairs (i, j) used, as [i0, j0, i1, j1, ...]. */
  pairs: Int32Array;
}

/** Random disjoint pairing and differencing (seeded). */
export function pairDifference(A: DesignLike, y: VectorLike, seed: number | string = 0): BilinearData {
  readSeed(seed ?? 0);
  const data = readPhaseData(A, y, { minRatio: 2 });
  const { m, n } = data;
  const mp = Math.floor(m / 2);
  const perm = new Rng(seed).fold('pairs').permutation(m);
  const U = new Matrix(mp, n);
  const V = new Matrix(mp, n);
  const yTilde = new Float64Array(mp);
  const d = data.A.data;
  const r = Math.SQRT1_2;
  for (let k = 0; k < mp; k++) {
    const i = perm[2 * k];
    const j = perm[2 * k + 1];
    for (let c = 0; c < n; c++) {
      const ai = d[i * n + c];
      const aj = d[j * n + c];
      U.data[k * n + c] = r * (ai - aj);
      V.data[k * n + c] = r * (ai + aj);
    }
    yTilde[k] = data.y[i] - data.y[j];
  }
  return { U, V, yTilde, pairs: perm.slice(0, 2 * mp) };
}
