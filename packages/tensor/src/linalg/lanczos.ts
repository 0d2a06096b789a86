/**
 * Matrix-free extreme eigenpairs and singular triplets by the Lanczos method with full
 * reorthogonalisation (Lanczos 1950; Golub & Van Loan, Matrix Computations §10.1; every new
 * Lanczos vector is orthogonalised twice against the whole basis, "twice is enough").
 *
 * The Krylov basis grows until the k wanted Ritz pairs (θ, y) of the tridiagonal T_j pass the
 * residual test `‖A y − θ y‖ = |β_j s_j| ≤ tol · max|θ|` (Parlett's bound, no extra products),
 * or the basis reaches `maxIter` vectors (then a {@link ConvergenceError}). On breakdown (an
 * invariant subspace) a fresh random start orthogonal to the basis continues the iteration; the
 * exact Ritz values are accepted once a further restart no longer changes the k wanted values,
 * which recovers repeated eigenvalues of matrices with few distinct eigenvalues (identity,
 * low-rank). Limitation of single-vector Lanczos: a repeated eigenvalue *without* breakdown may be
 * found with less than its multiplicity; use {@link eigh} when that matters.
 * @module
 */
import { assertInteger, assertPositive, ConvergenceError, describe, ShapeError, ValueError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';
import { tql2 } from './eigh';
import { EPS, maxAbs, powerOfTwoScale, scaleInPlace } from './internal';

/** A linear map given by its action `x ↦ A x`. */
export type MatVec = (x: Float64Array) => ArrayLike<number>;

/** Which eigenvalues {@link topEigs} returns. */
export type EigWhich = 'largest' | 'smallest' | 'magnitude';

/** Options of {@link topEigs}. */
export interface TopEigsOptions {
  /** `'largest'` algebraic (default, returned descending), `'smallest'` (ascending) or `'magnitude'` (descending |λ|). */
  which?: EigWhich;
  /** Relative residual tolerance `‖A y − θ y‖ ≤ tol · max|θ|` (default 1e-10). */
  tol?: number;
  /** Maximum Krylov dimension, i.e. products with A (default `min(n, max(8k, 120))`). */
  maxIter?: number;
  /** Source of the random start vectors (default `new Rng(0)`). */
  rng?: Rng;
}

/** The result of {@link topEigs}. */
export interface TopEigsResult {
  /** The k eigenvalues, in the order of `which`. */
  values: Float64Array;
  /** n×k orthonormal eigenvectors as columns. */
  vectors: Matrix;
  /** Products with A used. */
  iterations: number;
}

function checkedProduct(f: MatVec, x: Float64Array, n: number, name: string): Float64Array {
  const y = f(x);
  if (y == null || typeof (y as ArrayLike<number>).length !== 'number') {
    throw new ShapeError(`${name} must return a vector of length ${n}, got ${describe(y)}`, name);
  }
  if (y.length !== n)
    throw new ShapeError(`${name} must return a vector of length ${n}, got length ${y.length}`, name);
  const out = Float64Array.from(y);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(out[i]))
      throw new ValueError(`${name} returned a non-finite value ${describe(out[i])} at index ${i}`, name);
  }
  return out;
}

/**
 * Wraps `f` so that every product is multiplied by one power of two `c` (exact), fixed by the
 * first non-zero product so that it has max-entry in [0.5, 1): the Lanczos recurrences (norms,
 * dot products) then neither underflow for tiny operators nor overflow for huge ones. Callers
 * divide eigenvalues by `c` (singular values by `c` too, with both products scaled).
 */
function scaledProducts(): {
  wrap(f: MatVec, n: number, name: string): (x: Float64Array) => Float64Array;
  scale(): number;
} {
  let c = 0;
  return {
    wrap: (f, n, name) => (x) => {
      const w = checkedProduct(f, x, n, name);
      if (c === 0) {
        const mx = maxAbs(w);
        if (mx > 0) c = powerOfTwoScale(mx);
      }
      if (c !== 0) scaleInPlace(w, c);
      return w;
    },
    scale: () => (c === 0 ? 1 : c),
  };
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Two passes of classical Gram–Schmidt of w against the basis; returns ‖w‖ after. */
function reorthogonalise(w: Float64Array, basis: Float64Array[]): number {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) {
      const c = dotv(q, w);
      if (c === 0) continue;
      for (let i = 0; i < w.length; i++) w[i] -= c * q[i];
    }
  }
  return Math.sqrt(dotv(w, w));
}

/** A random unit vector orthogonal to the basis (null if the basis already spans R^n). */
function freshStart(n: number, basis: Float64Array[], rng: Rng): Float64Array | null {
  for (let attempt = 0; attempt < 5; attempt++) {
    const v = rng.normalArray(n);
    const before = Math.sqrt(dotv(v, v));
    const nrm = reorthogonalise(v, basis);
    if (nrm > 1e-8 * before) {
      for (let i = 0; i < n; i++) v[i] /= nrm;
      return v;
    }
  }
  return null;
}

function pick(theta: Float64Array, k: number, which: EigWhich): number[] {
  const idx = Array.from(theta.keys());
  if (which === 'largest') idx.sort((a, b) => theta[b] - theta[a]);
  else if (which === 'smallest') idx.sort((a, b) => theta[a] - theta[b]);
  else idx.sort((a, b) => Math.abs(theta[b]) - Math.abs(theta[a]));
  return idx.slice(0, k);
}

/**
 * Ritz values of the m×m tridiagonal T (alpha, beta). With `vectors`, row c of `s` is T's
 * eigenvector c (m×m); otherwise `s[c]` is only its last component (all the residual test needs:
 * the QL rotations act on each column of the eigenvector matrix independently, so tracking the
 * last column alone costs O(m²) instead of O(m³)).
 */
function ritzPairs(alpha: number[], beta: number[], m: number, k: number, which: EigWhich, vectors: boolean) {
  const d = Float64Array.from(alpha);
  const e = new Float64Array(m);
  for (let i = 1; i < m; i++) e[i] = beta[i - 1];
  const width = vectors ? m : 1;
  const s = new Float64Array(m * width);
  if (vectors) for (let i = 0; i < m; i++) s[i * m + i] = 1;
  else s[m - 1] = 1;
  // scale T by a power of two into [0.5, 1) (exact) so that the QL step cannot underflow or overflow
  const sigma = powerOfTwoScale(Math.max(maxAbs(d), maxAbs(e)));
  scaleInPlace(d, sigma);
  scaleInPlace(e, sigma);
  tql2(m, d, e, s, 60, width);
  scaleInPlace(d, 1 / sigma);
  const chosen = pick(d, k, which);
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(d[i]));
  return { chosen, s, scale, values: Float64Array.from(chosen, (c) => d[c]) };
}

/**
 * The k extreme eigenpairs of a symmetric n×n operator given only by `matvec(x) = A x`.
 *
 * ```ts
 * const { values, vectors } = topEigs((x) => matvec(A, x), n, 5);               // 5 largest
 * const low = topEigs((x) => matvec(A, x), n, 2, { which: 'smallest' });
 * ```
 *
 * Throws a {@link ConvergenceError} if `maxIter` products do not reach `tol`, a
 * {@link ShapeError} / {@link ValueError} naming `matvec` if it returns a vector of the wrong
 * length or a non-finite value. The operator must be symmetric (not checked).
 */
export function topEigs(matvec: MatVec, n: number, k: number, options: TopEigsOptions = {}): TopEigsResult {
  if (typeof matvec !== 'function')
    throw new ValueError(`matvec must be a function, got ${describe(matvec)}`, 'matvec');
  assertInteger('n', n, 1);
  assertInteger('k', k, 1, n);
  const which = options.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest' && which !== 'magnitude') {
    throw new ValueError(
      `which must be 'largest', 'smallest' or 'magnitude', got ${JSON.stringify(which)}`,
      'which',
    );
  }
  const tol = options.tol ?? 1e-10;
  assertPositive('tol', tol);
  const maxIter = options.maxIter ?? Math.min(n, Math.max(8 * k, 120));
  assertInteger('maxIter', maxIter, k);
  const rng = options.rng ?? new Rng(0);

  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = []; // beta[j] couples basis[j] and basis[j+1] (0 after a restart)
  const scaling = scaledProducts();
  const product = scaling.wrap(matvec, n, 'matvec');
  let q = freshStart(n, basis, rng) as Float64Array;
  let anorm = 0;
  let sinceCheck = 0;
  let lastBreakdown: Float64Array | null = null;
  for (let j = 0; j < maxIter; j++) {
    basis.push(q);
    const w = product(q);
    const a = dotv(q, w);
    alpha.push(a);
    for (let i = 0; i < n; i++) w[i] -= a * q[i];
    if (j > 0 && beta[j - 1] !== 0) {
      const prev = basis[j - 1];
      const b = beta[j - 1];
      for (let i = 0; i < n; i++) w[i] -= b * prev[i];
    }
    let b = reorthogonalise(w, basis);
    anorm = Math.max(anorm, Math.abs(a) + b + (j > 0 ? beta[j - 1] : 0));
    const full = basis.length === n;
    const breakdown = !full && b <= Math.max(anorm, Number.MIN_VALUE) * EPS * 10;
    if (breakdown || full) b = 0;
    beta.push(b);
    sinceCheck++;
    const m = basis.length;
    const last = full || j === maxIter - 1;
    // Ritz checks cost O(m²) each: every 5 products, then every m/10 (at most ~10% extra products)
    if (m >= k && (breakdown || sinceCheck >= Math.max(5, Math.floor(m / 10)) || last || m === k)) {
      sinceCheck = 0;
      let ritz = ritzPairs(alpha, beta, m, k, which, false);
      let ok: boolean;
      if (breakdown) {
        // exact Ritz pairs of an invariant subspace; accept once a fresh restart no longer
        // changes the wanted values (so repeated eigenvalues are not missed)
        ok =
          lastBreakdown !== null &&
          ritz.values.every(
            (v, i) =>
              Math.abs(v - (lastBreakdown as Float64Array)[i]) <=
              tol * Math.max(ritz.scale, Number.MIN_VALUE),
          );
        lastBreakdown = ritz.values;
      } else {
        ok = ritz.chosen.every(
          (c) => Math.abs(b * ritz.s[c]) <= tol * Math.max(ritz.scale, Number.MIN_VALUE),
        );
      }
      if (ok || full) {
        ritz = ritzPairs(alpha, beta, m, k, which, true);
        const vectors = new Matrix(n, k);
        const v = vectors.data;
        for (let c = 0; c < k; c++) {
          const row = ritz.chosen[c] * m;
          for (let jj = 0; jj < m; jj++) {
            const coef = ritz.s[row + jj];
            if (coef === 0) continue;
            const qj = basis[jj];
            for (let i = 0; i < n; i++) v[i * k + c] += coef * qj[i];
          }
        }
        const c = scaling.scale();
        return { values: ritz.values.map((x) => x / c), vectors, iterations: m };
      }
    }
    if (full) break;
    if (b === 0) {
      const fresh = freshStart(n, basis, rng);
      if (fresh === null) break;
      q = fresh;
    } else {
      q = w;
      for (let i = 0; i < n; i++) q[i] /= b;
    }
  }
  throw new ConvergenceError(
    `topEigs did not converge to tol = ${tol} within maxIter = ${maxIter} products with A; raise maxIter or tol`,
    'maxIter',
  );
}

/** Options of {@link topSingular}. */
export interface TopSingularOptions {
  /** Relative residual tolerance of the underlying eigenproblem on AᵀA or AAᵀ (default 1e-10). */
  tol?: number;
  /** Maximum Krylov dimension (default as {@link topEigs}). */
  maxIter?: number;
  /** Source of the random start vectors (default `new Rng(0)`). */
  rng?: Rng;
}

/** The result of {@link topSingular}: the k leading singular triplets, `A v_i = σ_i u_i`. */
export interface TopSingularResult {
  /** m×k left singular vectors (orthonormal columns). */
  U: Matrix;
  /** The k largest singular values, descending. */
  S: Float64Array;
  /** n×k right singular vectors (orthonormal columns). */
  V: Matrix;
  /** Products with A plus products with Aᵀ. */
  iterations: number;
}

/**
 * The k largest singular triplets of an m×n operator given by `matvec(x) = A x` (x ∈ Rⁿ) and
 * `rmatvec(y) = Aᵀ y` (y ∈ Rᵐ): Lanczos ({@link topEigs}) on the smaller of AᵀA and AAᵀ, then
 * `σ_i = ‖A v_i‖` and `u_i = A v_i / σ_i` (or the mirror image). Squaring the operator costs
 * accuracy only for singular values far below σ₁ (relative error ~ ε σ₁²/σ_i²).
 */
export function topSingular(
  matvec: MatVec,
  rmatvec: MatVec,
  m: number,
  n: number,
  k: number,
  options: TopSingularOptions = {},
): TopSingularResult {
  if (typeof matvec !== 'function')
    throw new ValueError(`matvec must be a function, got ${describe(matvec)}`, 'matvec');
  if (typeof rmatvec !== 'function')
    throw new ValueError(`rmatvec must be a function, got ${describe(rmatvec)}`, 'rmatvec');
  assertInteger('m', m, 1);
  assertInteger('n', n, 1);
  assertInteger('k', k, 1, Math.min(m, n));
  const rng = options.rng ?? new Rng(0);
  // both products scaled by one power of two c (see scaledProducts): the operator is c²AᵀA, σ = ‖cAv‖/c
  const scaling = scaledProducts();
  const av = scaling.wrap(matvec, m, 'matvec');
  const atv = scaling.wrap(rmatvec, n, 'rmatvec');
  const onRight = n <= m; // eigenvectors of AᵀA are the right singular vectors
  const dim = onRight ? n : m;
  const op = onRight ? (x: Float64Array) => atv(av(x)) : (y: Float64Array) => av(atv(y));
  const eig = topEigs(op, dim, k, {
    which: 'largest',
    tol: options.tol,
    maxIter: options.maxIter,
    rng: rng.fold('lanczos'),
  });
  const other = onRight ? m : n;
  const near = new Matrix(dim, k);
  const far = new Matrix(other, k);
  const S = new Float64Array(k);
  const farCols: Float64Array[] = [];
  const completion = rng.fold('completion');
  for (let c = 0; c < k; c++) {
    const x = eig.vectors.col(c);
    const y = onRight ? av(x) : atv(x);
    const sigma = Math.sqrt(dotv(y, y));
    S[c] = sigma;
    let u: Float64Array;
    if (sigma > Math.max(S[0], Number.MIN_VALUE) * dim * EPS) {
      u = y;
      for (let i = 0; i < other; i++) u[i] /= sigma;
    } else {
      // σ ≈ 0: any unit vector orthogonal to the previous ones is a valid singular vector
      u = freshStart(other, farCols, completion) ?? new Float64Array(other);
      S[c] = 0;
    }
    farCols.push(u);
    for (let i = 0; i < dim; i++) near.data[i * k + c] = x[i];
    for (let i = 0; i < other; i++) far.data[i * k + c] = u[i];
  }
  // σ from ‖A v‖ can reorder nearly equal values: keep them descending
  const order = Array.from(S.keys()).sort((a, b) => S[b] - S[a]);
  const permute = (mat: Matrix) => {
    const out = new Matrix(mat.rows, k);
    for (let i = 0; i < mat.rows; i++)
      for (let c = 0; c < k; c++) out.data[i * k + c] = mat.data[i * k + order[c]];
    return out;
  };
  const unscale = 1 / scaling.scale();
  const Sd = Float64Array.from(order, (c) => S[c] * unscale);
  const left = permute(onRight ? far : near);
  const right = permute(onRight ? near : far);
  return { U: left, S: Sd, V: right, iterations: 2 * eig.iterations + k };
}
