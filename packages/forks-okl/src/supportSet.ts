/**
 * A kernel expansion f(x) = Σᵢ αᵢ κ(svᵢ, x) over a (possibly budgeted) support set, stored as a
 * flat row-major Float64Array. Shared by the kernel-expansion learners (KernelOGD, Pegasos,
 * BOGD, RBP, BPA-S, Projectron) and by FORKS/SkeGD/NOGD's budget-filling phase.
 * @module
 */
import { type KernelSpec, kernelAt } from './kernel';
import { toArr, toF64 } from './onlineLearner';

/** Support vectors with coefficients. */
export class SupportSet {
  /** Row length. */
  readonly d: number;
  /** Rows stored. */
  n = 0;
  /** Flat rows (capacity × d). */
  x: Float64Array;
  /** Coefficients αᵢ. */
  alpha: Float64Array;

  constructor(d: number, capacity = 16) {
    this.d = d;
    this.x = new Float64Array(Math.max(1, capacity) * d);
    this.alpha = new Float64Array(Math.max(1, capacity));
  }

  private grow(): void {
    const cap = this.alpha.length * 2;
    const x = new Float64Array(cap * this.d);
    x.set(this.x);
    const a = new Float64Array(cap);
    a.set(this.alpha);
    this.x = x;
    this.alpha = a;
  }

  /** Appends (x, α); returns its index. */
  add(x: ArrayLike<number>, alpha: number): number {
    if (this.n === this.alpha.length) this.grow();
    this.x.set(x, this.n * this.d);
    this.alpha[this.n] = alpha;
    return this.n++;
  }

  /** Replaces row i by (x, α). */
  replace(i: number, x: ArrayLike<number>, alpha: number): void {
    this.x.set(x, i * this.d);
    this.alpha[i] = alpha;
  }

  /** Removes row i by moving the last row into its place. */
  removeAt(i: number): void {
    const last = this.n - 1;
    if (i !== last) {
      this.x.copyWithin(i * this.d, last * this.d, (last + 1) * this.d);
      this.alpha[i] = this.alpha[last];
    }
    this.n--;
  }

  /** κ(svᵢ, x) for all i into `out`. */
  kernelRow(spec: KernelSpec, x: ArrayLike<number>, out: Float64Array): Float64Array {
    for (let i = 0; i < this.n; i++) out[i] = kernelAt(spec, this.x, i, x, 0, this.d);
    return out;
  }

  /** f(x) = Σ αᵢ κ(svᵢ, x). */
  score(spec: KernelSpec, x: ArrayLike<number>): number {
    let f = 0;
    for (let i = 0; i < this.n; i++) f += this.alpha[i] * kernelAt(spec, this.x, i, x, 0, this.d);
    return f;
  }

  /** f from a precomputed kernel row. */
  scoreFromRow(row: ArrayLike<number>): number {
    let f = 0;
    for (let i = 0; i < this.n; i++) f += this.alpha[i] * row[i];
    return f;
  }

  /** Plain-JSON copy of the used rows. */
  toJSON(): { d: number; n: number; x: number[]; alpha: number[] } {
    return { d: this.d, n: this.n, x: toArr(this.x.subarray(0, this.n * this.d)), alpha: toArr(this.alpha.subarray(0, this.n)) };
  }

  /** Restores from {@link SupportSet.toJSON}, with at least `capacity` rows. */
  static fromJSON(j: { d: number; n: number; x: number[]; alpha: number[] }, capacity = 16): SupportSet {
    const s = new SupportSet(j.d, Math.max(capacity, j.n));
    s.x.set(toF64(j.x));
    s.alpha.set(toF64(j.alpha));
    s.n = j.n;
    return s;
  }
}
