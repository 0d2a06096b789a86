/**
 * Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem (LAPACK dstedc /
 * dlaed0–dlaed4), used by `eigh` for the eigenvectors: split T = diag(T₁, T₂) + ρ u uᵀ, solve the
 * halves recursively, then the rank-one update D + ρ z zᵀ of their eigenvalues: deflation
 * (negligible z_i; nearly equal d_i, rotated together), the secular equation
 * 1/ρ + Σ z_j² / (d_j − λ) = 0 for the remaining roots (safeguarded Newton in a shifted frame, each
 * root kept as an offset from its nearer pole so that the differences d_j − λ are exact), the
 * Gu–Eisenstat recomputation of z from the computed roots (orthogonal eigenvectors even for close
 * roots), and the merged eigenvectors as one gemm. Small blocks use implicit QL.
 *
 * References: Cuppen 1981; Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995); Golub & Van Loan
 * §8.4.4; LAPACK dlaed2 (deflation) and dlaed3 (vectors).
 * @module
 */

import { ownerOf, withArena } from '../blas/arena';
import { gemm } from '../blas/kernels';
import { ConvergenceError } from '../errors';
import { tql2 } from './eigh';
import { EPS, hypot } from './internal';

/** The merges' root finding and vectors in wasm (`dsecular`, `dsecvec`) when available; tests switch it off to compare. @internal */
export const DC_KERNELS = { wasm: true };

/** Blocks up to this size are solved by implicit QL with vectors. */
const LEAF = 24;

/**
 * Eigenvalues (into d, ascending) and eigenvectors (rows of `z`, n×n row-major: row c is the
 * eigenvector of d[c]) of the symmetric tridiagonal with diagonal d and off-diagonal e
 * (e[i] couples i and i+1, length ≥ n − 1). d and e are overwritten.
 * @internal
 */
export function tridiagonalEigDC(
  n: number,
  d: Float64Array,
  e: Float64Array,
  z: Float64Array,
  maxIter: number,
): void {
  z.fill(0, 0, n * n);
  if (n === 0) return;
  // the recursion writes the eigenvectors of block [lo, hi) as rows of q's diagonal block
  // (q[lo + c, lo + i] = component i of eigenvector c): every copy is a contiguous row
  withArena((7 * n * n + 8 * n) * 8 + 512, (arena) => {
    const q = arena.f64(n * n); // eigenvectors as rows (row c = eigenvector c), block diagonal during the recursion
    const work = arena.f64(n * n);
    const tmp = arena.f64(5 * n * n);
    const small = arena.f64(8 * n); // the merges' vectors (poles, z, roots, …) for the wasm kernels
    solve(0, n, n, d, e, q, work, tmp, small, maxIter);
    // ascending order and rows = eigenvectors
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b]);
    const dd = Float64Array.from(order, (i) => d[i]);
    d.set(dd);
    for (let c = 0; c < n; c++) z.set(q.subarray(order[c] * n, order[c] * n + n), c * n);
  });
}

/** Solves block [lo, hi): on exit d[lo..hi) holds its eigenvalues (unsorted) and q's block its eigenvectors as rows. */
function solve(
  lo: number,
  hi: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  q: Float64Array,
  work: Float64Array,
  tmp: Float64Array,
  small: Float64Array,
  maxIter: number,
): void {
  const size = hi - lo;
  if (size <= LEAF) {
    leaf(lo, size, n, d, e, q, maxIter);
    return;
  }
  const k = lo + (size >> 1); // T₁ = [lo, k), T₂ = [k, hi)
  const beta = e[k - 1];
  const rho = Math.abs(beta);
  const sgn = beta < 0 ? -1 : 1;
  d[k - 1] -= rho;
  d[k] -= rho;
  solve(lo, k, n, d, e, q, work, tmp, small, maxIter);
  solve(k, hi, n, d, e, q, work, tmp, small, maxIter);
  merge(lo, k, hi, n, rho, sgn, d, q, work, tmp, small);
}

/** Implicit QL with vectors on a small block; its eigenvectors into the block of q. */
function leaf(
  lo: number,
  size: number,
  n: number,
  d: Float64Array,
  e: Float64Array,
  q: Float64Array,
  maxIter: number,
): void {
  const dd = d.slice(lo, lo + size);
  const ee = new Float64Array(size);
  for (let i = 1; i < size; i++) ee[i] = e[lo + i - 1];
  const w = new Float64Array(size * size);
  for (let i = 0; i < size; i++) w[i * size + i] = 1;
  tql2(size, dd, ee, w, maxIter); // rows of w are eigenvectors
  d.set(dd, lo);
  for (let c = 0; c < size; c++) q.set(w.subarray(c * size, c * size + size), (lo + c) * n + lo);
}

/**
 * Merges the solved halves [lo, k) and [k, hi) coupled by ρ u uᵀ (u = e_{k−1} + sgn·e_k):
 * eigenvalues of D + ρ z zᵀ with z = Qᵀu, and the new eigenvector columns Q·U.
 */
function merge(
  lo: number,
  k: number,
  hi: number,
  n: number,
  rho: number,
  sgn: number,
  d: Float64Array,
  q: Float64Array,
  work: Float64Array,
  tmp: Float64Array,
  small: Float64Array,
): void {
  const m = hi - lo;
  // z = [last row of Q₁; sgn · first row of Q₂] (each a unit vector), normalised: ρ ← 2ρ
  const zv = new Float64Array(m);
  for (let c = 0; c < k - lo; c++) zv[c] = q[(lo + c) * n + k - 1] * Math.SQRT1_2;
  for (let c = k - lo; c < m; c++) zv[c] = sgn * q[(lo + c) * n + k] * Math.SQRT1_2;
  rho *= 2;
  const dv = d.slice(lo, hi);
  // sort the poles ascending (perm[i] = original column of sorted position i)
  const perm = Array.from({ length: m }, (_, i) => i).sort((a, b) => dv[a] - dv[b]);
  const ds = Float64Array.from(perm, (i) => dv[i]);
  const zs = Float64Array.from(perm, (i) => zv[i]);
  // column j of the block of q, in sorted order, as contiguous rows of `cols` (m rows of length m)
  const cols = work.subarray(0, m * m);
  for (let j = 0; j < m; j++) {
    const src = (lo + perm[j]) * n + lo;
    cols.set(q.subarray(src, src + m), j * m);
  }
  // where each column is non-zero (dlaed2's column types): 1 = first half only, 2 = second half
  // only, 3 = both (after a deflating rotation of a first-half and a second-half column)
  const h = k - lo;
  const part = Uint8Array.from(perm, (i) => (i < h ? 1 : 2));
  // ---- deflation (dlaed2) ----
  let dmax = 0;
  let zmax = 0;
  for (let i = 0; i < m; i++) {
    dmax = Math.max(dmax, Math.abs(ds[i]));
    zmax = Math.max(zmax, Math.abs(zs[i]));
  }
  const tol = 8 * EPS * Math.max(dmax, zmax);
  const keep: number[] = []; // sorted positions kept for the secular equation
  const deflated: number[] = [];
  let prev = -1;
  for (let j = 0; j < m; j++) {
    if (rho * Math.abs(zs[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (prev >= 0) {
      // nearly equal poles: rotate columns prev and j so that z_prev vanishes
      let s = zs[prev];
      let c = zs[j];
      const tau = hypot(c, s);
      const t = ds[j] - ds[prev];
      c /= tau;
      s = -s / tau;
      if (Math.abs(t * c * s) <= tol) {
        zs[j] = tau;
        zs[prev] = 0;
        const rp = prev * m;
        const rj = j * m;
        for (let i = 0; i < m; i++) {
          const a = cols[rp + i];
          const b = cols[rj + i];
          cols[rp + i] = c * a + s * b;
          cols[rj + i] = -s * a + c * b;
        }
        part[j] |= part[prev];
        const t2 = ds[prev] * c * c + ds[j] * s * s;
        ds[j] = ds[prev] * s * s + ds[j] * c * c;
        ds[prev] = t2;
        deflated.push(prev);
        keep.pop();
        prev = j;
        keep.push(j);
        continue;
      }
    }
    keep.push(j);
    prev = j;
  }
  const kk = keep.length;
  // ---- secular equation: roots λ_r = d[origin_r] + tau_r ----
  // (the vectors live in `small`, in the kernels' arena: dk, zk, z², τ, ẑ, scratch, origin)
  const dk = small.subarray(0, kk);
  const zk = small.subarray(n, n + kk);
  const z2 = small.subarray(2 * n, 2 * n + kk);
  const tauR = small.subarray(3 * n, 3 * n + kk);
  const zhat = small.subarray(4 * n, 4 * n + kk);
  const delta = small.subarray(5 * n, 5 * n + kk);
  const origin = new Int32Array(small.buffer, small.byteOffset + 6 * n * 8, kk);
  let zz = 0;
  for (let i = 0; i < kk; i++) {
    dk[i] = ds[keep[i]];
    zk[i] = zs[keep[i]];
    z2[i] = zk[i] * zk[i];
    zz += z2[i];
  }
  const u = tmp.subarray(0, kk * kk);
  const ex = kk > 0 && DC_KERNELS.wasm ? ownerOf(small.buffer) : undefined;
  if (ex) {
    // the same loops in wasm (same operations, same bits): root finding and Gu–Eisenstat vectors
    const at = (a: Float64Array | Int32Array) => a.byteOffset;
    const bad = ex.dsecular(kk, at(dk), at(z2), rho, zz, at(origin), at(tauR), at(delta));
    if (bad >= 0) throw secularError();
    ex.dsecvec(kk, at(dk), at(zk), at(origin), at(tauR), rho, at(zhat), at(u));
  } else {
    for (let r = 0; r < kk; r++) secularRoot(r, kk, dk, z2, rho, zz, origin, tauR);
    // ---- Gu–Eisenstat: ẑ from the computed roots, then the eigenvectors of D + ρ ẑ ẑᵀ ----
    for (let i = 0; i < kk; i++) {
      // ẑ_i² = Π_r (λ_r − d_i) / (ρ Π_{r≠i} (d_r − d_i))
      let prod = (dk[origin[i]] - dk[i] + tauR[i]) / rho;
      for (let r = 0; r < kk; r++) {
        if (r === i) continue;
        prod *= (dk[origin[r]] - dk[i] + tauR[r]) / (dk[r] - dk[i]);
      }
      zhat[i] = Math.sign(zk[i]) * Math.sqrt(Math.max(prod, 0));
    }
    // U (kk×kk): column r ∝ ẑ_i / (d_i − λ_r); stored as rows of `u` (row r = column r)
    for (let r = 0; r < kk; r++) {
      let nrm = 0;
      const row = r * kk;
      for (let i = 0; i < kk; i++) {
        const v = zhat[i] / (dk[i] - dk[origin[r]] - tauR[r]);
        u[row + i] = v;
        nrm += v * v;
      }
      const inv = 1 / Math.sqrt(nrm);
      for (let i = 0; i < kk; i++) u[row + i] *= inv;
    }
  }
  // ---- new eigenvectors: out (kk×m, row r = new eigenvector r) = u · [kept columns as rows] ----
  // by halves, as dlaed3: entries 0..h−1 of out only involve the columns non-zero there (and
  // entries h..m−1 those non-zero there), so each half is one gemm over its columns (about half
  // the flops of one gemm over all of them)
  const out = tmp.subarray(kk * kk, kk * kk + kk * m);
  const kept = tmp.subarray(kk * kk + kk * m, kk * kk + 2 * kk * m);
  const ug = tmp.subarray(kk * kk + 2 * kk * m, 2 * kk * kk + 2 * kk * m);
  for (const [bit, c0, w] of [
    [1, 0, h],
    [2, h, m - h],
  ] as const) {
    let g = 0;
    for (let i = 0; i < kk; i++) if (part[keep[i]] & bit) g++;
    if (g === 0 || w === 0) {
      for (let r = 0; r < kk; r++) out.fill(0, r * m + c0, r * m + c0 + w);
      continue;
    }
    // the g columns' entries c0..c0+w as rows of `kept`, u's matching columns gathered into ug (kk×g)
    let t = 0;
    for (let i = 0; i < kk; i++) {
      if (!(part[keep[i]] & bit)) continue;
      const src = keep[i] * m + c0;
      kept.set(cols.subarray(src, src + w), t * w);
      for (let r = 0; r < kk; r++) ug[r * g + t] = u[r * kk + i];
      t++;
    }
    gemm(false, false, kk, w, g, 1, ug, g, kept, w, 0, out.subarray(c0), m);
  }
  // write back: eigenvalues and eigenvector columns of the block
  let c = 0;
  for (let r = 0; r < kk; r++, c++) {
    d[lo + c] = dk[origin[r]] + tauR[r];
    q.set(out.subarray(r * m, r * m + m), (lo + c) * n + lo);
  }
  for (const j of deflated) {
    d[lo + c] = ds[j];
    q.set(cols.subarray(j * m, j * m + m), (lo + c) * n + lo);
    c++;
  }
}

/**
 * Root r of 1/ρ + Σ_j z_j²/(d_j − λ) (d ascending, ρ > 0): λ_r ∈ (d_r, d_{r+1}), the last one in
 * (d_{k−1}, d_{k−1} + ρ‖z‖²). The root is found as τ = λ − d_o from its nearer pole o (chosen
 * by the sign of the function at the midpoint), by Newton's method safeguarded with bisection on
 * a bracket that always contains the root.
 */
function secularRoot(
  r: number,
  k: number,
  d: Float64Array,
  z2: Float64Array,
  rho: number,
  zz: number,
  origin: Int32Array,
  tauOut: Float64Array,
): void {
  const last = r === k - 1;
  const gap = last ? rho * zz : d[r + 1] - d[r];
  // f at the midpoint, relative to d_r
  const mid = gap / 2;
  let fmid = 1 / rho;
  for (let j = 0; j < k; j++) fmid += z2[j] / (d[j] - d[r] - mid);
  // origin: the pole on the side of the root (f increases across the interval)
  const o = last || fmid > 0 ? r : r + 1;
  const base = d[o];
  // bracket in τ = λ − d_o
  let lo: number;
  let hi: number;
  if (o === r) {
    lo = 0;
    hi = last ? gap : fmid > 0 ? mid : gap;
  } else {
    lo = d[r] - base + mid;
    hi = 0;
  }
  let tau = 0.5 * (lo + hi);
  const delta = new Float64Array(k);
  for (let j = 0; j < k; j++) delta[j] = d[j] - base;
  // Newton on h(τ) = τ ψ(τ) − z_o², ψ = 1/ρ + Σ_{j≠o} z_j²/(δ_j − τ): smooth at the pole τ = 0
  // (f = h/τ), so roots very close to their pole converge as fast as the others
  const zo = z2[o];
  for (let iter = 0; iter < 200; iter++) {
    let psi = 1 / rho;
    let dpsi = 0;
    let abs = 1 / rho;
    for (let j = 0; j < k; j++) {
      if (j === o) continue;
      const den = delta[j] - tau;
      const t = z2[j] / den;
      psi += t;
      dpsi += t / den;
      abs += Math.abs(t);
    }
    const h = tau * psi - zo;
    // f = h / τ increases through the root: move the bracket end on the root's far side
    const fPositive = tau > 0 ? h > 0 : h < 0;
    if (fPositive) hi = tau;
    else lo = tau;
    if (
      Math.abs(h) <= 8 * EPS * k * (Math.abs(tau) * abs + zo) ||
      hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))
    ) {
      origin[r] = o;
      tauOut[r] = tau;
      return;
    }
    let next = tau - h / (psi + tau * dpsi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (next === tau) {
      origin[r] = o;
      tauOut[r] = tau;
      return;
    }
    tau = next;
  }
  throw secularError();
}

/** The error of a secular equation that did not converge (never observed on finite input). */
function secularError(): ConvergenceError {
  return new ConvergenceError(
    'eigh: the secular equation of the divide-and-conquer merge did not converge',
    'maxIter',
  );
}
