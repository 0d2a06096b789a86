/**
 * A kernel expansion f(x) = Σᵢ αᵢ κ(svᵢ, x) over a (possibly budgeted) support set, stored as a
 * flat row-major Float64Array. Shared by the kernel-expansion learners (KernelOGD, Pegasos,
 * BOGD, RBP, BPA-S, Projectron) and NOGD's budget-filling phase.
 * @module
 */
import { type BlobReader, type ResolvedKernelSpec, ShapeError, kernelRow, readInteger } from '@descent/tensor';
import { MAX_SIZE } from './onlineLearner';

/** Plain-JSON state of a {@link SupportSet}. */
export interface SupportSetState {
  d: number;
  n: number;
  x: number[];
  alpha: number[];
}

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
  private scratch = new Float64Array(0);

  constructor(d: number, capacity = 16) {
    this.d = readInteger(d, 'd', { min: 1, max: 1e7 });
    const cap = readInteger(capacity, 'capacity', { min: 1, max: MAX_SIZE });
    this.x = new Float64Array(cap * this.d);
    this.alpha = new Float64Array(cap);
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
    if (x.length !== this.d) throw new ShapeError(`x must have length ${this.d}, got ${x.length}`, 'x');
    if (this.n === this.alpha.length) this.grow();
    this.x.set(x, this.n * this.d);
    this.alpha[this.n] = alpha;
    return this.n++;
  }

  /** Replaces row i by (x, α). */
  replace(i: number, x: ArrayLike<number>, alpha: number): void {
    readInteger(i, 'i', { min: 0, max: this.n - 1 });
    this.x.set(x, i * this.d);
    this.alpha[i] = alpha;
  }

  /** Removes row i by moving the last row into its place. */
  removeAt(i: number): void {
    readInteger(i, 'i', { min: 0, max: this.n - 1 });
    const last = this.n - 1;
    if (i !== last) {
      this.x.copyWithin(i * this.d, last * this.d, (last + 1) * this.d);
      this.alpha[i] = this.alpha[last];
    }
    this.n--;
  }

  /** κ(svᵢ, x) for all i into `out` (the core's kernel row). */
  kernelRow(spec: ResolvedKernelSpec, x: ArrayLike<number>, out: Float64Array = new Float64Array(this.n)): Float64Array {
    return kernelRow(spec, this.x, this.n, this.d, x, out);
  }

  /** f(x) = Σ αᵢ κ(svᵢ, x). */
  score(spec: ResolvedKernelSpec, x: ArrayLike<number>): number {
    if (this.n === 0) return 0;
    if (this.scratch.length < this.n) this.scratch = new Float64Array(this.alpha.length);
    return this.scoreFromRow(this.kernelRow(spec, x, this.scratch));
  }

  /** f from a precomputed kernel row. */
  scoreFromRow(row: ArrayLike<number>): number {
    let f = 0;
    for (let i = 0; i < this.n; i++) f += this.alpha[i] * row[i];
    return f;
  }

  /** Plain-JSON copy of the used rows. */
  toJSON(): SupportSetState {
    return { d: this.d, n: this.n, x: Array.from(this.x.subarray(0, this.n * this.d)), alpha: Array.from(this.alpha.subarray(0, this.n)) };
  }

  /** Reads {@link SupportSet.toJSON}: rows of length `d`, at most `maxRows` of them, capacity ≥ `capacity`. */
  static read(r: BlobReader, d: number, maxRows = MAX_SIZE, capacity = 16): SupportSet {
    const dd = r.integer('d', { min: 1, max: 1e7 });
    if (dd !== d) throw r.at('d').valueError(`the learner's dimension ${d}`);
    const n = r.integer('n', { min: 0, max: maxRows });
    const s = new SupportSet(d, Math.max(capacity, n, 1));
    s.x.set(r.vector('x', { length: n * d }));
    s.alpha.set(r.vector('alpha', { length: n }));
    s.n = n;
    return s;
  }
}
