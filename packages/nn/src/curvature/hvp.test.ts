import { NotSupportedError, Rng } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { objective } from '../grad';
import { valueAndGradTree } from '../grad';
import type { Model } from '../layer';
import { type LossFn, logisticLoss, meanSquaredError, softmaxCrossEntropyLoss } from '../losses';
import { cnn } from '../models/cnn';
import { mlp } from '../models/mlp';
import { transformer } from '../models/transformer';
import { cnnRef, logisticRef, mlpRef, mseRef, transformerRef } from '../testing/referenceModels';
import { type ParamTree, disposeTree, flattenTree, treeShapes, unflattenTree } from '../tree';
import { type HvpMode, hvpTree } from './hvp';
import { relErr } from '../testing/relativeError';

beforeAll(async () => {
  await ready();
});

interface Case {
  model: Model;
  loss: LossFn;
  x: tf.Tensor;
  y: tf.Tensor;
  ref: (w: Float64Array, v: Float64Array) => { value: number; grad: Float64Array; hv: Float64Array };
}

/**
 * tfjs value, gradient and HVPs against the float64 hyper-dual reference; `hv` is the worst
 * relative error over `modes` (by default both exact modes: double backprop and forward mode).
 */
function compare(c: Case, seed: number, modes: readonly HvpMode[] = ['autodiff', 'rop']) {
  const params = c.model.init(seed);
  const w = flattenTree(params);
  const v = new Rng(seed).fold('v').normalArray(w.length);
  const vt = unflattenTree(v, params);
  const f = objective(c.model, c.loss, c.x, c.y);
  const ref = c.ref(w, v);
  const before = tf.memory().numTensors;
  const { value, grads } = valueAndGradTree(f)(params);
  const got = { value, grad: flattenTree(grads) };
  disposeTree(grads);
  let hvErr = 0;
  for (const mode of modes) {
    const hv = hvpTree(f, params, vt, { mode });
    hvErr = Math.max(hvErr, relErr(flattenTree(hv), ref.hv));
    disposeTree(hv);
  }
  expect(tf.memory().numTensors).toBe(before);
  disposeTree(params);
  disposeTree(vt);
  const r = {
    value: Math.abs(got.value - ref.value) / Math.abs(ref.value),
    grad: relErr(got.grad, ref.grad),
    hv: hvErr,
  };
  if (process.env.NN_DEBUG) console.log(c.model.name, JSON.stringify(r));
  return r;
}

const rng = new Rng('hvp-test');

describe('exact HVPs (autodiff and forward mode) of every model match a float64 reference (hyper-dual forward mode)', () => {
  const n = 6;
  it.each(['relu', 'tanh'] as const)('MLP 5-7-4 with %s and softmax cross-entropy', (act) => {
    const X = rng.normalArray32(n * 5);
    const labels = [0, 1, 2, 3, 1, 2];
    const c: Case = {
      model: mlp({ sizes: [5, 7, 4], activation: act }),
      loss: softmaxCrossEntropyLoss,
      x: tf.tensor2d(X, [n, 5]),
      y: tf.tensor1d(labels, 'int32'),
      ref: (w, v) => mlpRef(w, v, [5, 7, 4], X, labels, act),
    };
    for (const seed of [1, 2, 3]) {
      const e = compare(c, seed);
      expect(e.value).toBeLessThan(1e-6);
      expect(e.grad).toBeLessThan(1e-5);
      expect(e.hv).toBeLessThan(1e-5);
    }
    tf.dispose([c.x, c.y]);
  });

  it('logistic regression (logistic loss)', () => {
    const X = rng.normalArray32(n * 3);
    const labels = [0, 1, 1, 0, 1, 0];
    const c: Case = {
      model: mlp({ sizes: [3, 1] }),
      loss: logisticLoss,
      x: tf.tensor2d(X, [n, 3]),
      y: tf.tensor1d(labels, 'float32'),
      ref: (w, v) => logisticRef(w, v, 3, X, labels),
    };
    const e = compare(c, 4);
    expect(e.grad).toBeLessThan(1e-5);
    expect(e.hv).toBeLessThan(1e-5);
    tf.dispose([c.x, c.y]);
  });

  it('tanh MLP with mean squared error', () => {
    const X = rng.normalArray32(n * 3);
    const Y = rng.normalArray32(n * 2);
    const c: Case = {
      model: mlp({ sizes: [3, 5, 2], activation: 'tanh' }),
      loss: meanSquaredError,
      x: tf.tensor2d(X, [n, 3]),
      y: tf.tensor2d(Y, [n, 2]),
      ref: (w, v) => mseRef(w, v, [3, 5, 2], X, Y, n),
    };
    const e = compare(c, 5);
    expect(e.grad).toBeLessThan(1e-5);
    expect(e.hv).toBeLessThan(1e-5);
    tf.dispose([c.x, c.y]);
  });

  it('CNN (conv 3×3 → relu → maxPool → conv 3×3 → relu → maxPool → dense) on wasm', () => {
    const shape: [number, number, number] = [6, 6, 2];
    const X = rng.normalArray32(3 * 6 * 6 * 2);
    const labels = [0, 2, 1];
    const c: Case = {
      model: cnn({ inputShape: shape, channels: [3, 2], classes: 3 }),
      loss: softmaxCrossEntropyLoss,
      x: tf.tensor4d(X, [3, 6, 6, 2]),
      y: tf.tensor1d(labels, 'int32'),
      ref: (w, v) => cnnRef(w, v, shape, [3, 2], 3, 3, X, labels),
    };
    for (const seed of [6, 7]) {
      const e = compare(c, seed);
      expect(e.grad).toBeLessThan(1e-5);
      expect(e.hv).toBeLessThan(1e-5);
    }
    tf.dispose([c.x, c.y]);
  });

  it.each(['classify', 'nextToken'] as const)('tiny transformer (%s)', (task) => {
    const cfg = { vocab: 7, maxLength: 5, dim: 8, heads: 2, layers: 2, mlpRatio: 2, task, classes: 3 };
    const tokens = [
      [1, 4, 2, 6],
      [3, 0, 5, 5],
    ];
    const labels = task === 'classify' ? [2, 0] : [4, 2, 6, 1, 0, 5, 5, 3];
    const c: Case = {
      model: transformer(cfg),
      loss: softmaxCrossEntropyLoss,
      x: tf.tensor2d(tokens.flat(), [2, 4], 'int32'),
      y: task === 'classify' ? tf.tensor1d(labels, 'int32') : tf.tensor2d(labels, [2, 4], 'int32'),
      ref: (w, v) => transformerRef(w, v, cfg, tokens, labels),
    };
    // GPT-2's 0.02 init makes the loss nearly flat; scale the parameters up to test real curvature
    const model: Model = {
      name: c.model.name,
      init: (seed) => {
        const p = c.model.init(seed);
        const big = unflattenTree(
          Float64Array.from(flattenTree(p), (u) => (u === 0 ? 0.1 : u === 1 ? 1.2 : u * 15)),
          treeShapes(p),
        );
        disposeTree(p);
        return big;
      },
      apply: c.model.apply,
    };
    const e = compare({ ...c, model: { ...model, jvp: c.model.jvp } }, 8);
    expect(e.value).toBeLessThan(1e-6);
    expect(e.grad).toBeLessThan(1e-5);
    expect(e.hv).toBeLessThan(1e-5);
    tf.dispose([c.x, c.y]);
  });
});

describe('finite-difference HVPs', () => {
  it('agree with the exact HVP on a smooth (tanh) network', () => {
    const X = rng.normalArray32(6 * 5);
    const labels = [0, 1, 2, 3, 1, 2];
    const c: Case = {
      model: mlp({ sizes: [5, 7, 4], activation: 'tanh' }),
      loss: softmaxCrossEntropyLoss,
      x: tf.tensor2d(X, [6, 5]),
      y: tf.tensor1d(labels, 'int32'),
      ref: (w, v) => mlpRef(w, v, [5, 7, 4], X, labels, 'tanh'),
    };
    expect(compare(c, 9, ['fd']).hv).toBeLessThan(3e-4);
    tf.dispose([c.x, c.y]);
  });
});

describe('canaries: stock tfjs second derivatives are still wrong (tfjs#3252)', () => {
  it('a tanh MLP with tf.losses.softmaxCrossEntropy gives a wrong HVP, ours a right one', () => {
    const X = rng.normalArray32(6 * 5);
    const labels = [0, 1, 2, 3, 1, 2];
    const x = tf.tensor2d(X, [6, 5]);
    const y = tf.tensor1d(labels, 'int32');
    const model = mlp({ sizes: [5, 7, 4], activation: 'tanh' });
    const params = model.init(3);
    const w = flattenTree(params);
    const v = new Rng(3).fold('v').normalArray(w.length);
    const vt = unflattenTree(v, params);
    const ref = mlpRef(w, v, [5, 7, 4], X, labels, 'tanh');
    // the same network with stock ops: tf.tanh and tf.losses.softmaxCrossEntropy
    const stock = (p: ParamTree) =>
      tf.tidy(() => {
        const h = tf.tanh(tf.add(tf.matMul(x, p.dense0.W), p.dense0.b));
        const logits = tf.add(tf.matMul(h, p.dense1.W), p.dense1.b);
        return tf.losses.softmaxCrossEntropy(tf.oneHot(y, 4), logits) as tf.Scalar;
      });
    let stockErr = Number.POSITIVE_INFINITY;
    try {
      const hv = hvpTree(stock, params, vt);
      stockErr = relErr(flattenTree(hv), ref.hv);
      disposeTree(hv);
    } catch (e) {
      // throwing is the other way stock tfjs fails; also acceptable for the canary
      expect(e).toBeInstanceOf(NotSupportedError);
    }
    expect(stockErr).toBeGreaterThan(0.1);
    const ours = hvpTree(objective(model, softmaxCrossEntropyLoss, x, y), params, vt);
    expect(relErr(flattenTree(ours), ref.hv)).toBeLessThan(1e-5);
    disposeTree(ours);
    disposeTree(params);
    disposeTree(vt);
    tf.dispose([x, y]);
  });
});
