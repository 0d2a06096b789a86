/**
 * No tensor leaks: 1000 calls of every tensor-touching API of autodiff, finiteDiff, safeOps,
 * kernels and mmd leave `tf.memory().numTensors` unchanged (results the caller owns are disposed
 * by the caller, as documented). Error paths are included.
 */
import { grad, hessian, hvp, valueAndGrad, valueAndGradRows, valueAndGrads } from './autodiff';
import { Matrix } from '@descent/tensor';
import { ready, tf } from './backend';
import { checkGrad, checkHvp } from './derivativeChecks';
import { ValueError, imq, kernelGram, rbf } from '@descent/tensor';
import { kernelMatrixTensor, pairwiseSqDistancesTensor, svgdTermsTensor } from './kernels';
import { mmd2Tensor } from './mmd';
import {
  gatherRows,
  safeExp,
  safeLogSoftmax,
  safeLogSumExp,
  safeNorm,
  safeSigmoid,
  safeSoftmax,
  safeSoftplus,
  safeTanh,
  softmaxCrossEntropy,
} from './safeOps';

const N = 1000;

function expectNoLeak(name: string, body: () => void, calls = N): void {
  // warm up once (lazy kernel registration and caches are not leaks)
  body();
  const before = tf.memory().numTensors;
  for (let i = 0; i < calls; i++) body();
  expect({ name, leaked: tf.memory().numTensors - before }).toEqual({ name, leaked: 0 });
}

const swallow = (fn: () => unknown) => () => {
  try {
    fn();
  } catch {
    /* expected */
  }
};

let X: tf.Tensor2D;
let Y: tf.Tensor2D;
let labels: tf.Tensor2D;
beforeAll(async () => {
  await ready();
  X = tf.tensor2d([
    [0.1, 0.2, -0.3],
    [1, -1, 0.5],
  ]);
  Y = tf.tensor2d([
    [0, 0, 1],
    [0.5, 0.5, 0.5],
    [-1, 0, 0],
  ]);
  labels = tf.tensor2d([
    [0, 1, 0],
    [1, 0, 0],
  ]);
});
afterAll(() => tf.dispose([X, Y, labels]));

const f = (x: tf.Tensor1D) => tf.sum(tf.mul(safeTanh(x), safeSigmoid(x))) as tf.Scalar;
const x0 = new Float64Array([0.3, -0.2, 0.9]);
const v0 = new Float64Array([1, 0.5, -1]);

describe(`no tensor leaks after ${N} calls`, () => {
  it('autodiff and finite-difference checkers', () => {
    const vg = valueAndGrad(f);
    const g = grad(f);
    expectNoLeak('valueAndGrad', () => vg(x0));
    expectNoLeak('grad', () => g(x0));
    const t = tf.tensor1d([0.3, -0.2, 0.9]);
    expectNoLeak('valueAndGrad(tensor input)', () => vg(t));
    t.dispose();
    const vgs = valueAndGrads(({ a, b }) => tf.sum(tf.mul(safeExp(a), b)));
    expectNoLeak('valueAndGrads', () => tf.dispose(vgs({ a: X, b: X }).grads));
    const rows = valueAndGradRows((Z) => tf.sum(safeTanh(Z), 1));
    const P = Matrix.from([
      [0.1, 0.2],
      [0.3, -0.4],
    ]);
    expectNoLeak('valueAndGradRows', () => rows(P));
    expectNoLeak(
      'valueAndGradRows error (wrong count)',
      swallow(() => valueAndGradRows((Z) => tf.sum(Z))(P)),
    );
    expectNoLeak('hvp autodiff', () => hvp(f, x0, v0));
    expectNoLeak('hvp fd', () => hvp(f, x0, v0, { mode: 'fd' }));
    expectNoLeak('hessian', () => hessian(f, x0), 200);
    // the checkers and hessian are compositions of the above (and cost 3-8 passes each): 200 calls
    expectNoLeak('checkGrad', () => checkGrad(f, x0), 200);
    expectNoLeak('checkHvp', () => checkHvp(f, x0, v0), 200);
    expectNoLeak(
      'valueAndGrad error (non-finite)',
      swallow(() => valueAndGrad((z) => tf.sum(tf.log(z)))([-1, 1])),
    );
    expectNoLeak(
      'valueAndGrad error (non-scalar)',
      swallow(() => valueAndGrad((z) => tf.mul(safeTanh(z), z))([1, 2])),
    );
    expectNoLeak(
      'valueAndGrads error (non-scalar)',
      swallow(() => valueAndGrads(({ a }) => tf.square(a))({ a: X })),
    );
    expectNoLeak(
      'hvp error (non-scalar)',
      swallow(() => hvp((z) => tf.square(z), x0, v0)),
    );
    expectNoLeak(
      'hvp error (bad v)',
      swallow(() => hvp(f, x0, [1])),
    );
    // NOT tested: a double backprop that tfjs itself rejects (e.g. through stock tf.sigmoid) leaks the
    // tape's saved tensors inside tfjs (engine.gradients throws before disposing them); hvp turns
    // that failure into a NotSupportedError pointing at safeOps.
  }, 300_000);

  it('safe ops, forward and under nested gradients', () => {
    const ops: [string, (t: tf.Tensor) => tf.Tensor][] = [
      ['safeExp', safeExp],
      ['safeSigmoid', safeSigmoid],
      ['safeTanh', safeTanh],
      ['safeSoftplus', safeSoftplus],
      ['safeSoftmax', (t) => safeSoftmax(t)],
      ['safeLogSoftmax', (t) => safeLogSoftmax(t)],
      ['safeLogSumExp', (t) => safeLogSumExp(t, 1)],
      ['safeLogSumExp keepDims', (t) => safeLogSumExp(t, 0, true)],
      ['safeNorm', (t) => safeNorm(t, { axis: 1 })],
      ['softmaxCrossEntropy', (t) => softmaxCrossEntropy(labels, t as tf.Tensor2D)],
      ['gatherRows', (t) => gatherRows(t as tf.Tensor2D, [1, 0, 1])],
    ];
    for (const [name, op] of ops) {
      expectNoLeak(`${name} forward`, () => op(X).dispose());
      expectNoLeak(`${name} gradient`, () =>
        tf
          .grad((w: tf.Tensor) => tf.sum(op(w)))(X)
          .dispose(),
      );
      expectNoLeak(
        `${name} second derivative`,
        () =>
          tf
            .grad((z: tf.Tensor) => tf.sum(tf.mul(tf.grad((w: tf.Tensor) => tf.sum(op(w)))(z), z)))(X)
            .dispose(),
        50,
      );
    }
  }, 300_000);

  it('kernels and MMD² on tensors', () => {
    const k = rbf({ bandwidth: 0.9 });
    const q = imq();
    expectNoLeak('pairwiseSqDistancesTensor', () => pairwiseSqDistancesTensor(X, Y).dispose());
    expectNoLeak('rbf.matrixTensor', () => kernelMatrixTensor(k, X, Y).dispose());
    expectNoLeak('imq.matrixTensor', () => kernelMatrixTensor(q, X).dispose());
    expectNoLeak('rbf.svgdTermsTensor', () => tf.dispose(svgdTermsTensor(k, Y)));
    expectNoLeak('imq.svgdTermsTensor', () => tf.dispose(svgdTermsTensor(q, Y)));
    expectNoLeak('mmd2Tensor', () => mmd2Tensor(X, Y, k).dispose());
    expectNoLeak('mmd2Tensor unbiased', () => mmd2Tensor(X, Y, q, { unbiased: true }).dispose());
  }, 300_000);
});

describe('no leaks when the user function throws (issue 11: valueAndGrad leaked two tensors)', () => {
  it('valueAndGrad, valueAndGradRows and valueAndGrads release the abandoned tape', async () => {
    await ready();
    const boom = () => {
      throw new Error('user code failed');
    };
    const x = Float64Array.of(0.5, -1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      expect(() =>
        valueAndGrad((t) => {
          tf.exp(tf.mul(t, 2));
          return boom();
        })(x),
      ).toThrow('user code failed');
      expect(() =>
        valueAndGradRows((X) => {
          tf.exp(X);
          return boom();
        })([[1, 2]]),
      ).toThrow('user code failed');
      const p = { w: tf.tensor1d([1, 2]) };
      expect(() =>
        valueAndGrads((q) => {
          tf.square(q.w);
          return boom();
        })(p),
      ).toThrow('user code failed');
      p.w.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('one kernel spec, evaluated on arrays (core) and on tensors (tf layer)', () => {
  it('kernelMatrixTensor(spec) equals kernelMatrixTensor(rbf()) and the float64 Gram matrix to float32 precision', async () => {
    await ready();
    const pts = [
      [0.3, -1],
      [1.2, 0.4],
      [-0.7, 2],
    ];
    const X = tf.tensor2d(pts);
    const a = kernelMatrixTensor({ type: 'rbf', bandwidth: 0.8 }, X);
    const b = kernelMatrixTensor(rbf({ bandwidth: 0.8 }), X);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const ref = kernelGram({ type: 'rbf', bandwidth: 0.8 }, Float64Array.from(pts.flat()), 3, 2);
    const got = Array.from(a.dataSync());
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(ref[i], 5);
    expect(() => kernelMatrixTensor({ type: 'linear' }, X)).toThrow(ValueError);
    tf.dispose([X, a, b]);
  });
});
