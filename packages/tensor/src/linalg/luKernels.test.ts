/**
 * The blocked LU on the kernel layer (n ≥ 64: wasm panel `dlupanel`, wasm U₁₂ substitution
 * `dtrsmllu`, wasm gemm trailing updates) against a textbook unblocked LU with partial pivoting:
 * same pivots (the same rows are chosen), factors equal up to floating-point reassociation of the
 * trailing updates, over random sizes (multiples of the 32-column panel and not) and scales.
 */
import { Matrix } from '../matrix';
import { lu, luSolve, solve } from './lu';
import { gaussian } from './testUtils';
import { triangularSolve } from './triangularSolve';

/** Unblocked right-looking LU with partial pivoting (LAPACK dgetf2), row-major, in place. */
function referenceLu(a: Matrix): { lu: Float64Array; perm: Int32Array; singular: boolean } {
  const n = a.rows;
  const d = a.data.slice();
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(d[i * n + k]) > Math.abs(d[p * n + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = d[k * n + j];
        d[k * n + j] = d[p * n + j];
        d[p * n + j] = t;
      }
      const t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
    }
    const pivot = d[k * n + k];
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = d[i * n + k] / pivot;
      d[i * n + k] = l;
      for (let j = k + 1; j < n; j++) d[i * n + j] -= l * d[k * n + j];
    }
  }
  return { lu: d, perm, singular };
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

describe('blocked LU on the kernel layer vs the unblocked reference', () => {
  it.each([
    [64, 1, 1],
    [65, 2, 1],
    [95, 3, 1],
    [128, 4, 1e-150],
    [131, 5, 1e150],
    [200, 6, 1],
    [257, 7, 3e-7],
  ])('n = %i (seed %i, scale %g): same pivots, same factors up to rounding', (n, seed, scale) => {
    const a = gaussian(n, n, seed);
    for (let i = 0; i < n * n; i++) a.data[i] *= scale;
    const got = lu(a);
    const ref = referenceLu(a);
    expect(Array.from(got.perm)).toEqual(Array.from(ref.perm));
    expect(got.singular).toBe(false);
    // L is bounded by 1; U scales with A: compare each part on its own scale
    let errL = 0;
    let errU = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        const e = Math.abs(got.lu.data[i * n + j] - ref.lu[i * n + j]);
        if (j < i) errL = Math.max(errL, e);
        else errU = Math.max(errU, e);
      }
    expect(errL).toBeLessThan(1e-11);
    expect(errU / (scale * Math.sqrt(n))).toBeLessThan(1e-11);
    // the sign of the permutation and the solve agree with the reference factors
    const b = gaussian(n, 1, seed + 100).data;
    const x = solve(a, b);
    const pb = Float64Array.from(ref.perm, (p) => b[p]);
    const y = triangularSolve(new Matrix(n, n, ref.lu), pb, { unitDiagonal: true });
    const xr = triangularSolve(new Matrix(n, n, ref.lu), y, { lower: false });
    let err = 0;
    for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(x[i] - xr[i]));
    expect(err / maxAbs(xr)).toBeLessThan(1e-9);
  });

  it('exactly singular: a zero column in a later panel is reported, as by the reference', () => {
    for (const col of [0, 31, 32, 70]) {
      const n = 96;
      const a = gaussian(n, n, col + 11);
      for (let i = 0; i < n; i++) a.set(i, col, 0);
      const got = lu(a);
      expect(got.singular).toBe(referenceLu(a).singular);
      expect(got.singular).toBe(true);
      expect(() => luSolve(got, new Float64Array(n))).toThrow(/non-singular/);
    }
  });

  it('one right-hand side gives the same bits as a one-column matrix right-hand side', () => {
    const n = 150;
    const a = gaussian(n, n, 21);
    const b = gaussian(n, 1, 22);
    const d = lu(a);
    expect(Array.from(luSolve(d, b.data))).toEqual(Array.from(luSolve(d, b).data));
  });
});
