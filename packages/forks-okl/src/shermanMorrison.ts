/**
 * The inverse of A = αI + Σ u uᵀ kept by Sherman–Morrison rank-1 updates:
 * A⁻¹ ← A⁻¹ − (A⁻¹u)(A⁻¹u)ᵀ / (1 + uᵀA⁻¹u). O(k²) per update.
 * @module
 */
import { ShapeError, assertPositive } from '@descent/tensor';

/** A symmetric k × k inverse maintained under rank-1 updates of A. */
export class ShermanMorrisonInverse {
  /** Row-major A⁻¹ (k × k). */
  readonly data: Float64Array;
  readonly k: number;
  private readonly tmp: Float64Array;

  /** A⁻¹ = I/α for A₀ = αI. */
  constructor(k: number, alpha: number, data?: Float64Array) {
    assertPositive('alpha', alpha);
    this.k = k;
    this.tmp = new Float64Array(k);
    if (data) {
      if (data.length !== k * k) throw new ShapeError(`data must have length ${k * k}, got ${data.length}`, 'data');
      this.data = data;
    } else {
      this.data = new Float64Array(k * k);
      for (let i = 0; i < k; i++) this.data[i * k + i] = 1 / alpha;
    }
  }

  /** Resets to A⁻¹ = I/α. */
  reset(alpha: number): void {
    this.data.fill(0);
    for (let i = 0; i < this.k; i++) this.data[i * this.k + i] = 1 / alpha;
  }

  /** out = A⁻¹v. */
  apply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.k)): Float64Array {
    const k = this.k;
    const M = this.data;
    for (let i = 0; i < k; i++) {
      let s = 0;
      const r = i * k;
      for (let j = 0; j < k; j++) s += M[r + j] * v[j];
      out[i] = s;
    }
    return out;
  }

  /** A ← A + uuᵀ. */
  update(u: ArrayLike<number>): void {
    if (u.length !== this.k) throw new ShapeError(`u must have length ${this.k}, got ${u.length}`, 'u');
    const a = this.apply(u, this.tmp);
    let q = 0;
    for (let i = 0; i < this.k; i++) q += u[i] * a[i];
    this.updateWith(a, q);
  }

  /**
   * A ← A + uuᵀ given a = A⁻¹u and q = uᵀA⁻¹u (lets callers reuse a product they already have).
   */
  updateWith(a: ArrayLike<number>, q: number): void {
    const k = this.k;
    const c = 1 / (1 + q);
    const M = this.data;
    for (let i = 0; i < k; i++) {
      const ai = a[i] * c;
      const r = i * k;
      for (let j = 0; j < k; j++) M[r + j] -= ai * a[j];
    }
  }
}
