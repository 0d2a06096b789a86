/**
 * Recovery metrics of a first layer W (m×d, one neuron per row) against the target directions
 * V* (d×P, orthonormal columns): overlaps M = W V*, coverage, subspace mass and neuron matching
 * (Ren & Lee 2024, arXiv 2410.09678: overlaps v_k = v_k*ᵀw and subspace mass ‖w_{≤P}‖² = Σ_k v_k²).
 * @module
 */
import { Matrix, ShapeError, ValueError, describe } from '@descent/tensor';

function checkPair(W: Matrix, V: Matrix): void {
  if (!(W instanceof Matrix)) throw new ShapeError(`W must be a Matrix (m×d), got ${describe(W)}`, 'W');
  if (!(V instanceof Matrix)) throw new ShapeError(`V must be a Matrix (d×P), got ${describe(V)}`, 'V');
  if (W.cols !== V.rows)
    throw new ShapeError(
      `W (m×d) and V (d×P) must share d: W is ${W.rows}×${W.cols}, V is ${V.rows}×${V.cols}`,
      'V',
    );
}

/**
 * Overlap matrix M (m×P), M_ik = (w_i·v_k*)/‖w_i‖ (the cosine; equals w_i·v_k* on the sphere).
 */
export function overlaps(W: Matrix, V: Matrix): Matrix {
  checkPair(W, V);
  const m = W.rows;
  const d = W.cols;
  const P = V.cols;
  const M = new Matrix(m, P);
  for (let i = 0; i < m; i++) {
    let nrm = 0;
    for (let j = 0; j < d; j++) nrm += W.data[i * d + j] ** 2;
    nrm = Math.sqrt(nrm);
    if (!(nrm > 0))
      throw new ValueError(`W row ${i} must be non-zero and finite, got norm ${describe(nrm)}`, 'W');
    for (let k = 0; k < P; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += W.data[i * d + j] * V.data[j * P + k];
      M.data[i * P + k] = s / nrm;
    }
  }
  return M;
}

/** Coverage min_k max_i |M_ik|: how well the worst-covered direction is matched by its best neuron. */
export function coverage(M: Matrix): number {
  const best = bestOverlaps(M);
  let worst = Number.POSITIVE_INFINITY;
  for (let k = 0; k < M.cols; k++) worst = Math.min(worst, best[k]);
  return worst;
}

/** For each direction k, max_i |M_ik| (length P). */
export function bestOverlaps(M: Matrix): Float64Array {
  const out = new Float64Array(M.cols);
  for (let k = 0; k < M.cols; k++) {
    let best = 0;
    for (let i = 0; i < M.rows; i++) best = Math.max(best, Math.abs(M.data[i * M.cols + k]));
    out[k] = best;
  }
  return out;
}

/** Per-neuron subspace mass Σ_k M_ik² ∈ [0, 1] (length m): the squared norm of w_i's projection on span(V*). */
export function subspaceMass(M: Matrix): Float64Array {
  const out = new Float64Array(M.rows);
  for (let i = 0; i < M.rows; i++) {
    let s = 0;
    for (let k = 0; k < M.cols; k++) s += M.data[i * M.cols + k] ** 2;
    out[i] = s;
  }
  return out;
}

/** Median of a small array (mean of the two middle values for even length). */
export function medianOf(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

/** A one-to-one assignment of directions to neurons. */
export interface NeuronMatching {
  /** neuron[k] = index of the neuron assigned to direction k (−1 if m < P leaves it unassigned). */
  neuron: Int32Array;
  /** |M_{neuron[k], k}| (0 when unassigned). */
  overlap: Float64Array;
  /** Signs of the matched overlaps (neurons may align with −v_k*, an equivalent solution for even links). */
  sign: Float64Array;
  /** Minimum matched |overlap| over directions (a stricter coverage: distinct neurons). */
  minOverlap: number;
}

/**
 * Greedy one-to-one matching: repeatedly take the largest remaining |M_ik| among unused neurons
 * and unmatched directions. (Greedy, not Hungarian: optimal when every direction has a clearly
 * best neuron, which is the regime of interest; see the README.)
 */
export function matchNeurons(M: Matrix): NeuronMatching {
  const { rows: m, cols: P, data } = M;
  const neuron = new Int32Array(P).fill(-1);
  const overlap = new Float64Array(P);
  const sign = new Float64Array(P);
  const usedNeuron = new Uint8Array(m);
  for (let round = 0; round < Math.min(m, P); round++) {
    let bi = -1;
    let bk = -1;
    let best = -1;
    for (let i = 0; i < m; i++) {
      if (usedNeuron[i]) continue;
      for (let k = 0; k < P; k++) {
        if (neuron[k] !== -1) continue;
        const v = Math.abs(data[i * P + k]);
        if (v > best) {
          best = v;
          bi = i;
          bk = k;
        }
      }
    }
    usedNeuron[bi] = 1;
    neuron[bk] = bi;
    overlap[bk] = best;
    sign[bk] = Math.sign(data[bi * P + bk]) || 1;
  }
  let minOverlap = Number.POSITIVE_INFINITY;
  for (let k = 0; k < P; k++) minOverlap = Math.min(minOverlap, overlap[k]);
  return { neuron, overlap, sign, minOverlap };
}

/** Relative mean squared error mean((ŷ − y)²) / Var(y) with the given target variance. */
export function relativeMSE(pred: ArrayLike<number>, y: ArrayLike<number>, variance: number): number {
  if (pred.length !== y.length)
    throw new ShapeError(`pred must have length ${y.length} (as y), got length ${pred.length}`, 'pred');
  if (!(variance > 0)) throw new ValueError(`variance must be > 0, got ${describe(variance)}`, 'variance');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pred[i] - y[i]) ** 2;
  return s / y.length / variance;
}
