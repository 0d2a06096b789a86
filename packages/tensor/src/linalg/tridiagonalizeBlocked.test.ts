/**
 * The blocked Householder stages of `eigh` (panel tridiagonalisation, compact-WY accumulation of
 * Qᵀ), forced on small matrices with small panels (in `eigh` they start at n = 512 / 1024): the
 * same properties as the unblocked path — A V = V Λ, VᵀV = I, prescribed spectra (κ = 1e12,
 * repeated and zero eigenvalues), scale invariance from 1e-300 to 1e300, exact zero columns (no
 * reflection in a panel) — and the same eigenvalues as the unblocked path; with QL and with
 * divide and conquer (whose eigenvectors always get Qᵀ applied in compact WY blocks).
 */
import fc from 'fast-check';
import { Matrix } from '../matrix';
import { EIGH_BLOCKING, eigh } from './eigh';
import { DC_KERNELS } from './tridiagonalDC';
import { matmul } from './products';
import { gaussian, logspace, orthoErr, relErr, scaleCols, withEigenvalues } from './testUtils';

function symmetric(n: number, seed: number): Matrix {
  const g = gaussian(n, n, seed);
  const a = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.data[i * n + j] = g.get(i, j) + g.get(j, i);
  return a;
}

const saved = { ...EIGH_BLOCKING };
/** Runs f with both blocked stages on from n = 32 (eigh's kernel path) with panels of `panel`. */
function blocked<T>(panel: number, f: () => T): T {
  Object.assign(EIGH_BLOCKING, { accumulateFrom: 32, reduceFrom: 32, panel });
  try {
    return f();
  } finally {
    Object.assign(EIGH_BLOCKING, saved);
  }
}

function relMax(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (const v of b) s = Math.max(s, Math.abs(v));
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d / Math.max(s, Number.MIN_VALUE);
}

describe('eigh with the blocked Householder stages (dsytrd/dlatrd panels, compact WY)', () => {
  it('A V = V Λ and VᵀV = I, with the unblocked eigenvalues, over sizes and panel widths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 32, max: 130 }),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(),
        (n, panel, seed) => {
          const a = symmetric(n, seed);
          const ref = eigh(a).values;
          for (const method of ['ql', 'divide-and-conquer'] as const) {
            const { values, vectors } = blocked(panel, () => eigh(a, { method }));
            expect(relMax(values, ref)).toBeLessThan(1e-13);
            expect(relErr(matmul(a, vectors), scaleCols(vectors, values))).toBeLessThan(1e-13);
            expect(orthoErr(vectors)).toBeLessThan(1e-13);
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('recovers prescribed spectra (κ = 1e12, repeated, zero) to 1e-12 relative', () => {
    const spectra = [
      logspace(0, -12, 50),
      Float64Array.from({ length: 45 }, (_, i) => [-3, 0, 1, 5][i % 4]),
      Float64Array.from({ length: 64 }, (_, i) => i - 32),
    ];
    for (const [idx, spectrum] of spectra.entries()) {
      const a = withEigenvalues(spectrum, 200 + idx);
      const expected = Float64Array.from(spectrum).sort();
      for (const method of ['ql', 'divide-and-conquer'] as const) {
        const { values, vectors } = blocked(8, () => eigh(a, { method }));
        expect(relMax(values, expected)).toBeLessThan(1e-12);
        expect(relErr(matmul(a, vectors), scaleCols(vectors, values))).toBeLessThan(1e-13);
        expect(orthoErr(vectors)).toBeLessThan(1e-13);
      }
    }
  });

  it('eigh(f·A) = f·eigh(A) with the same eigenvectors for f from 1e-300 to 1e300', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 32, max: 90 }),
        fc.nat(),
        fc.integer({ min: -300, max: 300 }),
        (n, seed, e) => {
          const f = 10 ** e;
          const a = symmetric(n, seed);
          const ref = blocked(7, () => eigh(a).values);
          const fa = new Matrix(
            n,
            n,
            Float64Array.from(a.data, (v) => v * f),
          );
          const { values, vectors } = blocked(7, () => eigh(fa));
          const back = values.map((v) => v / f);
          expect(relMax(back, ref)).toBeLessThan(1e-13);
          expect(relErr(matmul(a, vectors), scaleCols(vectors, back))).toBeLessThan(1e-13);
          expect(orthoErr(vectors)).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('handles columns with nothing to annihilate (block-diagonal, diagonal, zero)', () => {
    const n = 48;
    const a = symmetric(n, 9);
    // decouple the first 20 and the rest, and make row 30 diagonal
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (i < 20 !== j < 20 || ((i === 30 || j === 30) && i !== j)) a.data[i * n + j] = 0;
    for (const m of [
      a,
      Matrix.diag(Float64Array.from({ length: n }, (_, i) => (i * 7) % 11)),
      new Matrix(n, n),
    ]) {
      const ref = eigh(m).values;
      for (const method of ['ql', 'divide-and-conquer'] as const) {
        const { values, vectors } = blocked(6, () => eigh(m, { method }));
        expect(relMax(values, ref)).toBeLessThan(1e-13);
        expect(relErr(matmul(m, vectors), scaleCols(vectors, values))).toBeLessThan(1e-13);
        expect(orthoErr(vectors)).toBeLessThan(1e-13);
      }
    }
  });
});

describe('divide and conquer: the merges in wasm (dsecular, dsecvec)', () => {
  it('gives the same bits as the JavaScript loops (random, repeated and clustered spectra)', () => {
    const cases = [
      symmetric(100, 1),
      symmetric(257, 2),
      withEigenvalues(
        Float64Array.from({ length: 90 }, (_, i) => [-3, 0, 1, 5][i % 4]),
        3,
      ),
      withEigenvalues(logspace(0, -12, 70), 4),
    ];
    for (const a of cases) {
      const w = eigh(a, { method: 'divide-and-conquer' });
      DC_KERNELS.wasm = false;
      try {
        const js = eigh(a, { method: 'divide-and-conquer' });
        expect(Array.from(w.values)).toEqual(Array.from(js.values));
        expect(Array.from(w.vectors.data)).toEqual(Array.from(js.vectors.data));
      } finally {
        DC_KERNELS.wasm = true;
      }
    }
  });
});
