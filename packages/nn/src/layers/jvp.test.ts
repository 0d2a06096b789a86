/**
 * Forward mode (`Layer.jvp`, Pearlmutter's R-operator per layer) and the HVPs built on it:
 * every layer's tangent against central differences of its own `apply`, and the forward-mode
 * HVP (`hvpTree` mode 'rop') of models built from every layer kind against double backprop
 * (itself checked against float64 references in curvature/hvp.test.ts).
 */
import { NotSupportedError, Rng, ValueError } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { hvpTree } from '../curvature/hvp';
import { datasetObjective } from '../curvature/objective';
import { objective } from '../grad';
import { type Layer, type Model, sequential } from '../layer';
import { logisticLoss, meanSquaredError, softmaxCrossEntropyLoss } from '../losses';
import { cnn } from '../models/cnn';
import { transformer } from '../models/transformer';
import { type TensorGroup, disposeTree, flattenTree, mapTree, unflattenTree } from '../tree';
import { type Activation, activation, flatten } from './activation';
import { selfAttention } from './attention';
import { conv2d } from './conv2d';
import { dense } from './dense';
import { embedding } from './embedding';
import { layerNorm } from './layerNorm';
import { avgPool2d, maxPool2d } from './pool';
import { relErr } from '../testing/relativeError';

beforeAll(async () => {
  await ready();
});

const rng = new Rng('jvp');

function groupAxpy(g: TensorGroup, t: TensorGroup, eps: number): TensorGroup {
  const out: TensorGroup = {};
  for (const k of Object.keys(g)) out[k] = tf.add(g[k], tf.mul(t[k], eps));
  return out;
}

/**
 * The layer's jvp at (params, x) along (tangent, dx) against the central difference
 * [apply(θ + εθ̇, x + εẋ) − apply(θ − εθ̇, x − εẋ)]/(2ε); returns the relative errors of y and ẏ.
 */
function checkLayer(layer: Layer, inputShape: number[], eps: number, withDx = true) {
  const params = layer.init(rng.fold(layer.name));
  const tangent: TensorGroup = {};
  for (const k of Object.keys(params)) tangent[k] = normalTensor(rng.fold(layer.name, k), params[k].shape);
  const x = normalTensor(rng.fold(layer.name, 'x'), inputShape);
  const dx = withDx ? normalTensor(rng.fold(layer.name, 'dx'), inputShape) : null;
  const before = tf.memory().numTensors;
  const r = tf.tidy(() => {
    const { y, dy } = (layer.jvp as NonNullable<Layer['jvp']>)(params, tangent, x, dx);
    const y0 = layer.apply(params, x);
    const up = layer.apply(groupAxpy(params, tangent, eps), dx ? tf.add(x, tf.mul(dx, eps)) : x);
    const down = layer.apply(groupAxpy(params, tangent, -eps), dx ? tf.sub(x, tf.mul(dx, eps)) : x);
    const fd = tf.div(tf.sub(up, down), 2 * eps);
    expect(y.shape).toEqual(y0.shape);
    return {
      y: relErr(y.dataSync(), y0.dataSync()),
      dy: dy === null ? Number.NaN : relErr(dy.dataSync(), fd.dataSync()),
      shape: dy === null ? [] : dy.shape,
      yShape: y.shape,
    };
  });
  expect(tf.memory().numTensors).toBe(before);
  if (dx !== null || layer.hasParams) expect(r.shape).toEqual(r.yShape);
  tf.dispose([x, dx as tf.Tensor]);
  disposeTree({ p: params, t: tangent });
  return r;
}

describe('Layer.jvp: the tangent of every layer matches central differences of its apply', () => {
  // bilinear layers: the central difference is exact up to rounding for any ε
  it.each([
    ['dense rank 2', dense({ inputs: 5, units: 4 }), [3, 5]],
    ['dense rank 3 input', dense({ inputs: 5, units: 4 }), [2, 3, 5]],
    ['dense without bias', dense({ inputs: 5, units: 4, bias: false }), [3, 5]],
    ['conv2d same', conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3 }), [2, 5, 5, 2]],
    ['conv2d valid', conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 'valid' }), [2, 5, 6, 2]],
    ['conv2d 5×5 no bias', conv2d({ inChannels: 1, outChannels: 2, kernelSize: 5, bias: false }), [1, 6, 6, 1]],
    ['flatten', flatten(), [2, 3, 3, 2]],
    ['avgPool2d (odd size cropped)', avgPool2d(2), [2, 5, 5, 3]],
  ] as const)('%s (linear in (θ, x) jointly or bilinear)', (_name, layer, shape) => {
    for (const withDx of [true, false]) {
      const r = checkLayer(layer, [...shape], 0.5, withDx);
      expect(r.y).toBeLessThan(1e-6);
      if (!withDx && !layer.hasParams) expect(Number.isNaN(r.dy)).toBe(true); // zero tangent: null
      else expect(r.dy).toBeLessThan(1e-5);
    }
  });

  it.each(['tanh', 'sigmoid', 'softplus', 'gelu', 'linear'] as const)('activation %s', (a: Activation) => {
    const r = checkLayer(activation(a), [4, 6], 1e-2);
    expect(r.y).toBeLessThan(1e-6);
    expect(r.dy).toBeLessThan(5e-4); // O(ε²) of the central difference
  });

  it('relu and maxPool (piecewise linear: small step, no kink crossed at these seeds)', () => {
    for (const [layer, shape] of [
      [activation('relu'), [4, 6]],
      [maxPool2d(2), [2, 6, 6, 3]],
      [maxPool2d(3), [1, 7, 7, 2]],
    ] as const) {
      const r = checkLayer(layer, [...shape], 1e-3);
      expect(r.y).toBe(0);
      expect(r.dy).toBeLessThan(1e-3);
    }
  });

  it('relu: ẏ = ẋ·[x > 0] exactly (derivative 0 at 0, as the gradient)', () => {
    const x = tf.tensor2d([[-1, 0, 2, 3]]);
    const dx = tf.tensor2d([[5, 6, 7, 8]]);
    const { dy } = (activation('relu').jvp as NonNullable<Layer['jvp']>)({}, {}, x, dx);
    expect(Array.from((dy as tf.Tensor).dataSync())).toEqual([0, 0, 7, 8]);
    tf.dispose([x, dx, dy as tf.Tensor]);
  });

  it('maxPool ties share the tangent equally, as the gradient does', () => {
    const x = tf.tensor4d([1, 1, 0, 1], [1, 2, 2, 1]);
    const dx = tf.tensor4d([3, 6, 100, 9], [1, 2, 2, 1]);
    const { y, dy } = (maxPool2d(2).jvp as NonNullable<Layer['jvp']>)({}, {}, x, dx);
    expect(Array.from(y.dataSync())).toEqual([1]);
    expect((dy as tf.Tensor).dataSync()[0]).toBeCloseTo(6, 5); // (3 + 6 + 9)/3
    tf.dispose([x, dx, y, dy as tf.Tensor]);
  });

  it('layer norm (γ, β and x tangents)', () => {
    const r = checkLayer(layerNorm({ features: 6 }), [3, 6], 1e-2);
    expect(r.y).toBeLessThan(1e-6);
    expect(r.dy).toBeLessThan(1e-3);
  });
});

/** The forward-mode HVP of `model` against double backprop at two seeds; returns the worst error. */
function ropVsAutodiff(model: Model, loss: typeof softmaxCrossEntropyLoss, x: tf.Tensor, y: tf.Tensor): number {
  const f = objective(model, loss, x, y);
  expect(typeof f.directional).toBe('function');
  let worst = 0;
  for (const seed of [1, 2]) {
    const params = model.init(seed);
    const v = unflattenTree(new Rng(seed).fold('v').normalArray(flattenTree(params).length), params);
    const before = tf.memory().numTensors;
    const a = hvpTree(f, params, v, { mode: 'autodiff' });
    const b = hvpTree(f, params, v, { mode: 'rop' });
    const c = hvpTree(f, params, v); // 'auto' → 'rop'
    worst = Math.max(worst, relErr(flattenTree(b), flattenTree(a)));
    expect(flattenTree(c)).toEqual(flattenTree(b));
    for (const t of [a, b, c]) disposeTree(t);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(params);
    disposeTree(v);
  }
  return worst;
}

describe("hvpTree mode 'rop' (forward mode, then one reverse pass) equals double backprop", () => {
  const n = 5;
  const labels = () => tf.tensor1d([0, 1, 2, 1, 0], 'int32');

  it.each(['relu', 'tanh', 'sigmoid', 'softplus', 'gelu'] as const)('MLP with %s', (a) => {
    const x = normalTensor(rng.fold('mlp', a), [n, 4]);
    const y = labels();
    const model = sequential([dense({ inputs: 4, units: 6 }), activation(a), dense({ inputs: 6, units: 3 })]);
    expect(ropVsAutodiff(model, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it('dense → layer norm → relu → dense on rank-3 inputs (per-position logits)', () => {
    const x = normalTensor(rng.fold('ln'), [2, 3, 4]);
    const y = tf.tensor2d([0, 1, 2, 2, 1, 0], [2, 3], 'int32');
    const model = sequential([
      dense({ inputs: 4, units: 6 }),
      layerNorm({ features: 6 }),
      activation('relu'),
      dense({ inputs: 6, units: 3 }),
    ]);
    expect(ropVsAutodiff(model, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it('CNN with average pooling, tanh and a valid conv; CNN with max pooling', () => {
    const x = normalTensor(rng.fold('cnn'), [n, 6, 6, 2]);
    const y = labels();
    const avg = sequential([
      conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, padding: 'valid' }),
      activation('tanh'),
      avgPool2d(2),
      flatten(),
      dense({ inputs: 12, units: 3 }),
    ]);
    expect(ropVsAutodiff(avg, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-5);
    const max = cnn({ inputShape: [6, 6, 2], channels: [3, 4], classes: 3 });
    expect(ropVsAutodiff(max, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-5);
    tf.dispose([x, y]);
  });

  it.each(['classify', 'nextToken'] as const)('tiny transformer (%s): embedding, attention, layer norm, GELU', (task) => {
    const model = transformer({ vocab: 7, maxLength: 5, dim: 8, heads: 2, layers: 2, mlpRatio: 2, task, classes: 3 });
    const x = tf.tensor2d([1, 4, 2, 6, 3, 0, 5, 5], [2, 4], 'int32');
    const y = task === 'classify' ? tf.tensor1d([2, 0], 'int32') : tf.tensor2d([4, 2, 6, 1, 0, 5, 5, 3], [2, 4], 'int32');
    expect(ropVsAutodiff(model, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
  });

  it('embedding → selfAttention → flatten → dense as layers', () => {
    const model = sequential([
      embedding({ vocab: 6, dim: 4 }),
      selfAttention({ dim: 4, heads: 2, init: { normal: 0.5 }, outputInit: { normal: 0.5 } }),
      flatten(),
      dense({ inputs: 12, units: 3 }),
    ]);
    const x = tf.tensor2d([1, 4, 2, 5, 3, 0], [2, 3], 'int32');
    const y = tf.tensor1d([2, 0], 'int32');
    expect(ropVsAutodiff(model, softmaxCrossEntropyLoss, x, y)).toBeLessThan(1e-4);
    tf.dispose([x, y]);
  });

  it('logistic and squared-error losses (the loss tangent comes from its own gradient)', () => {
    const x = normalTensor(rng.fold('losses'), [n, 3]);
    const yb = tf.tensor1d([0, 1, 1, 0, 1]);
    const model1 = sequential([dense({ inputs: 3, units: 4 }), activation('softplus'), dense({ inputs: 4, units: 1 })]);
    expect(ropVsAutodiff(model1, logisticLoss, x, yb)).toBeLessThan(1e-5);
    const yr = normalTensor(rng.fold('targets'), [n, 2]);
    const model2 = sequential([dense({ inputs: 3, units: 4 }), activation('tanh'), dense({ inputs: 4, units: 2 })]);
    expect(ropVsAutodiff(model2, meanSquaredError, x, yr)).toBeLessThan(1e-5);
    tf.dispose([x, yb, yr]);
  });

  it('datasetObjective parts carry the forward mode; their HVP sums match double backprop', () => {
    const x = normalTensor(rng.fold('parts'), [7, 4]);
    const y = tf.tensor1d([0, 1, 2, 1, 0, 2, 2], 'int32');
    const model = sequential([dense({ inputs: 4, units: 5 }), activation('relu'), dense({ inputs: 5, units: 3 })]);
    const parts = datasetObjective(model, softmaxCrossEntropyLoss, { x, y }, { batchSize: 3 });
    expect(parts.every((p) => typeof p.directional === 'function')).toBe(true);
    const params = model.init(3);
    const v = mapTree((t) => tf.onesLike(t), params);
    const before = tf.memory().numTensors;
    const a = hvpTree(parts, params, v, { mode: 'autodiff' });
    const b = hvpTree(parts, params, v, { mode: 'rop' });
    expect(relErr(flattenTree(b), flattenTree(a))).toBeLessThan(1e-5);
    // and the parts sum to the whole-batch objective's HVP
    const whole = hvpTree(objective(model, softmaxCrossEntropyLoss, x, y), params, v);
    expect(relErr(flattenTree(b), flattenTree(whole))).toBeLessThan(1e-5);
    for (const t of [a, b, whole]) disposeTree(t);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(params);
    disposeTree(v);
    tf.dispose([x, y]);
  });
});

describe('mode selection', () => {
  it("'auto' falls back to double backprop without a forward mode; 'rop' then is NotSupportedError naming mode", () => {
    const model = sequential([dense({ inputs: 3, units: 2 })]);
    const x = normalTensor(rng.fold('mode'), [4, 3]);
    const y = tf.tensor1d([0, 1, 1, 0], 'int32');
    const params = model.init(0);
    const v = mapTree((t) => tf.onesLike(t), params);
    const plain = (p: typeof params) => softmaxCrossEntropyLoss(model.apply(p, x), y);
    const auto = hvpTree(plain, params, v);
    const exact = hvpTree(objective(model, softmaxCrossEntropyLoss, x, y), params, v, { mode: 'rop' });
    expect(relErr(flattenTree(auto), flattenTree(exact))).toBeLessThan(1e-5);
    expect(() => hvpTree(plain, params, v, { mode: 'rop' })).toThrow(NotSupportedError);
    expect(() => hvpTree(plain, params, v, { mode: 'rop' })).toThrow(/mode 'rop' needs f.directional/);
    expect(() => hvpTree(plain, params, v, { mode: 'newton' as never })).toThrow(ValueError);
    expect(() => hvpTree(plain, params, v, { mode: 'newton' as never })).toThrow(/mode must be one of/);
    for (const t of [auto, exact, params, v]) disposeTree(t);
    tf.dispose([x, y]);
  });

  it('a model with a layer lacking a jvp has no forward mode', () => {
    const plainLayer: Layer = { ...dense({ inputs: 3, units: 2 }), jvp: undefined };
    const model = sequential([dense({ inputs: 4, units: 3 }), plainLayer]);
    expect(model.jvp).toBeUndefined();
    const x = normalTensor(rng.fold('nojvp'), [2, 4]);
    const y = tf.tensor1d([1, 0], 'int32');
    expect(objective(model, softmaxCrossEntropyLoss, x, y).directional).toBeUndefined();
    tf.dispose([x, y]);
  });
});
