import { Matrix, Rng, ValueError, eigh, qr } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import type { TreeObjective } from '../grad';
import { softmaxCrossEntropyLoss } from '../losses';
import { mlp } from '../models/mlp';
import { mlpRef } from '../testing/referenceModels';
import { type ParamTree, disposeTree, flattenTree, treeNorm } from '../tree';
import { hessianEigs } from './hessianEigs';
import { hessianMatrix } from './hessianMatrix';
import { hutchinsonTrace } from './hutchinson';
import { linspace, lossAlongLine } from './lineLoss';
import { datasetObjective } from './objective';
import { hessianPowerIteration } from './powerIteration';

beforeAll(async () => {
  await ready();
});

/** ½ wᵀAw over params { q: { w: [d] } } with A = Q diag(λ) Qᵀ (Q random orthogonal). */
function quadratic(lambdas: number[], seed: number) {
  const d = lambdas.length;
  const G = new Matrix(d, d, new Rng(seed).normalArray(d * d));
  const Q = qr(G).Q;
  const A = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += Q.data[i * d + k] * lambdas[k] * Q.data[j * d + k];
      A.data[i * d + j] = s;
    }
  // the float32 operator's exact spectrum (A rounded to float32 and symmetrised)
  const A32 = new Matrix(d, d, Float64Array.from(Float32Array.from(A.data)));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const m = A32.data[i * d + j];
      A32.data[j * d + i] = m;
    }
  const At = tf.tensor2d(Float32Array.from(A32.data), [d, d]);
  const f: TreeObjective = (p) =>
    tf.tidy(
      () =>
        tf.mul(
          0.5,
          tf.sum(tf.mul(p.q.w, tf.reshape(tf.matMul(At, tf.reshape(p.q.w, [d, 1])), [d]))),
        ) as tf.Scalar,
    );
  const params: ParamTree = { q: { w: normalTensor(new Rng(seed).fold('w'), [d]) } };
  const exact = eigh(A32, { vectors: false }).values; // ascending
  return {
    f,
    params,
    A: A32,
    exact,
    dispose: () => {
      At.dispose();
      disposeTree(params);
    },
  };
}

const spectrum = Array.from({ length: 40 }, (_, i) => -12 + (22 * i) / 39); // −12 … 10, negative end dominant

describe('Hessian spectra on quadratics with known eigenvalues', () => {
  it('Lanczos finds the k largest, smallest and largest-magnitude eigenvalues', () => {
    const q = quadratic(spectrum, 1);
    const top = hessianEigs(q.f, q.params, 3, { vectors: true });
    const ex = Array.from(q.exact);
    const want = ex.slice(-3).reverse();
    top.values.forEach((v, i) => {
      expect(Math.abs(v - want[i])).toBeLessThan(1e-4 * 12);
    });
    expect(top.hvps).toBeLessThanOrEqual(40);
    // eigenvector check: ‖Hu − λu‖ small
    const u = flattenTree(top.vectors[0]);
    const d = 40;
    let res = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += q.A.data[i * d + j] * u[j];
      res += (s - top.values[0] * u[i]) ** 2;
    }
    expect(Math.sqrt(res)).toBeLessThan(1e-3);
    for (const v of top.vectors) disposeTree(v);
    const low = hessianEigs(q.f, q.params, 2, { which: 'smallest' });
    expect(Math.abs(low.values[0] - ex[0])).toBeLessThan(1.2e-3);
    const mag = hessianEigs(q.f, q.params, 1, { which: 'magnitude' });
    expect(Math.abs(mag.values[0] - ex[0])).toBeLessThan(1.2e-3);
    q.dispose();
  });

  it('power iteration finds λ_max even when the most negative eigenvalue dominates (shifted second pass)', () => {
    const lambdas = [-12, -11, 10, 4, 3, 2, 1, 0.5, -3, 0.1];
    const q = quadratic(lambdas, 2);
    const mag = hessianPowerIteration(q.f, q.params, { shift: 0, tol: 1e-7, maxIter: 2000 });
    expect(mag.value).toBeCloseTo(-12, 2);
    const top = hessianPowerIteration(q.f, q.params, { tol: 1e-7, maxIter: 2000 });
    expect(top.converged).toBe(true);
    expect(top.value).toBeCloseTo(10, 2);
    expect(treeNorm(top.vector)).toBeCloseTo(1, 5);
    disposeTree(mag.vector);
    disposeTree(top.vector);
    // an explicit shift: the eigenvalue farthest from σ = −12 is 10
    const shifted = hessianPowerIteration(q.f, q.params, { shift: -12, tol: 1e-7, maxIter: 2000 });
    expect(shifted.value).toBeCloseTo(10, 2);
    disposeTree(shifted.vector);
    q.dispose();
  });

  it('Hutchinson is unbiased within its standard error, which matches the Rademacher variance formula', () => {
    const q = quadratic(spectrum, 3);
    const d = 40;
    const tr = spectrum.reduce((a, b) => a + b, 0);
    const r = hutchinsonTrace(q.f, q.params, { probes: 200, seed: 5 });
    let fro = 0;
    let diag = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) fro += q.A.data[i * d + j] ** 2;
      diag += q.A.data[i * d + i] ** 2;
    }
    const se = Math.sqrt((2 * (fro - diag)) / 200);
    expect(Math.abs(r.trace - tr)).toBeLessThan(4 * se);
    expect(r.stdError / se).toBeGreaterThan(0.75);
    expect(r.stdError / se).toBeLessThan(1.25);
    q.dispose();
  });

  it('lossAlongLine interpolates and extrapolates the quadratic exactly', () => {
    const q = quadratic([3, 1, 2], 4);
    const b: ParamTree = { q: { w: tf.tensor1d([0.5, -1, 2]) } };
    const alphas = linspace(-0.2, 1.2, 8);
    const got = lossAlongLine(q.f, q.params, b, alphas);
    const a = flattenTree(q.params);
    const bb = flattenTree(b);
    alphas.forEach((t, i) => {
      const w = a.map((u, k) => (1 - t) * u + t * bb[k]);
      let s = 0;
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) s += 0.5 * w[r] * q.A.data[r * 3 + c] * w[c];
      expect(got[i]).toBeCloseTo(s, 4);
    });
    expect(() => lossAlongLine(q.f, q.params, b, [Number.NaN])).toThrow(ValueError);
    disposeTree(b);
    q.dispose();
  });
});

describe('Hessian of a small ReLU network against the float64 reference', () => {
  it('hessianMatrix equals the reference Hessian; Lanczos and power iteration agree with its eigenvalues', () => {
    const rng = new Rng('small-net');
    const n = 8;
    const X = rng.normalArray32(n * 3);
    const labels = [0, 1, 1, 0, 1, 0, 0, 1];
    const x = tf.tensor2d(X, [n, 3]);
    const y = tf.tensor1d(labels, 'int32');
    const model = mlp({ sizes: [3, 4, 2] });
    const params = model.init(11);
    const w = flattenTree(params);
    const d = w.length;
    const ref = new Matrix(d, d);
    for (let j = 0; j < d; j++) {
      const e = new Float64Array(d);
      e[j] = 1;
      const col = mlpRef(w, e, [3, 4, 2], X, labels, 'relu').hv;
      for (let i = 0; i < d; i++) ref.data[i * d + j] = col[i];
    }
    // the full-data objective in two parts (batches of 5 and 3) sums to the mean loss
    const f = datasetObjective(model, softmaxCrossEntropyLoss, { x, y }, { batchSize: 5 });
    expect(f).toHaveLength(2);
    const before = tf.memory().numTensors;
    const H = hessianMatrix(f, params);
    let maxDiff = 0;
    let scale = 0;
    for (let i = 0; i < d * d; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(H.data[i] - ref.data[i]));
      scale = Math.max(scale, Math.abs(ref.data[i]));
    }
    expect(maxDiff / scale).toBeLessThan(1e-5);
    const exact = Array.from(eigh(ref, { vectors: false }).values).reverse();
    const lz = hessianEigs(f, params, 3);
    lz.values.forEach((v, i) => {
      expect(Math.abs(v - exact[i]) / exact[0]).toBeLessThan(1e-4);
    });
    const pw = hessianPowerIteration(f, params, { tol: 1e-8, maxIter: 500 });
    expect(Math.abs(pw.value - exact[0]) / exact[0]).toBeLessThan(1e-3);
    disposeTree(pw.vector);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(params);
    tf.dispose([x, y]);
  });

  it('rejects bad arguments with typed errors', () => {
    const q = quadratic([1, 2, 3], 6);
    expect(() => hessianEigs(q.f, q.params, 0)).toThrow(/k must be an integer/);
    expect(() => hessianEigs(q.f, q.params, 4)).toThrow(/k must be an integer/);
    expect(() => hessianEigs(q.f, q.params, 1, { tol: -1 })).toThrow(/tol/);
    expect(() => hutchinsonTrace(q.f, q.params, { probes: 1 })).toThrow(/probes/);
    expect(() => hessianPowerIteration(q.f, q.params, { which: 'smallest' as never })).toThrow(/which/);
    expect(() => hessianMatrix(q.f, q.params, { maxSize: 2 })).toThrow(/maxSize/);
    expect(() => hessianEigs([] as never, q.params, 1)).toThrow(/non-empty array/);
    q.dispose();
  });
});
