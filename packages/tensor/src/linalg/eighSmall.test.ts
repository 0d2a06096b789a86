/**
 * Small eigendecompositions (n < 32, e.g. CMA-ES covariances) run tred2 and the QL rotations in
 * wasm from n = 16 (`dtred2`, `dtql2` with its rotation chains): the same operations in the same order as the JavaScript loops, so the same
 * bits. Checked against tred2 + tql2 in JavaScript (on a plain array, never the wasm path) over
 * sizes, scales, and matrices with exact zeros (tred2's `scale === 0` branch).
 */
import { gram } from './products';
import { eigh, tql2, tred2 } from './eigh';
import { powerOfTwoScale } from './internal';
import { ConvergenceError } from '../errors';
import { Matrix } from '../matrix';
import { Rng } from '../rng';

/** Eigenvalues (ascending) and eigenvector columns from the JavaScript tred2 + tql2 only. */
function jsEigh(A: Matrix): { values: Float64Array; vectors: Float64Array } {
  const n = A.rows;
  let m = 0;
  for (const v of A.data) m = Math.max(m, Math.abs(v));
  const sigma = powerOfTwoScale(m); // eigh's exact scaling
  const w = A.data.map((v) => v * sigma);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  tred2(n, w, d, e, true);
  tql2(n, d, e, w, 60); // JS rotation chain: w is not arena-resident
  for (let i = 0; i < n; i++) d[i] /= sigma;
  const order = Array.from(d.keys()).sort((i, j) => d[i] - d[j]);
  const vectors = new Float64Array(n * n);
  for (let c = 0; c < n; c++) for (let r = 0; r < n; r++) vectors[r * n + c] = w[order[c] * n + r];
  return { values: Float64Array.from(order, (i) => d[i]), vectors };
}

describe('eigh below the blocked path: wasm tred2 and rotations give the JavaScript bits', () => {
  it.each([16, 17, 20, 24, 31])('n = %i over scales and sparsity', (n) => {
    for (const [seed, scale, zeros] of [
      [1, 1, false],
      [2, 1e-140, false],
      [3, 1e140, false],
      [4, 1, true],
    ] as const) {
      const r = new Rng(`eigh-small-${n}-${seed}`);
      const G = new Matrix(n + 3, n, r.normalArray((n + 3) * n).map((v) => v * scale));
      const A = gram(G);
      if (zeros)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) if (i !== j && (i % 3 === 0 || j % 3 === 0)) A.data[i * n + j] = 0;
      const got = eigh(A);
      const ref = jsEigh(A);
      expect(Array.from(got.values)).toEqual(Array.from(ref.values));
      expect(Array.from(got.vectors.data)).toEqual(Array.from(ref.vectors));
    }
  });

  it('a QL iteration that does not converge is a ConvergenceError naming maxIter, as in JavaScript', () => {
    const A = gram(new Matrix(23, 20, new Rng('eigh-small-maxiter').normalArray(23 * 20)));
    expect(() => eigh(A, { maxIter: 0 })).toThrow(ConvergenceError);
    expect(() => eigh(A, { maxIter: 0 })).toThrow(/maxIter = 0/);
    expect(() => eigh(A, { maxIter: 0, vectors: false })).toThrow(ConvergenceError);
  });
});
