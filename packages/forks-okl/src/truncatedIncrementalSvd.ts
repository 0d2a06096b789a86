/**
 * Truncated incremental SVD (Brand 2006; FORKS's "TISVD", notes §2.8): keeps M ≈ U diag(Σ) Vᵀ
 * of rank ≤ `maxRank` under low-rank updates M ← M + X Yᵀ (X, Y ∈ ℝ^{n×r}) in
 * O(n(k + r)² + (k + r)³) per update instead of a fresh O(n³) SVD:
 *
 * 1. P̃ = (I − UUᵀ)X, Q̃ = (I − VVᵀ)Y, P = orth(P̃), Q = orth(Q̃), R_X = PᵀX, R_Y = QᵀY;
 * 2. core K = [[Σ, 0], [0, 0]] + [UᵀX; R_X][VᵀY; R_Y]ᵀ;
 * 3. K = U′Σ′V′ᵀ, truncated to rank k;
 * 4. U ← [U P]U′ₖ, V ← [V Q]V′ₖ, Σ ← Σ′ₖ.
 *
 * Unlike the reference code (notes §2.12 #1) P and Q are orthonormalised separately, so the
 * update is correct for unsymmetric M. Projections are applied twice (re-orthogonalisation)
 * so that untruncated updates match a batch SVD to ~1e-12.
 * Error bound (triangle inequality): ‖M − UΣVᵀ‖₂ ≤ Σ over updates of the discarded σ_{k+1};
 * the running sum is {@link TruncatedIncrementalSvd.discarded}.
 * @module
 */
import { type BlobReader, gemm, readInteger, readVector } from '@descent/tensor';
import { thinSvd } from './decompositions';
import { openStateBlob } from './stateBlob';

/** Plain-JSON state of a {@link TruncatedIncrementalSvd}. */
export interface TisvdState {
  n: number;
  m: number;
  maxRank: number;
  rank: number;
  U: number[];
  S: number[];
  V: number[];
  discarded: number;
}

/**
 * Orthonormalises the r columns of the row-major n × r `X` against the n × k basis `U`
 * (twice, classical Gram–Schmidt with re-orthogonalisation) and among themselves.
 * Returns the coefficients C = UᵀX (k × r), the new basis P (n × p, p ≤ r, rank-deficient
 * directions dropped) and R = PᵀX (p × r).
 */
export function projectAndOrthonormalise(
  U: Float64Array,
  k: number,
  X: Float64Array,
  n: number,
  r: number,
  tol = 1e-12,
): { C: Float64Array; P: Float64Array; p: number; R: Float64Array } {
  const res = Float64Array.from(X);
  const C = new Float64Array(k * r);
  let scale = 0;
  for (let i = 0; i < X.length; i++) scale = Math.max(scale, Math.abs(X[i]));
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < k; a++) {
      for (let c = 0; c < r; c++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += U[i * k + a] * res[i * r + c];
        C[a * r + c] += s;
        for (let i = 0; i < n; i++) res[i * r + c] -= s * U[i * k + a];
      }
    }
  }
  // modified Gram–Schmidt (twice) on the residual columns
  const cols: Float64Array[] = [];
  const Rrows: Float64Array[] = [];
  for (let c = 0; c < r; c++) {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = res[i * r + c];
    const coef = new Float64Array(cols.length);
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < cols.length; q++) {
        const b = cols[q];
        let s = 0;
        for (let i = 0; i < n; i++) s += b[i] * v[i];
        coef[q] += s;
        for (let i = 0; i < n; i++) v[i] -= s * b[i];
      }
    }
    let nv = 0;
    for (let i = 0; i < n; i++) nv += v[i] * v[i];
    nv = Math.sqrt(nv);
    for (let q = 0; q < cols.length; q++) Rrows[q][c] = coef[q];
    if (nv > tol * Math.max(scale, 1e-300) * Math.sqrt(n)) {
      for (let i = 0; i < n; i++) v[i] /= nv;
      const row = new Float64Array(r);
      row[c] = nv;
      cols.push(v);
      Rrows.push(row);
    }
  }
  const p = cols.length;
  const P = new Float64Array(n * p);
  for (let q = 0; q < p; q++) for (let i = 0; i < n; i++) P[i * p + q] = cols[q][i];
  const R = new Float64Array(p * r);
  for (let q = 0; q < p; q++) R.set(Rrows[q], q * r);
  return { C, P, p, R };
}

/**
 * How a decomposition update rotated its basis: new basis = [old basis, P]·M[:, :keep], with P the
 * n × p new orthonormal directions and M the (k + p) × cols core vectors (row-major).
 */
export interface BasisRotation {
  P: Float64Array;
  p: number;
  M: Float64Array;
  cols: number;
  keep: number;
}

/** [A B]·W where A is n × a, B is n × b (row-major) and W is (a + b) × w; keeps the first `keep` columns of W. */
function combine(A: Float64Array, a: number, Bm: Float64Array, b: number, n: number, W: Float64Array, w: number, keep: number): Float64Array {
  // out = A·W[:a, :keep] + B·W[a:, :keep] (the core's gemm)
  const out = new Float64Array(n * keep);
  if (keep === 0) return out;
  if (a > 0) gemm(false, false, n, keep, a, 1, A, a, W, w, 0, out, keep);
  if (b > 0) gemm(false, false, n, keep, b, 1, Bm, b, W.subarray(a * w), w, 1, out, keep);
  return out;
}

/** Rank-≤k SVD of an n × m matrix maintained under low-rank updates (Brand). */
export class TruncatedIncrementalSvd {
  readonly n: number;
  readonly m: number;
  readonly maxRank: number;
  /** Current rank. */
  rank = 0;
  /** Left singular vectors, n × rank row-major. */
  U: Float64Array;
  /** Singular values, descending. */
  S: Float64Array;
  /** Right singular vectors, m × rank row-major. */
  V: Float64Array;
  /** Running sum of discarded singular values σ_{k+1} (bounds ‖M − UΣVᵀ‖₂). */
  discarded = 0;

  /** An empty decomposition (M = 0) of an n × m matrix, rank cap `maxRank` (min(n, m) or more = no truncation). */
  constructor(n: number, m: number, maxRank: number) {
    readInteger(n, 'n', { min: 1, max: 1e5 });
    readInteger(m, 'm', { min: 1, max: 1e5 });
    readInteger(maxRank, 'maxRank', { min: 1, max: 1e5 });
    this.n = n;
    this.m = m;
    this.maxRank = Math.min(maxRank, n, m);
    this.U = new Float64Array(0);
    this.S = new Float64Array(0);
    this.V = new Float64Array(0);
  }

  /** Starts from the rank-k truncation of a batch SVD of the dense n × m `M`. */
  static fromMatrix(M: Float64Array, n: number, m: number, maxRank: number): TruncatedIncrementalSvd {
    const t = new TruncatedIncrementalSvd(n, m, maxRank);
    t.reset(M);
    return t;
  }

  /** Replaces the state by the truncated batch SVD of `M` (a "resync"). */
  reset(M: Float64Array): void {
    readVector(M, 'M', { length: this.n * this.m });
    const { U, S, V, rank } = thinSvd(M, this.n, this.m);
    const k = Math.min(this.maxRank, rank);
    let kk = 0;
    while (kk < k && S[kk] > 1e-12 * S[0]) kk++;
    this.rank = kk;
    this.S = S.slice(0, kk);
    this.U = takeCols(U, this.n, rank, kk);
    this.V = takeCols(V, this.m, rank, kk);
    this.discarded = 0;
  }

  /**
   * M ← M + X Yᵀ with X (n × r) and Y (m × r) row-major. Returns how the right basis V rotated
   * (new V = [V, P]·M[:, :rank]), which lets callers update quantities that depend on V.
   */
  update(X: Float64Array, Y: Float64Array, r: number): BasisRotation {
    const { n, m } = this;
    readInteger(r, 'r', { min: 1, max: 1e5 });
    readVector(X, 'X', { length: n * r });
    readVector(Y, 'Y', { length: m * r });
    const k = this.rank;
    const px = projectAndOrthonormalise(this.U, k, X, n, r);
    const py = projectAndOrthonormalise(this.V, k, Y, m, r);
    const a = k + px.p;
    const b = k + py.p;
    // core K = diag(Σ, 0) + [C_X; R_X][C_Y; R_Y]ᵀ  (a × b)
    const K = new Float64Array(a * b);
    for (let i = 0; i < k; i++) K[i * b + i] = this.S[i];
    const left = (i: number, c: number) => (i < k ? px.C[i * r + c] : px.R[(i - k) * r + c]);
    const right = (j: number, c: number) => (j < k ? py.C[j * r + c] : py.R[(j - k) * r + c]);
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) {
        let s = 0;
        for (let c = 0; c < r; c++) s += left(i, c) * right(j, c);
        K[i * b + j] += s;
      }
    }
    const core = thinSvd(K, a, b);
    let keep = Math.min(this.maxRank, core.rank);
    // numerical rank: singular values ≤ 1e-12·σ₁ are round-off of the core SVD
    while (keep > 0 && !(core.S[keep - 1] > 1e-12 * core.S[0])) keep--;
    if (keep < core.rank) this.discarded += core.S[keep];
    this.U = combine(this.U, k, px.P, px.p, n, core.U, core.rank, keep);
    this.V = combine(this.V, k, py.P, py.p, m, core.V, core.rank, keep);
    this.S = core.S.slice(0, keep);
    this.rank = keep;
    return { P: py.P, p: py.p, M: core.V, cols: core.rank, keep };
  }

  /** The dense reconstruction UΣVᵀ (n × m). */
  reconstruct(): Float64Array {
    const { n, m, rank: k } = this;
    const out = new Float64Array(n * m);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += this.U[i * k + t] * this.S[t] * this.V[j * k + t];
        out[i * m + j] = s;
      }
    }
    return out;
  }

  /** Plain-JSON state. */
  toJSON(): TisvdState {
    return { n: this.n, m: this.m, maxRank: this.maxRank, rank: this.rank, U: Array.from(this.U), S: Array.from(this.S), V: Array.from(this.V), discarded: this.discarded };
  }

  /**
   * Reads {@link TruncatedIncrementalSvd.toJSON} and checks it: an n × m decomposition capped at
   * `maxRank`, of rank `rank` when given, with finite factors and descending non-negative values.
   */
  static read(r: BlobReader, n: number, m: number, maxRank: number, rank?: number): TruncatedIncrementalSvd {
    const t = new TruncatedIncrementalSvd(n, m, maxRank);
    r.integer('n', { min: n, max: n });
    r.integer('m', { min: m, max: m });
    r.integer('maxRank', { min: t.maxRank, max: t.maxRank });
    t.rank = rank === undefined ? r.integer('rank', { min: 0, max: t.maxRank }) : r.integer('rank', { min: rank, max: rank });
    t.U = r.vector('U', { length: n * t.rank });
    t.S = r.vector('S', { length: t.rank, min: 0 });
    for (let i = 1; i < t.rank; i++) if (t.S[i] > t.S[i - 1]) throw r.at('S').at(i).valueError(`<= S[${i - 1}] (singular values are descending)`);
    t.V = r.vector('V', { length: m * t.rank });
    t.discarded = r.number('discarded', { min: 0 });
    return t;
  }

  /** Restores from {@link TruncatedIncrementalSvd.toJSON} (validated). */
  static fromJSON(j: TisvdState): TruncatedIncrementalSvd {
    const r = openStateBlob(j, 'TisvdState');
    return TruncatedIncrementalSvd.read(r, r.integer('n', { min: 1, max: 1e5 }), r.integer('m', { min: 1, max: 1e5 }), r.integer('maxRank', { min: 1 }));
  }
}

/** The first `keep` columns of a row-major n × c matrix. */
export function takeCols(A: Float64Array, n: number, c: number, keep: number): Float64Array {
  if (keep === c) return A.slice(0, n * c);
  const out = new Float64Array(n * keep);
  for (let i = 0; i < n; i++) for (let j = 0; j < keep; j++) out[i * keep + j] = A[i * c + j];
  return out;
}
