/**
 * The Moore–Penrose pseudo-inverse A⁺ of an m × n matrix A kept up to date under the row
 * updates A ← A + e_j dᵀ of FORKS's sketch update (one row of Φ_pm changes, notes §2.7, §2.11),
 * in O(mn) per update instead of a fresh O(mn²) SVD.
 *
 * With k = A⁺e_j, h = A⁺ᵀd, u = e_j − Ak (the part of e_j outside A's range), v = d − Aᵀh (the
 * part of d outside A's row space) and β = 1 + dᵀk, Meyer (1973, "Generalized inversion of
 * modified matrices", Theorem 5) gives two cases used here:
 *
 * - v = 0, β ≠ 0 (the rank does not change):
 *   (A + e_j dᵀ)⁺ = A⁺ + (1/β)(A⁺h)uᵀ − (β/σ)·p qᵀ with σ = ‖h‖²‖u‖² + β²,
 *   p = −(‖u‖²/β)A⁺h − k and q = −(‖h‖²/β)u − h;
 * - u ≠ 0, v ≠ 0 (the rank grows by one): (A + e_j dᵀ)⁺ = A⁺ − k u⁺ − v⁺h + β v⁺u⁺ with
 *   u⁺ = uᵀ/‖u‖² and v⁺ = v/‖v‖².
 *
 * v counts as 0 when ‖v‖ ≤ `tol` (the pseudo-inverse's singular-value cut-off: a fresh truncated
 * pseudo-inverse would drop that direction too); the second case needs ‖u‖ and ‖v‖/‖d‖ of at
 * least 1e-4, so that u⁺ and v⁺ do not amplify round-off. In between, when β ≈ 0, and every
 * `refreshEvery` updates (so that round-off cannot accumulate; default n, which keeps the
 * amortised cost O(mn)), A⁺ is recomputed in full from A (the reference code's SVD
 * pseudo-inverse, singular values ≤ `tol` dropped).
 * @module
 */
import { ShapeError, assertInteger, gemv, gemvT } from '@descent/tensor';
import { pinvFlat } from './decompositions';

/** The change of A⁺ made by one row update: A⁺ ← A⁺ + a₁b₁ᵀ + a₂b₂ᵀ (a: n, b: m). */
export interface PinvDelta {
  a1: Float64Array;
  b1: Float64Array;
  a2: Float64Array;
  b2: Float64Array;
}

/** A⁺ of an m × n matrix maintained under row updates (Meyer's rank-1 formulas). */
export class IncrementalPseudoInverse {
  readonly m: number;
  readonly n: number;
  /** Absolute singular-value cut-off (reference code: 1e-8). */
  readonly tol: number;
  /** Full recomputation every `refreshEvery` row updates. */
  readonly refreshEvery: number;
  /** A⁺, n × m row-major. */
  data: Float64Array;
  /** Row updates since the last full recomputation. */
  sinceRefresh = 0;
  /** Full recomputations so far (not counting the first). */
  recomputations = 0;

  /** A⁺ of the row-major m × n `A` (computed in full; skipped when `data` is given, e.g. on restore). */
  constructor(A: Float64Array, m: number, n: number, tol = 1e-8, refreshEvery = n, data?: Float64Array) {
    assertInteger('m', m, 1);
    assertInteger('n', n, 1);
    assertInteger('refreshEvery', refreshEvery, 1);
    if (A.length !== m * n) throw new ShapeError(`A must have length m*n = ${m * n}, got ${A.length}`, 'A');
    if (data && data.length !== m * n) throw new ShapeError(`data must have length m*n = ${m * n}, got ${data.length}`, 'data');
    this.m = m;
    this.n = n;
    this.tol = tol;
    this.refreshEvery = refreshEvery;
    this.data = data ?? pinvFlat(A, m, n, tol);
  }

  /** Recomputes A⁺ in full from the current `A`. */
  recompute(A: Float64Array): void {
    this.data = pinvFlat(A, this.m, this.n, this.tol);
    this.sinceRefresh = 0;
    this.recomputations++;
  }

  /**
   * Updates A⁺ for A ← A + e_j dᵀ, where `A` is the matrix *before* the update (it is not
   * modified). Returns the rank-2 change of A⁺, or `undefined` when the caller must recompute
   * (call {@link IncrementalPseudoInverse.recompute} with the updated matrix).
   */
  rowUpdate(A: Float64Array, j: number, d: ArrayLike<number>): PinvDelta | undefined {
    const { m, n } = this;
    const P = this.data;
    if (++this.sinceRefresh >= this.refreshEvery) return undefined;
    const k = new Float64Array(n);
    for (let i = 0; i < n; i++) k[i] = P[i * m + j];
    const dv = d instanceof Float64Array ? d : Float64Array.from(d);
    let dd = 0;
    for (let i = 0; i < n; i++) dd += dv[i] * dv[i];
    // h = A⁺ᵀd, v = d − Aᵀh, u = e_j − A k (the core's gemv/gemvT; P = A⁺ is n×m, A is m×n)
    const h = new Float64Array(m);
    gemvT(n, m, 1, P, m, dv, 0, h);
    const v = new Float64Array(n);
    gemvT(m, n, -1, A, n, h, 0, v);
    let vv = 0;
    for (let i = 0; i < n; i++) {
      v[i] += dv[i];
      vv += v[i] * v[i];
    }
    const u = new Float64Array(m);
    gemv(m, n, -1, A, n, k, 0, u);
    u[j] += 1;
    let uu = 0;
    for (let t = 0; t < m; t++) uu += u[t] * u[t];
    let beta = 1;
    for (let i = 0; i < n; i++) beta += dv[i] * k[i];
    let delta: PinvDelta;
    if (vv <= this.tol * this.tol) {
      if (!(Math.abs(beta) > 1e-8)) return undefined;
      let hh = 0;
      for (let t = 0; t < m; t++) hh += h[t] * h[t];
      const Ph = new Float64Array(n);
      gemv(n, m, 1, P, m, h, 0, Ph);
      const c = beta / (hh * uu + beta * beta);
      delta = {
        a1: Float64Array.from(Ph, (x) => x / beta),
        b1: u,
        a2: Float64Array.from(Ph, (x, i) => -c * (-(uu / beta) * x - k[i])),
        b2: Float64Array.from(h, (x, t) => -(hh / beta) * u[t] - x),
      };
    } else if (uu >= 1e-8 && vv >= 1e-8 * dd) {
      delta = {
        a1: Float64Array.from(k, (x) => -x),
        b1: Float64Array.from(u, (x) => x / uu),
        a2: Float64Array.from(v, (x) => x / vv),
        b2: Float64Array.from(h, (x, t) => (beta * u[t]) / uu - x),
      };
    } else {
      return undefined;
    }
    const { a1, b1, a2, b2 } = delta;
    for (let i = 0; i < n; i++) {
      const x1 = a1[i];
      const x2 = a2[i];
      const row = i * m;
      for (let t = 0; t < m; t++) P[row + t] += x1 * b1[t] + x2 * b2[t];
    }
    return delta;
  }
}
