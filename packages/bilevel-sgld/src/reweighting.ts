/**
 * Data re-weighting / hyper-cleaning (Franceschi et al. 2017; paper notes §3.2 item 3): a
 * multinomial logistic regression whose training examples carry weights σ(λᵢ), one hyperparameter
 * per example, tuned on a clean validation set. With exact float64 oracles:
 *
 *   L_T(θ, λ) = (1/n) Σᵢ σ(λᵢ) ℓᵢ(θ) + (γ/2)‖θ‖²,   L_V(θ) = (1/n_v) Σⱼ ℓⱼ^val(θ),
 *   ℓᵢ = −log softmax(W xᵢ)_{yᵢ},  θ = W (k × (f + 1), a bias column appended),
 *   H v = (1/n) Σᵢ σ(λᵢ) [(diag pᵢ − pᵢpᵢᵀ)(V xᵢ)] xᵢᵀ + γ v,
 *   (Bᵀv)ᵢ = (1/n) σ′(λᵢ) (pᵢ − e_{yᵢ})ᵀ(V xᵢ),   B u = (1/n) Σᵢ σ′(λᵢ) uᵢ (pᵢ − e_{yᵢ}) xᵢᵀ.
 *
 * Examples with σ(λᵢ) < ½ after the outer loop are flagged as corrupted.
 * @module
 */
import { ShapeError, ValueError, option, readInteger, readVector, resolveOptions } from '@descent/tensor';
import type { BilevelProblem } from './problem';

/** Training and validation data of {@link reweightingProblem}: rows of features, integer class ids. */
export interface ReweightingData {
  /** Training features, example after example (n × f). */
  x: ArrayLike<number>;
  /** Training class ids in [0, classes). */
  y: ArrayLike<number>;
  /** Validation features (n_v × f). */
  xVal: ArrayLike<number>;
  /** Validation class ids. */
  yVal: ArrayLike<number>;
  /** f. */
  features: number;
  /** k. */
  classes: number;
}

/** Options of {@link reweightingProblem}. */
export interface ReweightingOptions {
  /** L2 penalty γ (default 1e-3). */
  l2?: number;
}

/** The re-weighting problem with its accuracy helper. */
export interface ReweightingProblem extends BilevelProblem {
  /** n (= p, one weight per training example). */
  readonly examples: number;
  /** Fraction of rows of `x` (n × f) classified correctly by θ. */
  accuracy(theta: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>): number;
}

function readLabels(y: ArrayLike<number>, n: number, k: number, name: string): Int32Array {
  const v = readVector(y, name, { length: n });
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(v[i]) || v[i] < 0 || v[i] >= k) {
      throw new ValueError(`${name} must hold class ids in [0, ${k}), got ${v[i]} at index ${i}`, name);
    }
    out[i] = v[i];
  }
  return out;
}

/** Rows with a bias 1 appended (n × (f + 1)). */
function withBias(x: ArrayLike<number>, f: number, name: string): { rows: Float64Array; n: number } {
  const v = readVector(x, name);
  if (v.length % f !== 0 || v.length === 0) throw new ShapeError(`${name} must have n·features entries, got ${v.length}`, name);
  const n = v.length / f;
  const rows = new Float64Array(n * (f + 1));
  for (let i = 0; i < n; i++) {
    rows.set(v.subarray(i * f, (i + 1) * f), i * (f + 1));
    rows[i * (f + 1) + f] = 1;
  }
  return { rows, n };
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** The hyper-cleaning bilevel problem (see the module comment). */
export function reweightingProblem(data: ReweightingData, options: ReweightingOptions = {}): ReweightingProblem {
  const o = resolveOptions(options, { l2: option.number({ min: 0, default: 1e-3 }) });
  if (data === null || typeof data !== 'object') throw new ValueError('data must be { x, y, xVal, yVal, features, classes }', 'data');
  const f = readInteger(data.features, 'data.features', { min: 1 });
  const k = readInteger(data.classes, 'data.classes', { min: 2 });
  const train = withBias(data.x, f, 'data.x');
  const val = withBias(data.xVal, f, 'data.xVal');
  const y = readLabels(data.y, train.n, k, 'data.y');
  const yVal = readLabels(data.yVal, val.n, k, 'data.yVal');
  const F = f + 1;
  const d = k * F;
  const n = train.n;
  const th = (theta: ArrayLike<number>) => readVector(theta, 'theta', { length: d });
  const lam = (lambda: ArrayLike<number>) => readVector(lambda, 'lambda', { length: n });
  /** Row i's logits → probabilities into p; returns −log p_y. */
  const probs = (W: Float64Array, rows: Float64Array, i: number, label: number, p: Float64Array): number => {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < F; j++) s += W[c * F + j] * rows[i * F + j];
      p[c] = s;
      if (s > max) max = s;
    }
    const logitY = p[label];
    let z = 0;
    for (let c = 0; c < k; c++) {
      p[c] = Math.exp(p[c] - max);
      z += p[c];
    }
    for (let c = 0; c < k; c++) p[c] /= z;
    return Math.log(z) + max - logitY;
  };
  /** V x_i (k-vector). */
  const project = (V: Float64Array, rows: Float64Array, i: number, out: Float64Array) => {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < F; j++) s += V[c * F + j] * rows[i * F + j];
      out[c] = s;
    }
  };
  const p = new Float64Array(k);
  const q = new Float64Array(k);
  const meanGradient = (W: Float64Array, rows: Float64Array, labels: Int32Array, count: number, weight: (i: number) => number) => {
    const g = new Float64Array(d);
    for (let i = 0; i < count; i++) {
      const w = weight(i);
      if (w === 0) continue;
      probs(W, rows, i, labels[i], p);
      p[labels[i]] -= 1;
      for (let c = 0; c < k; c++) {
        const a = (w * p[c]) / count;
        for (let j = 0; j < F; j++) g[c * F + j] += a * rows[i * F + j];
      }
    }
    return g;
  };
  return {
    dim: d,
    hyperDim: n,
    examples: n,
    innerGradient(theta, lambda) {
      const W = th(theta);
      const l = lam(lambda);
      const g = meanGradient(W, train.rows, y, n, (i) => sigmoid(l[i]));
      for (let t = 0; t < d; t++) g[t] += o.l2 * W[t];
      return g;
    },
    innerHyperGradient(theta, lambda) {
      const W = th(theta);
      const l = lam(lambda);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const s = sigmoid(l[i]);
        out[i] = (s * (1 - s) * probs(W, train.rows, i, y[i], p)) / n;
      }
      return out;
    },
    outerValue(theta, lambda) {
      const W = th(theta);
      lam(lambda);
      let s = 0;
      for (let i = 0; i < val.n; i++) s += probs(W, val.rows, i, yVal[i], p);
      return s / val.n;
    },
    outerGradient(theta, lambda) {
      lam(lambda);
      return meanGradient(th(theta), val.rows, yVal, val.n, () => 1);
    },
    outerHyperGradient(theta, lambda) {
      th(theta);
      lam(lambda);
      return new Float64Array(n);
    },
    innerHvp(theta, lambda, v) {
      const W = th(theta);
      const l = lam(lambda);
      const V = readVector(v, 'v', { length: d });
      const out = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        probs(W, train.rows, i, y[i], p);
        project(V, train.rows, i, q);
        let pq = 0;
        for (let c = 0; c < k; c++) pq += p[c] * q[c];
        const w = sigmoid(l[i]) / n;
        for (let c = 0; c < k; c++) {
          const a = w * p[c] * (q[c] - pq);
          for (let j = 0; j < F; j++) out[c * F + j] += a * train.rows[i * F + j];
        }
      }
      for (let t = 0; t < d; t++) out[t] += o.l2 * V[t];
      return out;
    },
    innerMixedVjp(theta, lambda, v) {
      const W = th(theta);
      const l = lam(lambda);
      const V = readVector(v, 'v', { length: d });
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        probs(W, train.rows, i, y[i], p);
        p[y[i]] -= 1;
        project(V, train.rows, i, q);
        let s = 0;
        for (let c = 0; c < k; c++) s += p[c] * q[c];
        const sg = sigmoid(l[i]);
        out[i] = (sg * (1 - sg) * s) / n;
      }
      return out;
    },
    innerMixedJvp(theta, lambda, u) {
      const W = th(theta);
      const l = lam(lambda);
      const U = readVector(u, 'u', { length: n });
      return meanGradient(W, train.rows, y, n, (i) => {
        const sg = sigmoid(l[i]);
        return sg * (1 - sg) * U[i];
      });
    },
    accuracy(theta, x, labels) {
      const W = th(theta);
      const rows = withBias(x, f, 'x');
      const ys = readLabels(labels, rows.n, k, 'y');
      let right = 0;
      for (let i = 0; i < rows.n; i++) {
        probs(W, rows.rows, i, ys[i], p);
        let best = 0;
        for (let c = 1; c < k; c++) if (p[c] > p[best]) best = c;
        if (best === ys[i]) right++;
      }
      return right / rows.n;
    },
  };
}
