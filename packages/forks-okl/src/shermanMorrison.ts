/**
 * The inverse of A = αI + Σ u uᵀ kept by Sherman–Morrison rank-1 updates:
 * A⁻¹ ← A⁻¹ − (A⁻¹u)(A⁻¹u)ᵀ / (1 + uᵀA⁻¹u). O(k²) per update (the core's `gemv` / `ger`).
 * @module
 */
import { type BlobReader, ShapeError, describe, gemv, ger, readInteger, readNumber, readVector } from '@descent/tensor';

/** A symmetric k × k inverse maintained under rank-1 updates of A. */
export class ShermanMorrisonInverse {
  /** Row-major A⁻¹ (k × k). */
  readonly data: Float64Array;
  readonly k: number;
  private readonly tmp: Float64Array;

  /** A⁻¹ = I/α for A₀ = αI (or the given k × k `data`). */
  constructor(k: number, alpha: number, data?: Float64Array) {
    this.k = readInteger(k, 'k', { min: 0, max: 1e5 });
    readNumber(alpha, 'alpha', { gt: 0 });
    this.tmp = new Float64Array(k);
    if (data !== undefined) {
      if (!(data instanceof Float64Array) || data.length !== k * k) throw new ShapeError(`data must be a Float64Array of length ${k * k}, got ${data?.length}`, 'data');
      this.data = data;
    } else {
      this.data = new Float64Array(k * k);
      for (let i = 0; i < k; i++) this.data[i * k + i] = 1 / alpha;
    }
  }

  /** Resets to A⁻¹ = I/α. */
  reset(alpha: number): void {
    readNumber(alpha, 'alpha', { gt: 0 });
    this.data.fill(0);
    for (let i = 0; i < this.k; i++) this.data[i * this.k + i] = 1 / alpha;
  }

  /** out = A⁻¹v (`out`: a Float64Array of length ≥ k, overwritten and returned). */
  apply(v: ArrayLike<number>, out: Float64Array): Float64Array {
    const x = readVector(v, 'v', { length: this.k, allowEmpty: true });
    if (!(out instanceof Float64Array) || out.length < this.k) throw new ShapeError(`out must be a Float64Array of length >= ${this.k}, got ${describe(out)}`, 'out');
    if (this.k > 0) gemv(this.k, this.k, 1, this.data, this.k, x, 0, out);
    return out;
  }

  /** A ← A + uuᵀ. */
  update(u: ArrayLike<number>): void {
    const x = readVector(u, 'u', { length: this.k });
    const a = this.apply(x, this.tmp);
    let q = 0;
    for (let i = 0; i < this.k; i++) q += x[i] * a[i];
    this.updateWith(a, q);
  }

  /** A ← A + uuᵀ given a = A⁻¹u and q = uᵀA⁻¹u (lets callers reuse a product they already have). */
  updateWith(a: Float64Array, q: number): void {
    readVector(a, 'a', { length: this.k, allowEmpty: true });
    readNumber(q, 'q', { gt: -1 });
    if (this.k > 0) ger(this.k, this.k, -1 / (1 + q), a, a, this.data, this.k);
  }

  /** Reads a k × k A⁻¹ saved as a flat array (finite entries, positive diagonal). */
  static read(r: BlobReader, k: number, alpha: number): ShermanMorrisonInverse {
    const data = r.asVector({ length: k * k });
    for (let i = 0; i < k; i++) if (!(data[i * k + i] > 0)) throw r.at(i * k + i).valueError('a positive diagonal entry of A⁻¹');
    return new ShermanMorrisonInverse(k, alpha, data);
  }
}
