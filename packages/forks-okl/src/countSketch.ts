/**
 * Count sketch (sparse JL transform with one ±1 per row, SkeGD/FORKS's S_p) and the uniform
 * column sampler (S_m). Both are stored implicitly: S_p as a hash h: [n] → [s] and signs
 * ς: [n] → {±1}; S_m as s_m distinct indices (no rescaling, as in the reference code).
 * @module
 */
import { Rng, ShapeError, ValueError, assertInteger, describe, readOptions } from '@descent/tensor';

/** S ∈ ℝ^{n×s} with S[i, h(i)] = ς(i) and zeros elsewhere. */
export interface CountSketch {
  /** Rows n. */
  n: number;
  /** Columns s. */
  s: number;
  /** Hash h(i) ∈ [0, s). */
  hash: Int32Array;
  /** Sign ς(i) ∈ {−1, +1}. */
  sign: Float64Array;
}

/** Draws a count sketch with n rows and s columns from `rng`. */
export function countSketch(n: number, s: number, rng: Rng): CountSketch {
  assertInteger('n', n, 0, 1e7);
  assertInteger('s', s, 1, 1e7);
  checkRng(rng);
  const hash = new Int32Array(n);
  const sign = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    hash[i] = rng.int(s);
    sign[i] = rng.uniform() < 0.5 ? -1 : 1;
  }
  return { n, s, hash, sign };
}

/**
 * Checks that `S` is a count sketch: integer sizes, `hash` an Int32Array of length n with entries in
 * [0, s), `sign` a Float64Array of length n with entries ±1 (O(n); `entries: false` checks the shapes only).
 */
export function readCountSketch(S: unknown, name = 'S', entries = true): CountSketch {
  const o = readOptions<CountSketch>(S, name);
  assertInteger(`${name}.n`, o.n, 0);
  assertInteger(`${name}.s`, o.s, 1);
  const n = o.n as number;
  const s = o.s as number;
  if (!(o.hash instanceof Int32Array) || o.hash.length !== n) throw new ShapeError(`${name}.hash must be an Int32Array of length ${n}, got ${describe(o.hash)}`, `${name}.hash`);
  if (!(o.sign instanceof Float64Array) || o.sign.length !== n) throw new ShapeError(`${name}.sign must be a Float64Array of length ${n}, got ${describe(o.sign)}`, `${name}.sign`);
  if (entries) {
    for (let i = 0; i < n; i++) {
      if (!(o.hash[i] >= 0 && o.hash[i] < s)) throw new ValueError(`${name}.hash[${i}] must be in [0, ${s}), got ${o.hash[i]}`, `${name}.hash`);
      if (o.sign[i] !== 1 && o.sign[i] !== -1) throw new ValueError(`${name}.sign[${i}] must be -1 or +1, got ${o.sign[i]}`, `${name}.sign`);
    }
  }
  return o as CountSketch;
}

/** `rng` must be an {@link Rng} of @descent/tensor. */
function checkRng(rng: unknown): void {
  if (!(rng instanceof Rng)) throw new ValueError(`rng must be an Rng of @descent/tensor, got ${describe(rng)}`, 'rng');
}

/** Sᵀv ∈ ℝ^s for v ∈ ℝ^n: out[h(i)] += ς(i)·v[i]. O(n). */
export function countSketchApply(S: CountSketch, v: ArrayLike<number>, out: Float64Array = new Float64Array(S.s)): Float64Array {
  if (v.length < S.n) throw new ShapeError(`v must have length ${S.n}, got ${v.length}`, 'v');
  out.fill(0);
  for (let i = 0; i < S.n; i++) out[S.hash[i]] += S.sign[i] * v[i];
  return out;
}

/** The dense n × s matrix of S (row-major), for tests and small problems. */
export function countSketchDense(S: CountSketch): Float64Array {
  readCountSketch(S);
  const M = new Float64Array(S.n * S.s);
  for (let i = 0; i < S.n; i++) M[i * S.s + S.hash[i]] = S.sign[i];
  return M;
}

/**
 * SᵀKT for a symmetric n × n K (row-major) and a right factor T given as a column selector
 * (`cols`, giving SᵀK[:, cols], s × m) or as a second count sketch (s × s').
 */
export function sketchKernel(S: CountSketch, K: Float64Array, right: CountSketch | Int32Array): Float64Array {
  const n = S.n;
  if (right instanceof Int32Array) {
    const m = right.length;
    const out = new Float64Array(S.s * m);
    for (let i = 0; i < n; i++) {
      const r = S.hash[i] * m;
      const sg = S.sign[i];
      const row = i * n;
      for (let b = 0; b < m; b++) out[r + b] += sg * K[row + right[b]];
    }
    return out;
  }
  const t = right.s;
  const out = new Float64Array(S.s * t);
  for (let i = 0; i < n; i++) {
    const r = S.hash[i] * t;
    const sg = S.sign[i];
    const row = i * n;
    for (let j = 0; j < n; j++) out[r + right.hash[j]] += sg * right.sign[j] * K[row + j];
  }
  return out;
}

/** s distinct indices drawn uniformly from [0, n) (the column sampler S_m), sorted ascending. */
export function columnSampler(n: number, s: number, rng: Rng): Int32Array {
  assertInteger('n', n, 1, 1e7);
  assertInteger('s', s, 1, n);
  checkRng(rng);
  const idx = rng.choice(n, s, { replace: false });
  return Int32Array.from(idx).sort();
}
