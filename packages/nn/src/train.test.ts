import { Rng, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { objective, valueAndGradTree } from './grad';
import { softmaxCrossEntropyLoss } from './losses';
import { mlp } from './models/mlp';
import { adam } from './optim/adam';
import { sgd } from './optim/sgd';
import { disposeState } from './serialize';
import { type TrainState, evaluate, initTrainState, optimizerStep, trainStep } from './train';
import { disposeTree, flattenTree } from './tree';

beforeAll(async () => {
  await ready();
});

/** Three Gaussian blobs in 2-D (a problem an MLP solves to ~100%). */
function blobs(n: number, seed: number) {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  const centres = [
    [2, 0],
    [-1, 1.7],
    [-1, -1.7],
  ];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = centres[c][0] + 0.4 * rng.normal();
    x[2 * i + 1] = centres[c][1] + 0.4 * rng.normal();
  }
  return { x: tf.tensor2d(x, [n, 2]), y: tf.tensor1d(y, 'int32') };
}

describe('trainStep and evaluate', () => {
  const setup = {
    model: mlp({ sizes: [2, 16, 3] }),
    loss: softmaxCrossEntropyLoss,
    optimizer: adam({ learningRate: 0.05 }),
  };

  it('fits separable blobs to ≥ 99% accuracy, without tensor growth over 300 steps', () => {
    const train = blobs(96, 1);
    const test = blobs(300, 2);
    let state = initTrainState(setup, 0);
    const before = tf.memory().numTensors;
    let last = Number.NaN;
    for (let t = 0; t < 300; t++) {
      const r = trainStep(setup, state, train.x, train.y);
      state = r.state;
      last = r.loss;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(state.step).toBe(300);
    expect(last).toBeLessThan(0.05);
    const ev = evaluate(setup.model, state.params, test.x, test.y, {
      loss: softmaxCrossEntropyLoss,
      batchSize: 64,
    });
    expect(ev.examples).toBe(300);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(ev.loss).toBeLessThan(0.1);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(state.params);
    disposeState(state.optState);
    tf.dispose([train.x, train.y, test.x, test.y]);
  });

  it('is deterministic: the same seed gives bit-identical parameters', () => {
    const data = blobs(48, 3);
    const runOnce = () => {
      let s: TrainState = initTrainState(setup, 'det');
      for (let t = 0; t < 20; t++) s = trainStep(setup, s, data.x, data.y).state;
      const w = flattenTree(s.params);
      disposeTree(s.params);
      disposeState(s.optState);
      return Array.from(w);
    };
    expect(runOnce()).toEqual(runOnce());
    tf.dispose([data.x, data.y]);
  });

  it('leaves the state intact and leaks nothing when the loss throws or is NaN', () => {
    const data = blobs(12, 4);
    const state = initTrainState(setup, 1);
    const w0 = Array.from(flattenTree(state.params));
    const before = tf.memory().numTensors;
    const throwing = {
      ...setup,
      loss: () => {
        throw new Error('user loss failed');
      },
    };
    expect(() => trainStep(throwing, state, data.x, data.y)).toThrow('user loss failed');
    const nan = { ...setup, loss: (o: tf.Tensor) => tf.mul(tf.sum(o), Number.NaN) as tf.Scalar };
    expect(() => trainStep(nan, state, data.x, data.y)).toThrow(ValueError);
    const badOpt = {
      ...setup,
      optimizer: {
        init: () => ({}),
        update: () => {
          throw new Error('bad optimizer');
        },
      },
    };
    expect(() => trainStep(badOpt, state, data.x, data.y)).toThrow('bad optimizer');
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(flattenTree(state.params))).toEqual(w0);
    disposeTree(state.params);
    disposeState(state.optState);
    tf.dispose([data.x, data.y]);
  });

  it('rejects bad setups and inputs with typed errors', () => {
    expect(() => initTrainState({ ...setup, optimizer: null as never }, 0)).toThrow(/optimizer/);
    expect(() => initTrainState({ ...setup, loss: 3 as never }, 0)).toThrow(/loss/);
    expect(() => initTrainState(setup, Number.NaN)).toThrow(/seed/);
    const data = blobs(6, 5);
    const model = mlp({ sizes: [2, 3] });
    const params = model.init(0);
    expect(() => evaluate(model, params, data.x, tf.tensor1d([1, 2], 'int32'))).toThrow(
      /y must have 6 examples/,
    );
    expect(() => evaluate(model, params, data.x, data.y, { batchSize: 0 })).toThrow(/batchSize/);
    disposeTree(params);
    tf.dispose([data.x, data.y]);
  });
});

describe('optimizerStep', () => {
  const model = mlp({ sizes: [2, 8, 3] });
  const optimizer = adam({ learningRate: 0.05 });

  it('is the update half of trainStep, bit for bit, and replaces params and state without leaks', () => {
    const data = blobs(24, 3);
    const setup = { model, loss: softmaxCrossEntropyLoss, optimizer };
    let a = initTrainState(setup, 4);
    let params = model.init(4);
    let optState = optimizer.init(params);
    const before = tf.memory().numTensors;
    for (let t = 0; t < 5; t++) {
      a = trainStep(setup, a, data.x, data.y).state;
      const { grads } = valueAndGradTree(objective(model, softmaxCrossEntropyLoss, data.x, data.y))(params);
      const old = params;
      ({ params, optState } = optimizerStep(optimizer, grads, optState, params));
      expect(old.dense0.W.isDisposed).toBe(true);
      expect(grads.dense0.W.isDisposed).toBe(false);
      disposeTree(grads);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(flattenTree(params))).toEqual(Array.from(flattenTree(a.params)));
    disposeTree(a.params);
    disposeTree(params);
    disposeState(a.optState);
    disposeState(optState);
    tf.dispose([data.x, data.y]);
  });

  it('leaves params and state intact when the optimizer throws, and names bad arguments', () => {
    const params = model.init(5);
    const grads = model.init(6);
    const state = optimizer.init(params);
    const before = tf.memory().numTensors;
    const bad = {
      init: () => ({}),
      update: () => {
        throw new Error('bad optimizer');
      },
    };
    expect(() => optimizerStep(bad, grads, state, params)).toThrow('bad optimizer');
    expect(tf.memory().numTensors).toBe(before);
    expect(params.dense0.W.isDisposed).toBe(false);
    expect(() => optimizerStep(null as never, grads, state, params)).toThrow(/optimizer must be/);
    expect(() => optimizerStep(optimizer, { dense0: grads.dense0 }, state, params)).toThrow(/grads/);
    expect(() => optimizerStep(optimizer, grads, state, 3 as never)).toThrow(/params/);
    disposeTree(params);
    disposeTree(grads);
    disposeState(state);
  });
});

describe('valueAndGradTree', () => {
  it('agrees with a central finite difference and rejects non-scalar objectives', () => {
    const model = mlp({ sizes: [2, 4, 3], activation: 'tanh' });
    const data = blobs(9, 6);
    const params = model.init(2);
    const f = objective(model, softmaxCrossEntropyLoss, data.x, data.y);
    const { value, grads } = valueAndGradTree(f)(params);
    // directional derivative along W of dense0, entry 0
    const eps = 1e-2;
    const shifted = (s: number) => {
      const p = {
        ...params,
        dense0: {
          ...params.dense0,
          W: tf.add(params.dense0.W, tf.mul(tf.reshape(tf.oneHot([0], 8), [2, 4]), s)),
        },
      };
      const v = f(p);
      const out = v.dataSync()[0];
      tf.dispose([v, p.dense0.W]);
      return out;
    };
    const fd = (shifted(eps) - shifted(-eps)) / (2 * eps);
    expect(grads.dense0.W.dataSync()[0]).toBeCloseTo(fd, 3);
    expect(Number.isFinite(value)).toBe(true);
    disposeTree(grads);
    const before = tf.memory().numTensors;
    expect(() => valueAndGradTree((p) => model.apply(p, data.x))(params)).toThrow(/scalar/);
    expect(tf.memory().numTensors).toBe(before);
    disposeTree(params);
    tf.dispose([data.x, data.y]);
  });
});

describe('sgd on a quadratic', () => {
  it('a step of size η moves w by −η∇f exactly', () => {
    const w0 = tf.tensor1d([1, -2, 3]);
    const params = { lin: { w: w0 } };
    const f = (p: typeof params) => tf.mul(0.5, tf.sum(tf.square(p.lin.w))) as tf.Scalar;
    const { grads } = valueAndGradTree(f as never)(params);
    const opt = sgd({ learningRate: 0.25 });
    const s = opt.init(params);
    const r = opt.update(grads, s, params);
    expect(Array.from(r.updates.lin.w.dataSync())).toEqual([-0.25, 0.5, -0.75]);
    disposeTree(grads);
    disposeTree(r.updates);
    w0.dispose();
  });
});
