/**
 * Symmetric incremental eigen-update: keeps M ≈ U diag(λ) Uᵀ (rank ≤ k, largest |λ| kept) under
 * symmetric low-rank updates M ← M + X C Xᵀ (X ∈ ℝ^{n×r}, C symmetric r × r). FORKS's sketch
 * update Φ_pp ← Φ_pp + s rᵀ + r sᵀ + κ s sᵀ is the rank-2 case X = [s r], C = [[κ, 1], [1, 0]]
 * (notes §2.7), so a (k + 2) × (k + 2) symmetric core suffices instead of the code's rank-3
 * unsymmetric Brand update.
 * @module
 */
import { type BlobReader, readInteger, readVector } from '@descent/tensor';
import { symEig } from './decompositions';
import { openStateBlob } from './stateBlob';
import { type BasisRotation, projectAndOrthonormalise } from './truncatedIncrementalSvd';

/** Plain-JSON state of a {@link SymmetricIncrementalEig}. */
export interface SymEigState {
  n: number;
  maxRank: number;
  rank: number;
  U: number[];
  values: number[];
  discarded: number;
}

/** Order of indices by |λ| descending. */
function byAbsDesc(values: Float64Array): number[] {
  return Array.from(values.keys()).sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
}

/** Rank-≤k eigendecomposition of a symmetric n × n matrix under symmetric low-rank updates. */
export class SymmetricIncrementalEig {
  readonly n: number;
  readonly maxRank: number;
  rank = 0;
  /** Eigenvectors, n × rank row-major (columns). */
  U: Float64Array = new Float64Array(0);
  /** Eigenvalues, by |λ| descending. */
  values: Float64Array = new Float64Array(0);
  /** Running sum of the discarded |λ_{k+1}| (bounds the 2-norm error). */
  discarded = 0;

  constructor(n: number, maxRank: number) {
    readInteger(n, 'n', { min: 1, max: 1e5 });
    readInteger(maxRank, 'maxRank', { min: 1, max: 1e5 });
    this.n = n;
    this.maxRank = Math.min(maxRank, n);
  }

  /** Replaces the state by the truncated eigendecomposition of the symmetric n × n `M`. */
  reset(M: Float64Array): void {
    readVector(M, 'M', { length: this.n * this.n });
    const { values, vectors } = symEig(M, this.n);
    this.setFrom(values, vectors, this.n, this.n, false);
    this.discarded = 0;
  }

  private setFrom(values: Float64Array, vectors: Float64Array, rows: number, cols: number, accumulate: boolean): void {
    let vmax = 0;
    for (let i = 0; i < values.length; i++) vmax = Math.max(vmax, Math.abs(values[i]));
    // numerical rank: drop |λ| ≤ 1e-12·max|λ| (round-off of the eigensolver)
    const order = byAbsDesc(values).filter((i) => Math.abs(values[i]) > 1e-12 * vmax);
    const keep = Math.min(this.maxRank, order.length);
    if (accumulate && keep < order.length) this.discarded += Math.abs(values[order[keep]]);
    this.values = Float64Array.from(order.slice(0, keep), (i) => values[i]);
    this.U = new Float64Array(rows * keep);
    for (let i = 0; i < rows; i++) for (let c = 0; c < keep; c++) this.U[i * keep + c] = vectors[i * cols + order[c]];
    this.rank = keep;
  }

  /** M ← M + X C Xᵀ with X (n × r row-major) and C (r × r symmetric). Returns how the basis U rotated. */
  update(X: Float64Array, C: Float64Array, r: number): BasisRotation {
    const n = this.n;
    readInteger(r, 'r', { min: 1, max: 1e5 });
    readVector(X, 'X', { length: n * r });
    readVector(C, 'C', { length: r * r });
    const k = this.rank;
    const px = projectAndOrthonormalise(this.U, k, X, n, r);
    const a = k + px.p;
    const L = (i: number, c: number) => (i < k ? px.C[i * r + c] : px.R[(i - k) * r + c]);
    // core = diag(λ, 0) + L C Lᵀ
    const LC = new Float64Array(a * r);
    for (let i = 0; i < a; i++) for (let c = 0; c < r; c++) {
      let s = 0;
      for (let t = 0; t < r; t++) s += L(i, t) * C[t * r + c];
      LC[i * r + c] = s;
    }
    const core = new Float64Array(a * a);
    for (let i = 0; i < a; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let c = 0; c < r; c++) s += LC[i * r + c] * L(j, c);
        if (i === j && i < k) s += this.values[i];
        core[i * a + j] = s;
        core[j * a + i] = s;
      }
    }
    const { values, vectors } = symEig(core, a);
    // select the kept eigenpairs in the core, then map only those to the original space: [U P]·W
    let vmax = 0;
    for (let i = 0; i < values.length; i++) vmax = Math.max(vmax, Math.abs(values[i]));
    const order = byAbsDesc(values).filter((i) => Math.abs(values[i]) > 1e-12 * vmax);
    const keep = Math.min(this.maxRank, order.length);
    if (keep < order.length) this.discarded += Math.abs(values[order[keep]]);
    const M = new Float64Array(a * keep);
    for (let t = 0; t < a; t++) for (let c = 0; c < keep; c++) M[t * keep + c] = vectors[t * a + order[c]];
    const U = new Float64Array(n * keep);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < keep; c++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += this.U[i * k + t] * M[t * keep + c];
        for (let t = 0; t < px.p; t++) s += px.P[i * px.p + t] * M[(k + t) * keep + c];
        U[i * keep + c] = s;
      }
    }
    this.U = U;
    this.values = Float64Array.from(order.slice(0, keep), (i) => values[i]);
    this.rank = keep;
    return { P: px.P, p: px.p, M, cols: keep, keep };
  }

  /** The dense reconstruction U diag(λ) Uᵀ. */
  reconstruct(): Float64Array {
    const { n, rank: k } = this;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += this.U[i * k + t] * this.values[t] * this.U[j * k + t];
      out[i * n + j] = s;
    }
    return out;
  }

  /** Plain-JSON state. */
  toJSON(): SymEigState {
    return { n: this.n, maxRank: this.maxRank, rank: this.rank, U: Array.from(this.U), values: Array.from(this.values), discarded: this.discarded };
  }

  /** Reads {@link SymmetricIncrementalEig.toJSON} and checks it (n × n, capped at `maxRank`, of rank `rank` when given, finite). */
  static read(r: BlobReader, n: number, maxRank: number, rank?: number): SymmetricIncrementalEig {
    const t = new SymmetricIncrementalEig(n, maxRank);
    r.integer('n', { min: n, max: n });
    r.integer('maxRank', { min: t.maxRank, max: t.maxRank });
    t.rank = rank === undefined ? r.integer('rank', { min: 0, max: t.maxRank }) : r.integer('rank', { min: rank, max: rank });
    t.U = r.vector('U', { length: n * t.rank });
    t.values = r.vector('values', { length: t.rank });
    t.discarded = r.number('discarded', { min: 0 });
    return t;
  }

  /** Restores from {@link SymmetricIncrementalEig.toJSON} (validated). */
  static fromJSON(j: SymEigState): SymmetricIncrementalEig {
    const r = openStateBlob(j, 'SymEigState');
    return SymmetricIncrementalEig.read(r, r.integer('n', { min: 1, max: 1e5 }), r.integer('maxRank', { min: 1 }));
  }
}
