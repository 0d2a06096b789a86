/**
 * Frequent Directions (Liberty 2013; Ghashami, Liberty, Phillips, Woodruff 2016): a deterministic
 * ℓ × d sketch B of a row stream A with 0 ⪯ AᵀA − BᵀB and
 * ‖AᵀA − BᵀB‖₂ ≤ ‖A − A_k‖²_F/(ℓ − k) for every k < ℓ (k = 0: ‖A‖²_F/ℓ).
 * Implementation with a 2ℓ-row buffer: when full, SVD the buffer, shrink σᵢ² by σ_ℓ² and keep
 * the top ℓ − 1 rows (amortised O(dℓ) per row).
 * @module
 */
import { type VectorLike, readInteger, readVector } from '@descent/tensor';
import { thinSvd } from './decompositions';

/** Frequent Directions sketch of a row stream. */
export class FrequentDirections {
  readonly d: number;
  readonly ell: number;
  private buf: Float64Array;
  private rows = 0;
  /** Rows seen. */
  count = 0;
  /** ‖A‖²_F of the rows seen. */
  frobenius2 = 0;

  constructor(d: number, ell: number) {
    readInteger(d, 'd', { min: 1, max: 1e6 });
    readInteger(ell, 'ell', { min: 1, max: 1e5 });
    this.d = d;
    this.ell = ell;
    this.buf = new Float64Array(2 * ell * d);
  }

  /** Appends one row a ∈ ℝ^d. */
  append(a: VectorLike): void {
    const v = readVector(a, 'a', { length: this.d, copy: true });
    if (this.rows === 2 * this.ell) this.shrink();
    this.buf.set(v, this.rows * this.d);
    this.rows++;
    this.count++;
    for (let i = 0; i < v.length; i++) this.frobenius2 += v[i] * v[i];
  }

  private shrink(): void {
    const { d, ell } = this;
    const { S, V, rank } = thinSvd(this.buf.subarray(0, this.rows * d), this.rows, d);
    const delta = ell - 1 < rank ? S[ell - 1] * S[ell - 1] : 0;
    this.buf.fill(0);
    let r = 0;
    for (let i = 0; i < Math.min(rank, ell); i++) {
      const s = Math.sqrt(Math.max(0, S[i] * S[i] - delta));
      if (s <= 0) continue;
      for (let j = 0; j < d; j++) this.buf[r * d + j] = s * V[j * rank + i];
      r++;
    }
    this.rows = r;
  }

  /** The sketch B (at most ℓ rows after compaction), row-major, as `{ data, rows }`. */
  sketch(): { data: Float64Array; rows: number; cols: number } {
    if (this.rows > this.ell) this.shrink();
    return { data: this.buf.slice(0, this.rows * this.d), rows: this.rows, cols: this.d };
  }
}
