/**
 * The paper's Figure-2 diagnostics: cosines between learned weights and the cluster centres,
 * and two summary scores.
 *
 * - Feature averaging (binary net): each neuron aligns equally with all centres of its class;
 *   a perfect average of s orthogonal equal-norm centres has cosine 1/√s with each of them
 *   (1/√5 ≈ 0.447 in the paper's Fig. 2a), and ≈ 0 with the other class's centres.
 * - Feature decoupling (multi-class net): the equivalent weight w̄_j = (1/h) Σ_r w_{j,r} of
 *   sub-network j aligns with μ_j alone (cosine ≈ 0.99 in Fig. 2b).
 * @module
 */
import { ShapeError, ValueError, assertInteger, describe } from '@descent/tensor';
import { type TwoLayerParams, type TwoLayerReLU, checkParams } from './twoLayerReLU';

/**
 * cos(w_r, μ_j) for every row r of `rows` (p×d) and centre j (k×d): a row-major p×k matrix.
 * A zero row gives cosines 0.
 */
export function cosineMatrix(rows: Float64Array, centers: Float64Array, d: number): Float64Array {
  assertInteger('d', d, 1);
  if (!(rows instanceof Float64Array) || rows.length % d !== 0) {
    throw new ShapeError(
      `rows must be a Float64Array of length p·d (d = ${d}), got ${describe(rows)}`,
      'rows',
    );
  }
  if (!(centers instanceof Float64Array) || centers.length % d !== 0 || centers.length === 0) {
    throw new ShapeError(
      `centers must be a Float64Array of length k·d (d = ${d}), got ${describe(centers)}`,
      'centers',
    );
  }
  const p = rows.length / d;
  const k = centers.length / d;
  const norm = (a: Float64Array, i: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += a[i * d + t] ** 2;
    return Math.sqrt(s);
  };
  const cn = Array.from({ length: k }, (_, j) => norm(centers, j));
  const out = new Float64Array(p * k);
  for (let r = 0; r < p; r++) {
    const rn = norm(rows, r);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += rows[r * d + t] * centers[j * d + t];
      out[r * k + j] = rn === 0 || cn[j] === 0 ? 0 : s / (rn * cn[j]);
    }
  }
  return out;
}

/**
 * The multi-class net's equivalent weights w̄_j = (1/h) Σ_r w_{j,r} (row-major k×d): the
 * direction each sub-network's average neuron points to.
 */
export function equivalentWeights(model: TwoLayerReLU, params: TwoLayerParams): Float64Array {
  checkParams(model, params);
  if (model.kind !== 'multiclass')
    throw new ValueError('equivalentWeights needs a multi-class model', 'model');
  const { d, outputs: k, neurons: M } = model;
  const h = M / k;
  const out = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    for (let r = 0; r < h; r++) {
      const w = (j * h + r) * d;
      for (let t = 0; t < d; t++) out[j * d + t] += params.W[w + t] / h;
    }
  }
  return out;
}

/** Result of {@link averagingScore}. */
export interface AveragingScore {
  /** Mean cosine of each neuron with the centres of its own class (J₊ for +1/m neurons). */
  inClass: number;
  /** The perfect-average value: mean over neurons of 1/√|J_s| for the neuron's class s. */
  ideal: number;
  /** Mean |cosine| of each neuron with the other class's centres (≈ 0 under averaging). */
  offClass: number;
  /** Per neuron: the spread max − min of its in-class cosines (≈ 0 when it averages equally). */
  spread: number[];
}

/**
 * How close the binary net's neurons are to feature averaging: neuron r with head sign s
 * should have cosine 1/√|J_s| with every centre of class s and 0 with the others.
 */
export function averagingScore(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  centers: Float64Array,
  positive: ArrayLike<number>,
): AveragingScore {
  checkParams(model, params);
  if (model.kind !== 'binary') throw new ValueError('averagingScore needs a binary model', 'model');
  const { d, neurons: M } = model;
  const cos = cosineMatrix(params.W, centers, d); // checks centers
  const k = centers.length / d;
  if (positive == null || typeof positive !== 'object' || typeof positive.length !== 'number') {
    throw new ValueError(`positive must be an array of cluster indices, got ${describe(positive)}`, 'positive');
  }
  const isPos = new Uint8Array(k);
  for (let i = 0; i < positive.length; i++) {
    assertInteger(`positive[${i}]`, positive[i], 0, k - 1);
    isPos[positive[i]] = 1;
  }
  const nPos = isPos.reduce((a, b) => a + b, 0);
  if (nPos === 0 || nPos === k) throw new ValueError('positive must leave both classes non-empty', 'positive');
  let inClass = 0;
  let ideal = 0;
  let offClass = 0;
  const spread: number[] = [];
  for (let r = 0; r < M; r++) {
    const sign = model.head[r] > 0 ? 1 : 0;
    const own = sign ? nPos : k - nPos;
    let sIn = 0;
    let sOff = 0;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const c = cos[r * k + j];
      if (isPos[j] === sign) {
        sIn += c;
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      } else sOff += Math.abs(c);
    }
    inClass += sIn / own / M;
    offClass += sOff / (k - own) / M;
    ideal += 1 / Math.sqrt(own) / M;
    spread.push(hi - lo);
  }
  return { inClass, ideal, offClass, spread };
}

/** Result of {@link decouplingScore}. */
export interface DecouplingScore {
  /** Mean cos(w̄_j, μ_j) (≈ 1 when decoupled). */
  diagonal: number;
  /** min_j cos(w̄_j, μ_j). */
  minDiagonal: number;
  /** Mean |cos(w̄_j, μ_i)| over i ≠ j. */
  offDiagonal: number;
}

/** How close the multi-class net's equivalent weights are to one centre each. */
export function decouplingScore(
  model: TwoLayerReLU,
  params: TwoLayerParams,
  centers: Float64Array,
): DecouplingScore {
  checkParams(model, params);
  if (model.kind !== 'multiclass') throw new ValueError('decouplingScore needs a multi-class model', 'model');
  const k = model.outputs;
  if (!(centers instanceof Float64Array) || centers.length !== k * model.d) {
    throw new ShapeError(`centers must have length k·d = ${k * model.d} (a Float64Array), got ${describe(centers)}`, 'centers');
  }
  const cos = cosineMatrix(equivalentWeights(model, params), centers, model.d);
  let diagonal = 0;
  let minDiagonal = Number.POSITIVE_INFINITY;
  let offDiagonal = 0;
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) {
      const c = cos[j * k + i];
      if (i === j) {
        diagonal += c / k;
        minDiagonal = Math.min(minDiagonal, c);
      } else offDiagonal += Math.abs(c) / (k * (k - 1));
    }
  }
  return { diagonal, minDiagonal, offDiagonal };
}
