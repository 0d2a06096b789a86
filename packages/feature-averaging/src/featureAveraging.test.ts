/**
 * The paper's phenomenon in the notes' small setting: d = 256, k = 8 (J₊ = 4 clusters), n = 400,
 * m = 4 neurons per sign; full-batch GD, T = 200, η = 0.05, init std 1e-5 (float64 reference).
 */
import {
  averagedDirection,
  averagedDirectionAttack,
  binaryAccuracy,
  cliffRadius,
  robustAccuracyCurve,
} from './attacks';
import { makeClusterData } from './clusterData';
import { averagingScore, cosineMatrix, decouplingScore, equivalentWeights } from './diagnostics';
import { trainGD } from './fullBatchGD';
import { binaryReLU, binaryReadout, multiClassReLU } from './twoLayerReLU';

const k = 8;
const d = 256;
const { train, test, centers } = makeClusterData({ k, d, nTrain: 400, nTest: 400, seed: 0 });
const bin = binaryReLU({ d, m: 4 });
const mc = multiClassReLU({ d, k });
const opts = { learningRate: 0.05, maxSteps: 200 };
const binParams = trainGD(bin, bin.init(1), train, opts).params;
const mcParams = trainGD(mc, mc.init(1), train, opts).params;
const rhoBin = binaryReadout(bin);
const rhoMc = binaryReadout(mc, train.positive);
const scale = Math.sqrt(d / k); // √(d/k): distance of a centre from the averaged hyperplane

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function Phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('feature averaging (binary net) vs feature decoupling (multi-class net)', () => {
  it('both reach clean test accuracy ≥ 0.99 as binary classifiers', () => {
    expect(binaryAccuracy(bin, binParams, rhoBin, test.X, test.y)).toBeGreaterThanOrEqual(0.99);
    expect(binaryAccuracy(mc, mcParams, rhoMc, test.X, test.y)).toBeGreaterThanOrEqual(0.99);
  });

  it('binary neurons average their class: in-class cosine ≈ 1/√|J₊| = 0.5, off-class ≈ 0', () => {
    const s = averagingScore(bin, binParams, centers, train.positive);
    expect(s.ideal).toBeCloseTo(0.5, 12);
    expect(Math.abs(s.inClass - s.ideal)).toBeLessThan(0.1);
    expect(s.offClass).toBeLessThan(0.1);
    // every neuron, not only the mean: each aligns with all four centres of its class alike
    const cos = cosineMatrix(binParams.W, centers, d);
    for (let r = 0; r < bin.neurons; r++) {
      const own = bin.head[r] > 0 ? [0, 1, 2, 3] : [4, 5, 6, 7];
      for (const j of own) expect(Math.abs(cos[r * k + j] - 0.5)).toBeLessThan(0.15);
    }
  });

  it('multi-class sub-networks decouple: cos(w̄_j, μ_j) > 0.9 and the off-diagonal is near 0', () => {
    const s = decouplingScore(mc, mcParams, centers);
    expect(s.minDiagonal).toBeGreaterThan(0.9);
    expect(s.offDiagonal).toBeLessThan(0.1);
    expect(Array.from(equivalentWeights(mc, mcParams))).toEqual(Array.from(mcParams.W)); // h = 1
  });

  it('the averaged-direction attack follows the averaged classifier Φ(√(d/k) − ε) on the binary net and spares the multi-class readout', () => {
    const u = averagedDirection(centers, k, train.positive);
    for (const f of [0.75, 1, 1.25, 1.5]) {
      const acc = binaryAccuracy(
        bin,
        binParams,
        rhoBin,
        averagedDirectionAttack(test.X, test.y, f * scale, u),
        test.y,
      );
      // the noise projects with unit variance on u: margins √(d/k) + N(0, 1); sampling sd ≤ 0.025 at n = 400
      expect(Math.abs(acc - Phi(scale - f * scale))).toBeLessThan(0.06);
    }
    // the notes' radius 1.2·√(d/k): predicted Φ(−1.13) = 0.13 for the binary net at d = 256
    // (the notes' "< 0.1" ignores the unit noise projection), while the multi-class readout holds
    const X12 = averagedDirectionAttack(test.X, test.y, 1.2 * scale, u);
    expect(binaryAccuracy(bin, binParams, rhoBin, X12, test.y)).toBeLessThan(0.2);
    expect(binaryAccuracy(mc, mcParams, rhoMc, X12, test.y)).toBeGreaterThan(0.9);
  });

  it('PGD-ℓ₂ cliff radii: binary ≈ √(d/k), multi-class at least 1.5× larger (theory √(k/2) = 2)', () => {
    const radii = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25].map((f) => f * scale);
    const sub = { X: test.X.subarray(0, 200 * d), y: test.y.subarray(0, 200) };
    const accBin = robustAccuracyCurve(bin, binParams, rhoBin, sub.X, sub.y, { radii, seed: 3 });
    const accMc = robustAccuracyCurve(mc, mcParams, rhoMc, sub.X, sub.y, { radii, seed: 3 });
    const cb = cliffRadius(radii, accBin);
    const cm = cliffRadius(radii, accMc);
    expect(cb / scale).toBeGreaterThan(0.85);
    expect(cb / scale).toBeLessThan(1.2);
    expect(cm / cb).toBeGreaterThanOrEqual(1.5);
    // on the binary net the closed-form averaged attack is near-optimal: 40-step PGD (random start,
    // following only the active neurons' gradients) finds no more than it, within a few points
    const u = averagedDirection(centers, k, train.positive);
    const accAvg = robustAccuracyCurve(bin, binParams, rhoBin, sub.X, sub.y, {
      radii,
      attack: 'averaged',
      direction: u,
    });
    accBin.forEach((a, i) => {
      expect(Math.abs(a - accAvg[i])).toBeLessThan(0.1);
    });
  });
});

describe('the same phenomenon across the family (rotated centres, k = 6, another seed)', () => {
  it('averaging, decoupling and a larger multi-class cliff hold for k = 6, d = 192 with a random rotation', () => {
    const k6 = 6;
    const d6 = 192;
    const data = makeClusterData({ k: k6, d: d6, nTrain: 300, nTest: 200, rotate: true, seed: 2 });
    const b6 = binaryReLU({ d: d6, m: 3 });
    const m6 = multiClassReLU({ d: d6, k: k6 });
    const pb = trainGD(b6, b6.init(2), data.train, opts).params;
    const pm = trainGD(m6, m6.init(2), data.train, opts).params;
    const av = averagingScore(b6, pb, data.centers, data.train.positive);
    expect(av.ideal).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(Math.abs(av.inClass - av.ideal)).toBeLessThan(0.1);
    expect(av.offClass).toBeLessThan(0.1);
    expect(decouplingScore(m6, pm, data.centers).minDiagonal).toBeGreaterThan(0.9);
    const s6 = Math.sqrt(d6 / k6);
    const radii = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25].map((f) => f * s6);
    const sub = { X: data.test.X.subarray(0, 100 * d6), y: data.test.y.subarray(0, 100) };
    const cb = cliffRadius(
      radii,
      robustAccuracyCurve(b6, pb, binaryReadout(b6), sub.X, sub.y, { radii, steps: 20 }),
    );
    const cm = cliffRadius(
      radii,
      robustAccuracyCurve(m6, pm, binaryReadout(m6, data.train.positive), sub.X, sub.y, { radii, steps: 20 }),
    );
    expect(cb / s6).toBeGreaterThan(0.85);
    expect(cb / s6).toBeLessThan(1.25);
    // theory √(k/2) = 1.73; the sum readout of an ideal decoupled net (no biases) gives k/(1 + k/2) = 1.5
    expect(cm / cb).toBeGreaterThan(1.3);
  });
});
