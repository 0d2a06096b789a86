import { hvp, valueAndGrad } from './autodiff';
import { ready, tf } from './backend';
import { NotSupportedError, ShapeError, ValueError } from '@descent/tensor';
import { maxRelativeError } from '@descent/tensor';
import { checkHvp } from './derivativeChecks';
import { Rng } from '@descent/tensor';
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

/**
 * A small MLP classifier 4 → 5 → 3 with softmax cross-entropy on a batch of 6, parameters flat
 * (W1 20, b1 5, W2 15, b2 3 = 43). `act` and `loss` choose stock or safe ops.
 */
function mlpLoss(
  act: (x: tf.Tensor) => tf.Tensor,
  loss: (labels: tf.Tensor, logits: tf.Tensor) => tf.Tensor,
) {
  const rng = new Rng('mlp-data');
  const X = tf.tensor2d(Float32Array.from(rng.normalArray(6 * 4)), [6, 4]);
  const labels = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32');
  const f = (w: tf.Tensor1D) => {
    const W1 = tf.reshape(tf.slice(w, [0], [20]), [4, 5]);
    const b1 = tf.slice(w, [20], [5]);
    const W2 = tf.reshape(tf.slice(w, [25], [15]), [5, 3]);
    const b2 = tf.slice(w, [40], [3]);
    const h = act(tf.add(tf.matMul(X, W1), b1));
    return loss(labels, tf.add(tf.matMul(h, W2), b2)) as tf.Scalar;
  };
  return { f, dispose: () => tf.dispose([X, labels]) };
}

const rng = new Rng('safe-ops-test');
const w0 = Float64Array.from(rng.normalArray(43, 0, 0.5));
const v0 = Float64Array.from(rng.normalArray(43));

describe.each(['wasm', 'cpu'] as const)('safe ops on %s', (backend) => {
  beforeAll(async () => {
    expect((await ready({ backend, fallback: false })).backend).toBe(backend);
  });

  it('HVP of a softmax cross-entropy tanh MLP matches finite differences to 1e-3 relative with safe ops', () => {
    const { f, dispose } = mlpLoss(safeTanh, (y, z) => softmaxCrossEntropy(y, z));
    const c = checkHvp(f, w0, v0, { fdStep: 1e-2 });
    expect(c.maxRelError).toBeLessThan(1e-3);
    // and the same loss value and gradient as the stock ops
    const stock = mlpLoss(tf.tanh, (y, z) => tf.losses.softmaxCrossEntropy(y, z));
    const a = valueAndGrad(f)(w0);
    const b = valueAndGrad(stock.f)(w0);
    expect(a.value).toBeCloseTo(b.value, 5);
    expect(maxRelativeError(a.grad, b.grad)).toBeLessThan(1e-5);
    dispose();
    stock.dispose();
  });

  it('HVPs through safeSigmoid, safeSoftplus, safeExp and safeLogSumExp match finite differences', () => {
    const x = [0.3, -1.2, 0.8, 2.0];
    const v = [1, -0.5, 0.25, 2];
    const fns: [string, (x: tf.Tensor1D) => tf.Scalar][] = [
      ['sigmoid', (z) => tf.sum(tf.mul(safeSigmoid(z), tf.range(1, 5)))],
      ['softplus', (z) => tf.sum(tf.square(safeSoftplus(z)))],
      ['exp', (z) => tf.sum(tf.mul(safeExp(z), safeExp(tf.mul(z, 0.5))))],
      ['logSumExp', (z) => tf.square(safeLogSumExp(z) as tf.Scalar)],
      ['softmax', (z) => tf.sum(tf.mul(safeSoftmax(z), tf.tensor1d([1, -2, 3, 0.5])))],
      ['logSoftmax', (z) => tf.sum(tf.mul(safeLogSoftmax(z), tf.tensor1d([0.1, 0.2, 0.3, 0.4])))],
    ];
    for (const [name, fn] of fns) {
      const c = checkHvp(fn, x, v);
      expect({ name, err: c.maxRelError < 1e-3 }).toEqual({ name, err: true });
    }
  });

  it('third derivative through safeExp is right too (d³/dx³ eˣ = eˣ)', () => {
    const x = tf.scalar(0.7);
    const g3 = tf.grad(tf.grad(tf.grad((z: tf.Tensor) => safeExp(z))))(x);
    expect(g3.dataSync()[0]).toBeCloseTo(Math.exp(0.7), 5);
    tf.dispose([x, g3]);
  });

  it('CANARY tfjs#3252: stock ops give a wrong HVP or throw (flips if tfjs is ever fixed)', () => {
    // (a) stock tanh with stock softmax cross-entropy: the HVP is silently wrong or throws
    const { f, dispose } = mlpLoss(tf.tanh, (y, z) => tf.losses.softmaxCrossEntropy(y, z));
    let broken: boolean;
    try {
      broken = checkHvp(f, w0, v0).maxRelError > 0.1;
    } catch (e) {
      broken = /Cannot compute gradient/.test(String(e));
    }
    expect(broken).toBe(true);
    dispose();
    // (b) relu MLP (relu is fine) with stock logSoftmax cross-entropy: silently wrong, no throw
    const relu = mlpLoss(tf.relu, (y, z) => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(z)), -1))));
    expect(checkHvp(relu.f, w0, v0).maxRelError).toBeGreaterThan(0.1);
    relu.dispose();
    // the same relu network with safeLogSoftmax is right
    const fixed = mlpLoss(tf.relu, (y, z) => tf.neg(tf.mean(tf.sum(tf.mul(y, safeLogSoftmax(z)), -1))));
    expect(checkHvp(fixed.f, w0, v0).maxRelError).toBeLessThan(1e-3);
    fixed.dispose();
    // (c) the second derivative of stock sigmoid alone throws
    expect(() => hvp((z) => tf.sum(tf.sigmoid(z)), [0.5], [1])).toThrow(/Cannot compute gradient/);
    expect(() => hvp((z) => tf.sum(tf.sigmoid(z)), [0.5], [1])).toThrow(NotSupportedError);
  });

  it('forward values equal the stock ops, and are stable at extreme inputs', () => {
    const x = tf.tensor2d([
      [0.5, -2, 3],
      [1000, -1000, 0],
    ]);
    const pairs: [tf.Tensor, tf.Tensor][] = [
      [safeSigmoid(x), tf.sigmoid(x)],
      [safeTanh(x), tf.tanh(x)],
      [safeSoftplus(x), tf.softplus(x)],
      [safeSoftmax(x), tf.softmax(x)],
      [safeLogSoftmax(x), tf.logSoftmax(x)],
      [safeLogSumExp(x, 1), tf.logSumExp(x, 1)],
    ];
    for (const [a, b] of pairs) {
      const av = a.dataSync();
      const bv = b.dataSync();
      for (let i = 0; i < av.length; i++) {
        expect(Number.isFinite(av[i])).toBe(true);
        expect(Math.abs(av[i] - bv[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(bv[i])));
      }
    }
    tf.dispose([x, ...pairs.flat()]);
  });

  it('logSumExp/logSoftmax/softmax of an all −∞ slice: −∞ / −∞ / 0 with a zero (not NaN) gradient', () => {
    const x = tf.tensor2d([
      [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY],
      [0, Number.NEGATIVE_INFINITY],
    ]);
    const l = safeLogSumExp(x, 1);
    expect(Array.from(l.dataSync())).toEqual([Number.NEGATIVE_INFINITY, 0]);
    const ls = safeLogSoftmax(x);
    expect(Array.from(ls.dataSync())).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0,
      Number.NEGATIVE_INFINITY,
    ]);
    const sm = safeSoftmax(x);
    expect(Array.from(sm.dataSync())).toEqual([0, 0, 1, 0]);
    const g = tf.grad((z: tf.Tensor) => tf.sum(safeSoftmax(z)))(x);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    const gl = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(safeLogSumExp(z, 1), tf.tensor1d([0, 1]))))(x);
    expect(Array.from(gl.dataSync())).toEqual([0, 0, 1, 0]);
    tf.dispose([x, l, ls, sm, g, gl]);
  });

  it('softmaxCrossEntropy equals tf.losses.softmaxCrossEntropy and supports sum/none reductions', () => {
    const y = tf.tensor2d([
      [0, 1, 0],
      [0.2, 0.3, 0.5],
    ]);
    const z = tf.tensor2d([
      [1, 2, 3],
      [-1, 0, 4],
    ]);
    const ours = softmaxCrossEntropy(y, z);
    const stock = tf.losses.softmaxCrossEntropy(y, z);
    expect(ours.dataSync()[0]).toBeCloseTo(stock.dataSync()[0], 5);
    const none = softmaxCrossEntropy(y, z, { reduction: 'none' });
    const sum = softmaxCrossEntropy(y, z, { reduction: 'sum' });
    expect(none.shape).toEqual([2]);
    expect(sum.dataSync()[0]).toBeCloseTo(none.dataSync()[0] + none.dataSync()[1], 5);
    expect(() => softmaxCrossEntropy(tf.zeros([2, 2]), z)).toThrow(ShapeError);
    // a masked class (logit −∞, label 0) contributes 0 (the stock loss gives NaN), gradient finite
    const ym = tf.tensor2d([[1, 0, 0]]);
    const zm = tf.tensor2d([[0, Number.NEGATIVE_INFINITY, 1]]);
    expect(softmaxCrossEntropy(ym, zm).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.E), 5);
    const gm = tf.grad((t: tf.Tensor) => softmaxCrossEntropy(ym, t))(zm);
    const e = Math.E / (1 + Math.E);
    expect(Array.from(gm.dataSync()).map((v) => +v.toFixed(5))).toEqual([+(-e).toFixed(5), 0, +e.toFixed(5)]);
    tf.dispose([ym, zm, gm]);
    tf.dispose([y, z, ours, stock, none, sum]);
  });

  it('safeNorm has a finite gradient at 0 (tf.norm gives NaN)', () => {
    const z = tf.zeros([3]);
    const g = tf.grad((t: tf.Tensor) => safeNorm(t))(z);
    expect(Array.from(g.dataSync())).toEqual([0, 0, 0]);
    const gs = tf.grad((t: tf.Tensor) => tf.norm(t))(z);
    expect(Number.isNaN(gs.dataSync()[0])).toBe(true);
    const n = safeNorm(tf.tensor1d([3, 4]), { eps: 0 + 1e-30 });
    expect(n.dataSync()[0]).toBeCloseTo(5, 5);
    tf.dispose([z, g, gs, n]);
  });

  it('gatherRows equals tf.gather and is differentiable (repeated indices accumulate)', () => {
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const idx = [2, 0, 2];
    const a = gatherRows(x, idx);
    const b = tf.gather(x, tf.tensor1d(idx, 'int32'));
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const g = tf.grad((t: tf.Tensor) => tf.sum(gatherRows(t as tf.Tensor2D, idx)))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    if (backend === 'wasm') {
      // CANARY tfjs#8082: the stock gather gradient needs UnsortedSegmentSum, missing on wasm
      expect(() => tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, [2, 0])))(x)).toThrow(/UnsortedSegmentSum/);
    }
    expect(() => gatherRows(x, [3])).toThrow(ValueError);
    expect(() => gatherRows(x, [0.5])).toThrow(ValueError);
    tf.dispose([x, a, b, g]);
  });

  it('rejects non-tensors and bad axes with typed errors', () => {
    expect(() => safeExp([1, 2] as never)).toThrow(ShapeError);
    const x = tf.ones([2, 2]);
    expect(() => safeSoftmax(x, 2)).toThrow(ValueError);
    expect(() => safeLogSumExp(x, -3)).toThrow(/axis/);
    x.dispose();
  });
});
