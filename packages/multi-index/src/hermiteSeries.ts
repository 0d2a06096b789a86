/**
 * Functions given by their normalised Hermite expansion φ(z) = Σ_k c_k h_k(z): the links of
 * multi-index targets and the activations of the student network.
 * @module
 */
import {
  ShapeError,
  ValueError,
  assertFiniteNumber,
  assertInteger,
  describe,
  readInteger,
  assertAllFinite,
} from '@descent/tensor';
import { gaussHermiteRule } from './gaussHermite';
import { hermiteAll } from './hermite';

/**
 * Hermite coefficients: a map degree → coefficient (`{ 2: 1, 4: 1 }` is h₂ + h₄), or a dense
 * array indexed by degree (`[0, 0, 1, 0, 1]`).
 */
export type HermiteCoeffs = Readonly<Record<number, number>> | ArrayLike<number>;

/** The largest degree accepted (recurrences stay accurate well beyond it; the cap bounds cost). */
export const MAX_HERMITE_DEGREE = 64;

/**
 * A finite normalised Hermite series φ(z) = Σ_{k=0}^{K} c_k h_k(z).
 *
 * ```ts
 * const phi = HermiteSeries.of({ 2: 1, 4: 1 }); // h₂ + h₄, the paper's link with L = 2
 * phi.value(1.3); phi.deriv(1.3); phi.squaredNorm(); // = E[φ(z)²] = 2
 * ```
 */
export class HermiteSeries {
  /** Dense coefficients c_0 … c_K (trailing zeros removed; at least one entry). */
  readonly coeffs: Float64Array;
  /** Derivative coefficients: φ'(z) = Σ_k d_k h_k(z) with d_k = √(k+1) c_{k+1}. */
  readonly derivCoeffs: Float64Array;

  private constructor(coeffs: Float64Array) {
    // private in TypeScript, callable at run time: check what {@link HermiteSeries.of} would
    if (!(coeffs instanceof Float64Array) || coeffs.length === 0)
      throw new ValueError(
        `coeffs must be a non-empty Float64Array (use HermiteSeries.of), got ${describe(coeffs)}`,
        'coeffs',
      );
    assertAllFinite('coeffs', coeffs);
    let K = coeffs.length - 1;
    while (K > 0 && coeffs[K] === 0) K--;
    this.coeffs = coeffs.slice(0, K + 1);
    this.derivCoeffs = new Float64Array(Math.max(1, K));
    for (let k = 0; k < K; k++) this.derivCoeffs[k] = Math.sqrt(k + 1) * this.coeffs[k + 1];
  }

  /** A series from coefficients (map or dense array) or a copy of another series. */
  static of(coeffs: HermiteCoeffs | HermiteSeries, name = 'coeffs'): HermiteSeries {
    if (coeffs instanceof HermiteSeries) return new HermiteSeries(coeffs.coeffs.slice());
    if (coeffs == null || typeof coeffs !== 'object') {
      throw new ValueError(
        `${name} must be a map degree → coefficient or an array, got ${describe(coeffs)}`,
        name,
      );
    }
    let dense: Float64Array;
    if (typeof (coeffs as ArrayLike<number>).length === 'number') {
      const arr = coeffs as ArrayLike<number>;
      if (arr.length === 0) throw new ShapeError(`${name} must have at least one entry, got length 0`, name);
      if (arr.length > MAX_HERMITE_DEGREE + 1) {
        throw new ShapeError(
          `${name} must have length <= ${MAX_HERMITE_DEGREE + 1}, got length ${arr.length}`,
          name,
        );
      }
      dense = Float64Array.from(arr);
    } else {
      const entries = Object.entries(coeffs as Record<string, number>);
      let K = 0;
      for (const [key] of entries) {
        const k = Number(key);
        assertInteger(`${name} degree`, k, 0, MAX_HERMITE_DEGREE);
        K = Math.max(K, k);
      }
      dense = new Float64Array(K + 1);
      for (const [key, v] of entries) dense[Number(key)] = v as number;
    }
    for (let k = 0; k < dense.length; k++) {
      if (!Number.isFinite(dense[k])) {
        throw new ValueError(
          `${name} must contain only finite numbers, got ${describe(dense[k])} at degree ${k}`,
          name,
        );
      }
    }
    return new HermiteSeries(dense);
  }

  /**
   * The series truncated at degree kMax of an arbitrary function, with coefficients
   * c_k = E_{z~N(0,1)}[g(z) h_k(z)] computed by an n-point Gauss–Hermite rule (default 120 points;
   * exact when g is a polynomial of degree ≤ 2n − 1 − kMax).
   */
  static fromFunction(g: (z: number) => number, kMax = 12, n = 120): HermiteSeries {
    return new HermiteSeries(hermiteCoefficients(g, kMax, n));
  }

  /** The highest degree with a non-zero coefficient (0 for a constant). */
  get degree(): number {
    return this.coeffs.length - 1;
  }

  /** The coefficient of h_k (0 beyond the degree). */
  coeff(k: number): number {
    readInteger(k, 'k', { min: 0 });
    return k < this.coeffs.length ? this.coeffs[k] : 0;
  }

  /** Non-zero terms as `[degree, coefficient]` pairs, ascending. */
  terms(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let k = 0; k < this.coeffs.length; k++) if (this.coeffs[k] !== 0) out.push([k, this.coeffs[k]]);
    return out;
  }

  /** The lowest degree ≥ 1 with a non-zero coefficient: the information exponent (Infinity if none). */
  get informationExponent(): number {
    for (let k = 1; k < this.coeffs.length; k++) if (this.coeffs[k] !== 0) return k;
    return Number.POSITIVE_INFINITY;
  }

  /** E_{z~N(0,1)}[φ(z)²] = Σ_k c_k². */
  squaredNorm(): number {
    let s = 0;
    for (let k = 0; k < this.coeffs.length; k++) s += this.coeffs[k] * this.coeffs[k];
    return s;
  }

  /** φ(z). */
  value(z: number): number {
    assertFiniteNumber('z', z);
    return evalSeries(this.coeffs, z);
  }

  /** φ'(z). */
  deriv(z: number): number {
    assertFiniteNumber('z', z);
    return evalSeries(this.derivCoeffs, z);
  }

  /** A copy of the coefficients as a plain map `{ degree: coefficient }` of the non-zero terms. */
  toJSON(): Record<number, number> {
    const out: Record<number, number> = {};
    for (const [k, c] of this.terms()) out[k] = c;
    return out;
  }

  /** A short label such as `"h2+h4"` or `"0.5h2+h6"`. */
  toString(): string {
    const t = this.terms();
    if (t.length === 0) return '0';
    return t.map(([k, c]) => `${c === 1 ? '' : c}h${k}`).join('+');
  }
}

const SQRT = Float64Array.from({ length: MAX_HERMITE_DEGREE + 2 }, (_, j) => Math.sqrt(j));
const INV_SQRT = Float64Array.from({ length: MAX_HERMITE_DEGREE + 2 }, (_, j) =>
  j === 0 ? 0 : 1 / Math.sqrt(j),
);

/** Σ_k c_k h_k(z) by the recurrence h_{j+1} = (z h_j − √j h_{j−1})/√(j+1), no checks (inner loops). */
export function evalSeries(c: Float64Array, z: number): number {
  const K = c.length - 1;
  let s = c[0];
  if (K === 0) return s;
  let prev = 1;
  let cur = z;
  s += c[1] * cur;
  for (let j = 1; j < K; j++) {
    const next = (z * cur - SQRT[j] * prev) * INV_SQRT[j + 1];
    prev = cur;
    cur = next;
    s += c[j + 1] * cur;
  }
  return s;
}

/**
 * Hermite coefficients c_0 … c_kMax of g, c_k = E_{z~N(0,1)}[g(z) h_k(z)], by an n-point
 * Gauss–Hermite rule.
 */
export function hermiteCoefficients(g: (z: number) => number, kMax = 12, n = 120): Float64Array {
  assertInteger('kMax', kMax, 0, MAX_HERMITE_DEGREE);
  assertInteger('n', n, 1, 150);
  if (typeof g !== 'function') throw new ValueError(`g must be a function, got ${describe(g)}`, 'g');
  const { nodes, weights } = gaussHermiteRule(n);
  const c = new Float64Array(kMax + 1);
  const h = new Float64Array(kMax + 1);
  for (let i = 0; i < n; i++) {
    const gi = g(nodes[i]);
    if (!Number.isFinite(gi))
      throw new ValueError(
        `g must be finite on the quadrature nodes, got ${describe(gi)} at z = ${nodes[i]}`,
        'g',
      );
    hermiteAll(kMax, nodes[i], h);
    for (let k = 0; k <= kMax; k++) c[k] += weights[i] * gi * h[k];
  }
  return c;
}
