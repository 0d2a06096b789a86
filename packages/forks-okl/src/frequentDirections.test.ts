import { Matrix, Rng, eigh, svd } from '@descent/tensor';
import { FrequentDirections } from './frequentDirections';
import { mm, tr } from './testUtils';

describe('FrequentDirections (Ghashami et al. 2016 bounds)', () => {
  it('AᵀA − BᵀB is PSD and its norm is ≤ ‖A − A_k‖²_F/(ℓ − k) for every k < ℓ (k = 0: ‖A‖²_F/ℓ)', () => {
    const rng = new Rng(11);
    const n = 500;
    const d = 40;
    const ell = 8;
    // decaying spectrum so the k > 0 bounds are informative
    const A = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) A[i * d + j] = rng.normal() * 0.85 ** j;
    const fd = new FrequentDirections(d, ell);
    for (let i = 0; i < n; i++) fd.append(A.subarray(i * d, (i + 1) * d));
    const B = fd.sketch();
    expect(B.rows).toBeLessThanOrEqual(ell);
    const AtA = mm(tr(A, n, d), A, d, n, d);
    const BtB = mm(tr(B.data, B.rows, d), B.data, d, B.rows, d);
    const D = Float64Array.from(AtA, (v, i) => v - BtB[i]);
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) {
      const s = 0.5 * (D[i * d + j] + D[j * d + i]);
      D[i * d + j] = s;
      D[j * d + i] = s;
    }
    const ev = eigh(new Matrix(d, d, D), { vectors: false }).values;
    const frob2 = fd.frobenius2;
    expect(ev[0]).toBeGreaterThanOrEqual(-1e-8 * frob2);
    const err = Math.max(Math.abs(ev[0]), ev[d - 1]);
    const s = svd(new Matrix(n, d, A)).S;
    let tail = frob2;
    for (let k = 0; k < ell; k++) {
      expect(err).toBeLessThanOrEqual(tail / (ell - k) + 1e-9 * frob2);
      tail -= s[k] * s[k];
    }
  });
});
