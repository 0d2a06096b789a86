import { ShapeError, ValueError } from '../errors';
import { Rng } from '../rng';
import { KernelArena } from './arena';
import { kernelInfo } from './wasmModule';
import { gemvJs, gerJs } from './jsKernels';
import { gemvTOrdered, gemvTOrderedJs, onsNewtonStep, onsNewtonStepJs } from './onsKernels';

const SIZES = [0, 1, 2, 3, 4, 5, 7, 19, 20, 21, 33, 54, 55, 64];

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

function normals(rng: Rng, n: number, scale = 1): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = scale * rng.normal();
  return v;
}

/** A symmetric positive definite k×k matrix (I/α plus a few outer products), row-major. */
function spd(rng: Rng, k: number): Float64Array {
  const A = new Float64Array(k * k);
  for (let i = 0; i < k; i++) A[i * k + i] = 4;
  for (let r = 0; r < 3; r++) {
    const u = normals(rng, k, 0.3);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) A[i * k + j] += u[i] * u[j];
  }
  return A;
}

/** The projected ONS step as forks-okl wrote it before the fused kernel: the core's gemvJs, loops, gerJs. */
function onsStepReference(
  k: number,
  w: Float64Array,
  A: Float64Array,
  phi: Float64Array,
  gamma: number,
  bound: number,
  guard: number,
  sigma: number,
): number {
  const a = new Float64Array(k);
  if (k > 0) gemvJs(k, k, 1, A, k, phi, 0, a);
  let phiA = 0;
  for (let i = 0; i < k; i++) phiA += phi[i] * a[i];
  let z = 0;
  for (let i = 0; i < k; i++) {
    w[i] += gamma * a[i];
    z += phi[i] * w[i];
  }
  const excess = Math.abs(z) - bound;
  if (excess > 0) {
    const c = (Math.sign(z) * excess) / (phiA + guard);
    for (let i = 0; i < k; i++) w[i] -= c * a[i];
  }
  const s = gamma / sigma;
  if (s !== 0) {
    for (let i = 0; i < k; i++) a[i] *= s;
    if (k > 0) gerJs(k, k, -1 / (1 + s * s * phiA), a, a, A, k);
  }
  return z;
}

describe('gemvTOrdered (φ = Qᵀκ, rows accumulated in order)', () => {
  it('gives the bits of the scalar row-order loop in wasm and in JavaScript, at odd and even sizes', () => {
    const rng = new Rng(3);
    const arena = new KernelArena(1 << 20);
    for (const m of SIZES) {
      for (const n of [1, 2, 3, 5, 54, 55]) {
        arena.reset();
        const A = normals(rng, m * n);
        const x = normals(rng, m);
        // the loop forks-okl's sketchedFeatures ran
        const ref = new Float64Array(n);
        for (let i = 0; i < m; i++) for (let c = 0; c < n; c++) ref[c] += A[i * n + c] * x[i];
        const yJs = new Float64Array(n).fill(7);
        gemvTOrderedJs(m, n, A, x, yJs);
        const y = new Float64Array(n).fill(7);
        gemvTOrdered(m, n, A, x, y); // ordinary arrays
        const Ar = arena.copyF64(A);
        const xr = arena.copyF64(x);
        const yr = arena.f64(n).fill(7);
        gemvTOrdered(m, n, Ar, xr, yr); // resident (wasm where available)
        expect(sameBits(yJs, ref)).toBe(true);
        expect(sameBits(y, ref)).toBe(true);
        expect(sameBits(yr, ref)).toBe(true);
      }
    }
  });

  it('rejects bad sizes, short arrays and an output overlapping its inputs with typed errors', () => {
    const A = new Float64Array(6);
    const x = new Float64Array(2);
    const y = new Float64Array(3);
    expect(() => gemvTOrdered(-1, 3, A, x, y)).toThrow(ValueError);
    expect(() => gemvTOrdered(2, 3, A.subarray(0, 5), x, y)).toThrow(ShapeError);
    expect(() => gemvTOrdered(2, 3, A, x, y.subarray(0, 2))).toThrow(ShapeError);
    expect(() => gemvTOrdered(2, 3, [1, 2] as never, x, y)).toThrow(ValueError);
    expect(() => gemvTOrdered(2, 2, A, x, A.subarray(2, 4))).toThrow(/y must not overlap A/);
    const arena = new KernelArena(1024);
    const buf = arena.f64(40);
    expect(() => gemvTOrdered(4, 4, buf, buf.subarray(16, 20), buf.subarray(19, 23))).toThrow(
      /y must not overlap x/,
    );
  });
});

describe('onsNewtonStep (projected online-Newton step + Sherman–Morrison)', () => {
  it('gives the bits of the former JavaScript step (gemv, loops, ger) in wasm and in JavaScript', () => {
    const rng = new Rng(11);
    const arena = new KernelArena(1 << 21);
    // in Node the kernels compile synchronously: the resident calls below run the wasm kernel
    if (kernelInfo().mode.startsWith('wasm')) expect(typeof arena.exports?.dons).toBe('function');
    for (const k of SIZES) {
      for (const [gamma, bound, guard, sigma] of [
        [0.7, 1, 1e-4, 1],
        [-0.2, 0.05, 0, 4], // projection active
        [1e-3, 100, 1e-4, 1], // projection inactive
        [0, 1, 1e-4, 1], // s = 0: A⁻¹ unchanged
      ]) {
        arena.reset();
        const A = spd(rng, k);
        const w = normals(rng, k, 0.5);
        const phi = normals(rng, k);
        const wRef = w.slice();
        const Aref = A.slice();
        const zRef = onsStepReference(k, wRef, Aref, phi, gamma, bound, guard, sigma);
        const s = gamma / sigma;
        // JavaScript path
        const wJ = w.slice();
        const AJ = A.slice();
        const zJ = onsNewtonStepJs(
          k,
          wJ,
          AJ,
          phi,
          gamma,
          bound,
          guard,
          s,
          new Float64Array(k),
          new Float64Array(2),
        );
        // through the dispatcher, ordinary arrays
        const wO = w.slice();
        const AO = A.slice();
        const zO = onsNewtonStep(
          k,
          wO,
          AO,
          phi,
          gamma,
          bound,
          guard,
          s,
          new Float64Array(k),
          new Float64Array(2),
        );
        // resident arrays (wasm where available, above the crossover)
        const wR = arena.copyF64(w);
        const AR = arena.copyF64(A);
        const phiR = arena.copyF64(phi);
        const aR = arena.f64(k);
        const outR = arena.f64(2);
        const zR = onsNewtonStep(k, wR, AR, phiR, gamma, bound, guard, s, aR, outR);
        for (const [z, ww, AA] of [
          [zJ, wJ, AJ],
          [zO, wO, AO],
          [zR, wR, AR],
        ] as const) {
          expect(Object.is(z, zRef)).toBe(true);
          expect(sameBits(ww, wRef)).toBe(true);
          expect(sameBits(AA, Aref)).toBe(true);
        }
        if (s !== 0 && k > 0) {
          // the step on w and the Sherman–Morrison update really happened
          let phiA = 0;
          for (let i = 0; i < k; i++) phiA += phi[i] * aR[i];
          expect(outR[1]).toBeCloseTo(s * phiA, 10);
        }
      }
    }
  });

  it('keeps A⁻¹ the inverse of A + s²φφᵀ (Sherman–Morrison)', () => {
    const rng = new Rng(5);
    const k = 7;
    const A = spd(rng, k); // A⁻¹ of A = (this)⁻¹
    const phi = normals(rng, k);
    const s = 0.8;
    const Ainv0 = A.slice();
    onsNewtonStep(k, new Float64Array(k), A, phi, s, 10, 1e-4, s, new Float64Array(k), new Float64Array(2));
    // the new inverse (A + s²φφᵀ)⁻¹ maps φ to A⁻¹φ/(1 + s²φᵀA⁻¹φ)
    const a0 = new Float64Array(k);
    gemvJs(k, k, 1, Ainv0, k, phi, 0, a0);
    let q = 0;
    for (let i = 0; i < k; i++) q += phi[i] * a0[i];
    const a1 = new Float64Array(k);
    gemvJs(k, k, 1, A, k, phi, 0, a1);
    for (let i = 0; i < k; i++) expect(a1[i]).toBeCloseTo(a0[i] / (1 + s * s * q), 12);
  });

  it('throws a ValueError naming Ainv when 1 + q is not positive, before A⁻¹ changes', () => {
    const k = 3;
    const A = new Float64Array(k * k);
    for (let i = 0; i < k; i++) A[i * k + i] = -1; // negative definite
    const before = A.slice();
    const phi = Float64Array.of(1, 2, 3);
    for (const arena of [null, new KernelArena(4096)]) {
      const Ai = arena ? arena.copyF64(before) : before.slice();
      const err = (() => {
        try {
          onsNewtonStep(
            k,
            new Float64Array(k),
            Ai,
            phi,
            1,
            1,
            1e-4,
            1,
            new Float64Array(k),
            new Float64Array(2),
          );
        } catch (e) {
          return e as ValueError;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ValueError);
      expect(err?.argument).toBe('Ainv');
      expect(sameBits(Ai, before)).toBe(true);
    }
  });

  it('rejects short arrays, non-numbers and overlapping outputs with typed errors naming them', () => {
    const k = 3;
    const ok = () =>
      [
        new Float64Array(k),
        new Float64Array(k * k),
        new Float64Array(k),
        new Float64Array(k),
        new Float64Array(2),
      ] as const;
    const call = (f: (a: ReturnType<typeof ok>) => unknown[]) => () => {
      const [w, A, phi, a, out, gamma = 1] = f(ok()) as [
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        Float64Array,
        number?,
      ];
      onsNewtonStep(k, w, A, phi, gamma, 1, 0, 1, a, out);
    };
    expect(call(([w, A, phi, a]) => [w, A, phi, a, new Float64Array(1)])).toThrow(ShapeError);
    expect(call(([w, _A, phi, a, out]) => [w, new Float64Array(8), phi, a, out])).toThrow(/Ainv/);
    expect(call(([w, A, phi, a, out]) => [w, A, phi, a, out, Number.NaN])).toThrow(/gamma/);
    expect(call(([_w, A, phi, a, out]) => [phi, A, phi, a, out])).toThrow(/w must not overlap phi/);
    expect(call(([w, A, phi, _a, out]) => [w, A, phi, A.subarray(3, 6), out])).toThrow(
      /Ainv must not overlap a/,
    );
    expect(() =>
      onsNewtonStep(
        1.5,
        new Float64Array(2),
        new Float64Array(4),
        new Float64Array(2),
        1,
        1,
        0,
        1,
        new Float64Array(2),
        new Float64Array(2),
      ),
    ).toThrow(ValueError);
  });
});
