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

/** Options of {@link matchNeurons}. */
export interface MatchOptions {
  /**
   * `'optimal'` (default when P ≤ 16): the assignment maximising Σ_k |M_{neuron(k),k}|, exact by
   * dynamic programming over subsets of directions (O(m·2^P·P)); `'greedy'`: repeatedly take the
   * largest remaining |M_ik| (the default for P > 16).
   */
  method?: 'optimal' | 'greedy';
}

/**
 * One-to-one matching of directions to distinct neurons (m ≥ P assigns every direction).
 * Unlike {@link coverage}, one neuron cannot serve two directions.
 */
export function matchNeurons(M: Matrix, { method }: MatchOptions = {}): NeuronMatching {
  const { cols: P, data } = M;
  const how = method ?? (P <= 16 ? 'optimal' : 'greedy');
  if (how !== 'optimal' && how !== 'greedy') {
    throw new ValueError(`method must be 'optimal' or 'greedy', got ${describe(how)}`, 'method');
  }
  if (how === 'optimal' && P > 16)
    throw new ValueError(`method 'optimal' needs P <= 16, got P = ${P}`, 'method');
  const neuron = how === 'optimal' ? optimalAssignment(M) : greedyAssignment(M);
  const overlap = new Float64Array(P);
  const sign = new Float64Array(P);
  let minOverlap = Number.POSITIVE_INFINITY;
  for (let k = 0; k < P; k++) {
    const i = neuron[k];
    overlap[k] = i >= 0 ? Math.abs(data[i * P + k]) : 0;
    sign[k] = i >= 0 ? Math.sign(data[i * P + k]) || 1 : 0;
    minOverlap = Math.min(minOverlap, overlap[k]);
  }
  return { neuron, overlap, sign, minOverlap };
}

function greedyAssignment(M: Matrix): Int32Array {
  const { rows: m, cols: P, data } = M;
  const neuron = new Int32Array(P).fill(-1);
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
  }
  return neuron;
}

/** Max-weight assignment by DP over (neuron index, set of assigned directions). */
function optimalAssignment(M: Matrix): Int32Array {
  const { rows: m, cols: P, data } = M;
  const S = 1 << P;
  // best[i][mask]: max total using neurons < i with directions `mask` assigned
  const best = new Float64Array((m + 1) * S).fill(Number.NEGATIVE_INFINITY);
  const choice = new Int8Array((m + 1) * S).fill(-1); // direction given to neuron i-1, or -1 (none)
  best[0] = 0;
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < S; mask++) {
      const cur = best[i * S + mask];
      if (cur === Number.NEGATIVE_INFINITY) continue;
      const o = (i + 1) * S;
      if (cur > best[o + mask]) {
        best[o + mask] = cur;
        choice[o + mask] = -1;
      }
      for (let k = 0; k < P; k++) {
        if (mask & (1 << k)) continue;
        const nm = mask | (1 << k);
        const v = cur + Math.abs(data[i * P + k]);
        if (v > best[o + nm]) {
          best[o + nm] = v;
          choice[o + nm] = k;
        }
      }
    }
  }
  // the fullest reachable mask (all directions when m >= P), best total
  let bestMask = 0;
  let bestCount = -1;
  let bestVal = Number.NEGATIVE_INFINITY;
  for (let mask = 0; mask < S; mask++) {
    const v = best[m * S + mask];
    if (v === Number.NEGATIVE_INFINITY) continue;
    let c = 0;
    for (let x = mask; x; x &= x - 1) c++;
    if (c > bestCount || (c === bestCount && v > bestVal)) {
      bestCount = c;
      bestVal = v;
      bestMask = mask;
    }
  }
  const neuron = new Int32Array(P).fill(-1);
  let mask = bestMask;
  for (let i = m; i > 0; i--) {
    const k = choice[i * S + mask];
    if (k >= 0) {
      neuron[k] = i - 1;
      mask &= ~(1 << k);
    }
  }
  return neuron;
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
