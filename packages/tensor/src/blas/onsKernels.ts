/**
 * Kernels of the online-Newton round of forks-okl's FORKS (and of its ONS / PROS-N-KONS
 * baselines): the feature projection φ = Qᵀκ accumulated row by row, and the projected
 * online-Newton step fused with its Sherman–Morrison update of A⁻¹. wasm SIMD (section
 * `O (FORKS)` of wasm/kernels.ts) when every array is resident in one {@link KernelArena} and the
 * work is above the level-2 crossover, JavaScript otherwise. Both paths do the same operations in
 * the same order with plain multiply-then-add (no FMA, also in a relaxed-SIMD build), so they give
 * the same bits, and the learners give the bits they gave with their former JavaScript loops.
 * @module
 */
import { describe, ShapeError, ValueError } from '../errors';
import { ownerOf } from './arena';
import { CROSSOVER } from './crossovers';
import type { KernelExports } from './wasmModule';

type F64 = Float64Array;

function size(name: string, v: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ValueError(`${name} must be an integer >= 0, got ${describe(v)}`, name);
}

function f64(name: string, arr: unknown, n: number): void {
  if (!(arr instanceof Float64Array))
    throw new ValueError(`${name} must be a Float64Array, got ${describe(arr)}`, name);
  if (arr.length < n) throw new ShapeError(`${name} must have length >= ${n}, got ${arr.length}`, name);
}

function num(name: string, v: number): void {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new ValueError(`${name} must be a number, got ${describe(v)}`, name);
}

/** Throws if the first `outLen` entries of `out` share memory with the first `len` entries of `a`. */
function apart(outName: string, out: F64, outLen: number, name: string, a: F64, len: number): void {
  if (a.buffer !== out.buffer || outLen === 0 || len === 0) return;
  const o0 = out.byteOffset;
  const a0 = a.byteOffset;
  if (o0 < a0 + len * 8 && a0 < o0 + outLen * 8)
    throw new ValueError(
      `${outName} must not overlap ${name} (the kernel writes ${outName} while it reads ${name})`,
      outName,
    );
}

/** Whether n1 doubles at byte o1 of b1 and n2 doubles at byte o2 of b2 share memory. */
function clash(
  b1: ArrayBufferLike,
  o1: number,
  n1: number,
  b2: ArrayBufferLike,
  o2: number,
  n2: number,
): boolean {
  return b1 === b2 && n1 > 0 && n2 > 0 && o1 < o2 + n2 * 8 && o2 < o1 + n1 * 8;
}

/** The kernel instance all arrays live in, if they share one kernel arena. */
function residentAll(arrays: F64[]): KernelExports | undefined {
  const ex = ownerOf(arrays[0].buffer);
  if (!ex) return undefined;
  for (let i = 1; i < arrays.length; i++) if (arrays[i].buffer !== arrays[0].buffer) return undefined;
  return ex;
}

/** JavaScript path of {@link gemvTOrdered} (the reference of the wasm kernel `dgemvtord`). @internal */
export function gemvTOrderedJs(m: number, n: number, A: F64, x: F64, y: F64): void {
  y.fill(0, 0, n);
  for (let i = 0; i < m; i++) {
    const c = x[i];
    const o = i * n;
    for (let j = 0; j < n; j++) y[j] += A[o + j] * c;
  }
}

/**
 * `y ← Aᵀx` for A m×n (row-major, leading dimension n), x of length m, y of length n, accumulated
 * over the rows of A in order (y[j] = ((A₀ⱼx₀ + A₁ⱼx₁) + A₂ⱼx₂) + …): the same bits in wasm and in
 * JavaScript. A sketched feature map's φ = Qᵀκ. y must not overlap A or x.
 */
export function gemvTOrdered(m: number, n: number, A: F64, x: F64, y: F64): void {
  size('m', m);
  size('n', n);
  f64('A', A, m * n);
  f64('x', x, m);
  f64('y', y, n);
  apart('y', y, n, 'A', A, m * n);
  apart('y', y, n, 'x', x, m);
  const ex = m * n >= CROSSOVER.gemvResident ? residentAll([A, x, y]) : undefined;
  if (ex) ex.dgemvtord(m, n, A.byteOffset, x.byteOffset, y.byteOffset);
  else gemvTOrderedJs(m, n, A, x, y);
}

/** JavaScript path of {@link onsNewtonStep} (the reference of the wasm kernel `dons`). @internal */
export function onsNewtonStepJs(
  k: number,
  w: F64,
  Ainv: F64,
  phi: F64,
  gamma: number,
  bound: number,
  guard: number,
  s: number,
  a: F64,
  out: F64,
): number {
  // a = A⁻¹φ: rows in pairs, even and odd columns summed apart (the core's gemv order)
  let i = 0;
  for (; i + 1 < k; i += 2) {
    const r0 = i * k;
    const r1 = r0 + k;
    let s0 = 0;
    let s1 = 0;
    let t0 = 0;
    let t1 = 0;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const x0 = phi[j];
      const x1 = phi[j + 1];
      s0 += Ainv[r0 + j] * x0;
      t0 += Ainv[r0 + j + 1] * x1;
      s1 += Ainv[r1 + j] * x0;
      t1 += Ainv[r1 + j + 1] * x1;
    }
    if (j < k) {
      s0 += Ainv[r0 + j] * phi[j];
      s1 += Ainv[r1 + j] * phi[j];
    }
    a[i] = s0 + t0;
    a[i + 1] = s1 + t1;
  }
  if (i < k) {
    const r = i * k;
    let t = 0;
    for (let j = 0; j < k; j++) t += Ainv[r + j] * phi[j];
    a[i] = t;
  }
  // φᵀa; v = w + γa; z = φᵀv
  let phiA = 0;
  let z = 0;
  for (let t = 0; t < k; t++) {
    phiA += phi[t] * a[t];
    w[t] += gamma * a[t];
    z += phi[t] * w[t];
  }
  out[0] = phiA;
  const excess = Math.abs(z) - bound;
  if (excess > 0) {
    const c = (z > 0 ? excess : -excess) / (phiA + guard);
    for (let t = 0; t < k; t++) w[t] -= c * a[t];
  }
  if (s === 0) return z;
  for (let t = 0; t < k; t++) a[t] *= s;
  const q = s * s * phiA;
  out[1] = q;
  if (!(q > -1 && q < Number.POSITIVE_INFINITY)) return z;
  const alpha = -1 / (1 + q);
  for (let r = 0; r < k; r++) {
    const c = alpha * a[r];
    if (c === 0) continue;
    const o = r * k;
    for (let j = 0; j < k; j++) Ainv[o + j] += c * a[j];
  }
  return z;
}

/**
 * One projected online-Newton step (FORKS, PROS-N-KONS, ONS; Hazan et al.'s ONS with the A-norm
 * projection onto {w : |wᵀφ| ≤ C}) fused with the Sherman–Morrison update of the inverse, in place
 * on `w` (length k) and the row-major k×k `Ainv`:
 *
 * ```
 * a = A⁻¹φ,  w ← w + γa,  z = φᵀw
 * if |z| > C:  w ← w − (sign(z)(|z| − C)/(φᵀa + ε))·a
 * if s ≠ 0:    a ← s·a,  q = s²·φᵀa,  A⁻¹ ← A⁻¹ − a aᵀ/(1 + q)    (A ← A + uuᵀ with u = sφ)
 * ```
 *
 * `a` (length ≥ k) is scratch and holds s·A⁻¹φ (or A⁻¹φ when s = 0) afterwards; `out` (length ≥ 2)
 * receives [φᵀa, q]. Returns z, the score of the unprojected step. A q that is not in (−1, ∞)
 * (A⁻¹ not positive definite) throws a {@link ValueError} naming `Ainv` after the step on w and
 * before A⁻¹ changes. The outputs (w, Ainv, a, out) must not overlap each other or φ.
 */
export function onsNewtonStep(
  k: number,
  w: F64,
  Ainv: F64,
  phi: F64,
  gamma: number,
  bound: number,
  guard: number,
  s: number,
  a: F64,
  out: F64,
): number {
  size('k', k);
  f64('w', w, k);
  f64('Ainv', Ainv, k * k);
  f64('phi', phi, k);
  f64('a', a, k);
  f64('out', out, 2);
  num('gamma', gamma);
  num('bound', bound);
  num('guard', guard);
  num('s', s);
  const kk = k * k;
  // aliasing: byte ranges compared once (the arrays usually share one arena's buffer)
  const bw = w.buffer;
  const bA = Ainv.buffer;
  const bp = phi.buffer;
  const ba = a.buffer;
  const bo = out.buffer;
  const ow = w.byteOffset;
  const oA = Ainv.byteOffset;
  const op = phi.byteOffset;
  const oa = a.byteOffset;
  const oo = out.byteOffset;
  if (
    clash(bw, ow, k, bA, oA, kk) ||
    clash(bw, ow, k, bp, op, k) ||
    clash(bw, ow, k, ba, oa, k) ||
    clash(bw, ow, k, bo, oo, 2) ||
    clash(bA, oA, kk, bp, op, k) ||
    clash(bA, oA, kk, ba, oa, k) ||
    clash(bA, oA, kk, bo, oo, 2) ||
    clash(ba, oa, k, bp, op, k) ||
    clash(ba, oa, k, bo, oo, 2) ||
    clash(bo, oo, 2, bp, op, k)
  ) {
    apart('w', w, k, 'Ainv', Ainv, kk);
    apart('w', w, k, 'phi', phi, k);
    apart('w', w, k, 'a', a, k);
    apart('w', w, k, 'out', out, 2);
    apart('Ainv', Ainv, kk, 'phi', phi, k);
    apart('Ainv', Ainv, kk, 'a', a, k);
    apart('Ainv', Ainv, kk, 'out', out, 2);
    apart('a', a, k, 'phi', phi, k);
    apart('a', a, k, 'out', out, 2);
    apart('out', out, 2, 'phi', phi, k);
  }
  let ex: KernelExports | undefined;
  if (kk >= CROSSOVER.gemvResident && bw === bA && bw === bp && bw === ba && bw === bo) ex = ownerOf(bw);
  const z = ex
    ? ex.dons(k, ow, oA, op, gamma, bound, guard, s, oa, oo)
    : onsNewtonStepJs(k, w, Ainv, phi, gamma, bound, guard, s, a, out);
  if (s !== 0 && !(out[1] > -1 && out[1] < Number.POSITIVE_INFINITY))
    throw new ValueError(
      `Ainv must be positive definite: the Sherman–Morrison update needs 1 + s²φᵀA⁻¹φ > 0 and finite, got s²φᵀA⁻¹φ = ${out[1]}`,
      'Ainv',
    );
  return z;
}
