import { ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import {
  type ParamTree,
  type TreeObjective,
  disposeTree,
  flattenTree,
  hessianPowerIteration,
  hvpTree,
  mlp,
  softmaxCrossEntropyLoss,
  unflattenTree,
} from '@descent/nn';
import { escapeRate } from './escape';
import { interpolationBarrier } from './interpolation';
import { mSharpness, samSharpness, sharpnessMetrics } from './sharpness';
import { quadraticTree } from './testing';
import { hyperbolaValley } from './toys/hyperbolaValley';
import { quadraticToy } from './toys/quadratic';
import { simulateToy } from './toys/simulateToy';

beforeAll(async () => {
  await ready();
});

// A = H diag(5, 2, 1, −0.5) H with H the symmetric orthogonal 4×4 Hadamard matrix / 2
const H = [
  [1, 1, 1, 1],
  [1, -1, 1, -1],
  [1, 1, -1, -1],
  [1, -1, -1, 1],
].map((r) => r.map((v) => v / 2));
const lambdas = [5, 2, 1, -0.5];
const A = H.map((_, i) => H.map((__, j) => H[i].reduce((s, h, k) => s + h * lambdas[k] * H[j][k], 0)));

// xy by a product of slices (tf.prod has no second derivative in tfjs)
const valleyF: TreeObjective = (p) =>
  tf.tidy(
    () =>
      tf.mul(
        0.5,
        tf.sum(tf.square(tf.sub(tf.mul(tf.slice(p.v.w, 0, 1), tf.slice(p.v.w, 1, 1)), 1))),
      ) as tf.Scalar,
  );
const valleyAt = (x: number, y: number): ParamTree => ({ v: { w: tf.tensor1d([x, y]) } });

describe('SAM-sharpness', () => {
  it('on ½λw²: L(w + ρ·sign w) − L(w) = λρ|w| + ½λρ²', () => {
    const q = quadraticTree([[3]]);
    const w = q.params([0.4]);
    const s = samSharpness(q.f, w, { rho: 0.05 });
    expect(s.sharpness).toBeCloseTo(3 * 0.05 * 0.4 + 0.5 * 3 * 0.05 ** 2, 6);
    expect(s.gradNorm).toBeCloseTo(1.2, 6);
    disposeTree(w);
    q.dispose();
  });
});

describe('eigenvalue and Hutchinson accuracy, HVP agreement (§6.2 items 5–7)', () => {
  it('Lanczos top-2 of H diag(5, 2, 1, −0.5) H → {5, 2}; Hutchinson within 4 SE of 7.5 with the Rademacher variance', () => {
    const q = quadraticTree(A);
    const w = q.params([0.3, -0.2, 0.1, 0.5]);
    const m = sharpnessMetrics(q.f, w, { eigs: 2, probes: 600, seed: 3 });
    expect(m.topEigenvalues[0]).toBeCloseTo(5, 3);
    expect(m.topEigenvalues[1]).toBeCloseTo(2, 3);
    expect(Math.abs(m.trace - 7.5)).toBeLessThan(4 * m.traceStdError);
    // per-probe variance 2(‖A‖_F² − Σ A_ii²) = 2(30.25 − 14.0625) = 32.375
    const sd = m.traceStdError * Math.sqrt(600);
    expect(sd ** 2).toBeGreaterThan(0.75 * 32.375);
    expect(sd ** 2).toBeLessThan(1.25 * 32.375);
    disposeTree(w);
    q.dispose();
  });

  it('power iteration on diag(1, −6): the magnitude pass finds −6; the shifted pass finds λ_max = 1', () => {
    const q = quadraticTree([
      [1, 0],
      [0, -6],
    ]);
    const w = q.params([0.1, 0.1]);
    const mag = hessianPowerIteration(q.f, w, { shift: 0, which: 'magnitude', maxIter: 300 });
    const top = hessianPowerIteration(q.f, w, { which: 'largest', maxIter: 300 });
    expect(mag.value).toBeCloseTo(-6, 3);
    expect(top.value).toBeCloseTo(1, 3);
    [w, mag.vector, top.vector].forEach(disposeTree);
    q.dispose();
  });

  it('HVPs on the quadratic are A·v in both modes; on the valley they match the exact Hessian', () => {
    const q = quadraticTree(A);
    const w = q.params([0.3, -0.2, 0.1, 0.5]);
    const v = unflattenTree([1, 2, -1, 0.5], w);
    const Av = q.matvec([1, 2, -1, 0.5]);
    for (const mode of ['autodiff', 'fd'] as const) {
      const hv = flattenTree(hvpTree(q.f, w, v, { mode }));
      for (let i = 0; i < 4; i++) expect(hv[i]).toBeCloseTo(Av[i], 3);
    }
    const p = valleyAt(1.7, 0.3);
    const u = unflattenTree([0.6, -0.8], p);
    const hv = hvpTree(valleyF, p, u);
    const Hx = hyperbolaValley().hessian(Float64Array.of(1.7, 0.3));
    const got = flattenTree(hv);
    expect(got[0]).toBeCloseTo(Hx[0] * 0.6 - Hx[1] * 0.8, 5);
    expect(got[1]).toBeCloseTo(Hx[2] * 0.6 - Hx[3] * 0.8, 5);
    [w, v, p, u, hv].forEach(disposeTree);
    q.dispose();
  });
});

describe('m-sharpness reductions (§6.2 item 8)', () => {
  const model = mlp({ sizes: [3, 5, 2], activation: 'softplus' });
  it('m = n is the SAM-sharpness of the full loss; m = 1 is the mean of the per-example sharpnesses', () => {
    const params = model.init(7);
    const x = tf.tensor2d(
      [0.1, 0.5, -1, 1, 0.2, 0.3, -0.4, 0.9, 0.1, 0.7, -0.2, -0.5, 0.3, 0.3, 0.3, -1, 1, 0],
      [6, 3],
    );
    const y = tf.tensor1d([0, 1, 1, 0, 1, 0], 'int32');
    const data = { x, y };
    const before = tf.memory().numTensors;
    const full = samSharpness((p) => softmaxCrossEntropyLoss(model.apply(p, x), y), params, { rho: 0.1 });
    expect(
      mSharpness(model, softmaxCrossEntropyLoss, data, params, { m: 6, rho: 0.1 }).sharpness,
    ).toBeCloseTo(full.sharpness, 6);
    const m1 = mSharpness(model, softmaxCrossEntropyLoss, data, params, { m: 1, rho: 0.1 });
    let mean = 0;
    for (let i = 0; i < 6; i++) {
      const xi = tf.slice(x, i, 1);
      const yi = tf.slice(y, i, 1);
      mean +=
        samSharpness((p) => softmaxCrossEntropyLoss(model.apply(p, xi), yi), params, { rho: 0.1 }).sharpness /
        6;
      tf.dispose([xi, yi]);
    }
    expect(m1.sharpness).toBeCloseTo(mean, 6);
    expect(m1.perSubBatch).toHaveLength(6);
    // sizes weight the sub-batches: m = 4 → parts of 4 and 2 examples
    expect(
      mSharpness(model, softmaxCrossEntropyLoss, data, params, { m: 4, rho: 0.1 }).perSubBatch,
    ).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => mSharpness(model, softmaxCrossEntropyLoss, data, params, { m: 0 })).toThrow(/m must be/);
    disposeTree(params);
    tf.dispose([x, y]);
  });
});

describe('interpolation and escape', () => {
  it('between two minima of the valley the barrier is f at the midpoint ½(1.5625 − 1)²; a convex bowl has none', () => {
    const a = valleyAt(2, 0.5);
    const b = valleyAt(0.5, 2);
    const c = interpolationBarrier(valleyF, a, b);
    expect(c.lossA).toBeCloseTo(0, 7);
    expect(c.lossB).toBeCloseTo(0, 7);
    expect(c.barrier).toBeCloseTo(0.5 * (1.25 * 1.25 - 1) ** 2, 5);
    const q = quadraticTree([[2]]);
    const u = q.params([-1]);
    const v = q.params([2]);
    expect(interpolationBarrier(q.f, u, v).barrier).toBeLessThanOrEqual(1e-6);
    expect(() => interpolationBarrier(q.f, u, a)).toThrow(/b/);
    [a, b, u, v].forEach(disposeTree);
    q.dispose();
  });

  it('escapeRate recovers e^r of an exponential and USAM’s 1.40 on the quadratic', () => {
    const d = Float64Array.from({ length: 20 }, (_, t) => 1e-3 * 1.3 ** t);
    const r = escapeRate(d);
    expect(r.factor).toBeCloseTo(1.3, 10);
    expect(r.r2).toBeCloseTo(1, 10);
    // USAM from w_s = 1e-4 next to the minimum: w_t = w_s·(−1.4)^t, d_t = |w_t − w_s| ≈ w_s·1.4^t once t is large
    const run = simulateToy(quadraticToy([3]), {
      start: [1e-4],
      steps: 20,
      learningRate: 0.5,
      method: 'usam',
      rho: 0.2,
      record: true,
    });
    const dist = run.trajectory.map((w) => Math.abs(w[0] - 1e-4));
    expect(Math.abs(escapeRate(dist, { from: 10 }).factor - 1.4)).toBeLessThan(0.01);
    expect(() => escapeRate([0, 0, 1])).toThrow(ValueError);
    expect(() => escapeRate([1, Number.NaN])).toThrow(/distances/);
    expect(() => escapeRate([1, 2, 3], { from: 2, to: 1 })).toThrow(/to/);
  });
});
