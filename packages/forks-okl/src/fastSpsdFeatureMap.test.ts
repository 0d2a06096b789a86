import { Matrix, Rng, kernelGram, kernelRow, pinv } from '@descent/tensor';
import type { CountSketch } from './countSketch';
import { countSketch, countSketchDense, sketchKernel } from './countSketch';
import { thinSvd } from './decompositions';
import { buildSketches, projectionMatrix, scaledBasis, sketchedFeatures } from './fastSpsdFeatureMap';
import { gaussianKernel } from './kernel';
import { nystromFeatureMap, nystromTransform } from './nystromFeatureMap';
import { maxAbsDiff, mm, tr } from './testUtils';

const B = 30;
const d = 5;
const kern = gaussianKernel(1.5);

function points(seed: number, n: number): Float64Array {
  return new Rng(seed).normalArray(n * d);
}

describe('sketched feature map (fast SPSD model)', () => {
  it('reduces exactly to Nyström with S_p = S_m = I and k = B (to 1e-9)', () => {
    const sv = points(1, B);
    const K = kernelGram(kern, sv, B, d);
    const identity: CountSketch = { n: B, s: B, hash: Int32Array.from({ length: B }, (_, i) => i), sign: new Float64Array(B).fill(1) };
    const Sm = Int32Array.from({ length: B }, (_, i) => i);
    const sk = buildSketches(K, identity, Sm);
    const { S, V, rank } = thinSvd(sk.phiPp, B, B);
    const Q = projectionMatrix(sk, scaledBasis(V, S, B, rank), rank, 0);
    const Kp = pinv(new Matrix(B, B, K)).data;
    const nys = nystromFeatureMap(kern, sv, B, d, B, 0);
    const test = points(2, 6);
    const feats = [];
    const nfeats = [];
    const rows = [];
    for (let a = 0; a < 6; a++) {
      const x = test.subarray(a * d, (a + 1) * d);
      const row = kernelRow(kern, sv, B, d, x);
      rows.push(row);
      feats.push(sketchedFeatures(Q, B, rank, row));
      nfeats.push(nystromTransform(nys, x));
    }
    for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) {
      let sketched = 0;
      for (let c = 0; c < rank; c++) sketched += feats[a][c] * feats[b][c];
      let ny = 0;
      for (let c = 0; c < nys.k; c++) ny += nfeats[a][c] * nfeats[b][c];
      const exact = mm(mm(rows[a], Kp, 1, B, B), rows[b], 1, B, 1)[0];
      expect(Math.abs(sketched - exact)).toBeLessThan(1e-9);
      expect(Math.abs(ny - exact)).toBeLessThan(1e-9);
    }
  });

  it("the 'cholesky' projection solver equals the pseudo-inverse when Φ_pm has full column rank", () => {
    const rng = new Rng(8);
    const sv = points(9, B);
    const K = kernelGram(kern, sv, B, d);
    const Sp = countSketch(B, 20, rng.fold('p'));
    const Sm = Int32Array.from(rng.fold('m').choice(B, 6)).sort();
    const sk = buildSketches(K, Sp, Sm);
    const { S, V, rank } = thinSvd(sk.phiPp, 20, 20);
    const W = scaledBasis(V, S, 20, rank).filter((_, i) => i % rank < 4);
    const a = projectionMatrix(sk, W, 4, 1e-8, 'pinv');
    const b = projectionMatrix(sk, W, 4, 1e-8, 'cholesky');
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-8 * Math.max(...Array.from(a, Math.abs)));
  });

  it('count-sketched products equal the dense SᵀKS and SᵀK[:, S_m]', () => {
    const rng = new Rng(4);
    const sv = points(3, B);
    const K = kernelGram(kern, sv, B, d);
    const Sp = countSketch(B, 12, rng);
    const Sd = countSketchDense(Sp);
    const dense = mm(mm(tr(Sd, B, 12), K, 12, B, B), Sd, 12, B, 12);
    expect(maxAbsDiff(sketchKernel(Sp, K, Sp), dense)).toBeLessThan(1e-12);
    const cols = Int32Array.of(0, 5, 7);
    const KS = new Float64Array(B * 3);
    for (let i = 0; i < B; i++) for (let c = 0; c < 3; c++) KS[i * 3 + c] = K[i * B + cols[c]];
    expect(maxAbsDiff(sketchKernel(Sp, K, cols), mm(tr(Sd, B, 12), KS, 12, B, 3))).toBeLessThan(1e-12);
  });

  // In FORKS's regime s_m = 0.2·s_p a larger rank k does not worsen the approximation. (Measured:
  // with s_m close to s_p the opposite happens: Φ_pm⁺ amplifies the extra directions, e.g.
  // s_p = 40, s_m = 25 gives error 9.5 at k = 3 but 39 at k = 15. See the README.)
  it('averaged over 10 seeds, with s_m = 0.2·s_p a larger rank k does not worsen ‖K_B − FFᵀ‖_F', () => {
    const sv = points(7, 60);
    const K = kernelGram(kern, sv, 60, d);
    const err = (k: number) => {
      let tot = 0;
      for (let seed = 0; seed < 10; seed++) {
        const rng = new Rng(seed);
        const Sp = countSketch(60, 40, rng.fold('p'));
        const Sm = Int32Array.from(rng.fold('m').choice(60, 8)).sort();
        const sk = buildSketches(K, Sp, Sm);
        const { S, V, rank } = thinSvd(sk.phiPp, 40, 40);
        const W = scaledBasis(V, S, 40, rank).filter((_, i) => i % rank < k);
        const Q = projectionMatrix(sk, W, k);
        const F = new Float64Array(60 * k);
        for (let i = 0; i < 60; i++) {
          const row = Float64Array.from(Sm, (j) => K[i * 60 + j]);
          F.set(sketchedFeatures(Q, 8, k, row), i * k);
        }
        const FFt = mm(F, tr(F, 60, k), 60, k, 60);
        let e = 0;
        for (let i = 0; i < K.length; i++) e += (K[i] - FFt[i]) ** 2;
        tot += Math.sqrt(e);
      }
      return tot / 10;
    };
    const e3 = err(3);
    const e8 = err(8);
    expect(e8).toBeLessThanOrEqual(e3 * 1.05);
  });
});
