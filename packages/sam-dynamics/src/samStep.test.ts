import { Rng } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import {
  type ParamTree,
  addTrees,
  disposeState,
  disposeTree,
  flattenTree,
  initTrainState,
  mlp,
  sgd,
  softmaxCrossEntropyLoss,
  valueAndGradTree,
} from '@descent/nn';
import { samPerturbation } from './perturbation';
import { sam } from './sam';
import { samStep } from './samStep';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [4, 6, 3], activation: 'tanh' });
const loss = softmaxCrossEntropyLoss;

function batch(n: number, seed: number) {
  const rng = new Rng(seed);
  return {
    x: normalTensor(rng.fold('x'), [n, 4]),
    y: tf.tensor1d(
      Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3),
      'int32',
    ),
  };
}

describe('samStep and m-sharpness (§6.2 item 8)', () => {
  it('m = batch size is plain SAM, bit for bit', () => {
    const { x, y } = batch(8, 1);
    const setup = { model, loss, optimizer: sam(sgd({ learningRate: 0.3 }), { rho: 0.1 }) };
    const a = samStep(setup, initTrainState(setup, 3), x, y);
    const b = samStep(setup, initTrainState(setup, 3), x, y, { m: 8 });
    expect(Array.from(flattenTree(a.state.params))).toEqual(Array.from(flattenTree(b.state.params)));
    expect(a.stats?.gradEvals).toBe(2);
    for (const r of [a, b]) {
      disposeTree(r.state.params);
      disposeState(r.state.optState);
    }
    tf.dispose([x, y]);
  });

  it('m = 1 is the mean of the per-example SAM gradients computed one by one', () => {
    const n = 5;
    const rho = 0.2;
    const { x, y } = batch(n, 2);
    const setup = { model, loss, optimizer: sam(sgd({ learningRate: 1 }), { rho }) };
    const state = initTrainState(setup, 4);
    const w0 = flattenTree(state.params);
    // the oracle: g′ = (1/n) Σ ∇ℓᵢ(w + ρ gᵢ/‖gᵢ‖)
    const mean = new Float64Array(w0.length);
    for (let i = 0; i < n; i++) {
      const xi = tf.slice(x, i, 1);
      const yi = tf.slice(y, i, 1);
      const f = (p: ParamTree) => loss(model.apply(p, xi), yi);
      const { grads } = valueAndGradTree(f)(state.params);
      const e = samPerturbation(grads, { rho });
      const we = addTrees(state.params, e);
      const second = valueAndGradTree(f)(we).grads;
      const gp = flattenTree(second);
      for (let j = 0; j < mean.length; j++) mean[j] += gp[j] / n;
      [grads, e, we, second].forEach(disposeTree);
      tf.dispose([xi, yi]);
    }
    const r = samStep(setup, state, x, y, { m: 1 });
    const w1 = flattenTree(r.state.params);
    let maxErr = 0;
    for (let j = 0; j < w1.length; j++) maxErr = Math.max(maxErr, Math.abs(w0[j] - mean[j] - w1[j]));
    expect(maxErr).toBeLessThan(2e-6);
    expect(r.stats?.epsNorm).toBeCloseTo(rho, 5); // mean of ‖εᵢ‖ = ρ
    disposeTree(r.state.params);
    disposeState(r.state.optState);
    tf.dispose([x, y]);
  });

  it('a non-SAM optimizer takes a plain step (stats null)', () => {
    const { x, y } = batch(8, 3);
    const setup = { model, loss, optimizer: sgd({ learningRate: 0.1 }) };
    const r = samStep(setup, initTrainState(setup, 0), x, y);
    expect(r.stats).toBeNull();
    expect(r.state.step).toBe(1);
    disposeTree(r.state.params);
    disposeState(r.state.optState);
    tf.dispose([x, y]);
  });

  it('no tensor leaks over 200 SAM steps (m-sharpness, interval, momentum); the old state is disposed', () => {
    const { x, y } = batch(16, 4);
    const setup = {
      model,
      loss,
      optimizer: sam(sgd({ learningRate: 0.05, momentum: 0.9 }), { rho: 0.05, interval: 2 }),
    };
    let state = initTrainState(setup, 1);
    state = samStep(setup, state, x, y, { m: 4 }).state;
    const before = tf.memory().numTensors;
    for (let t = 0; t < 200; t++)
      state = samStep(setup, state, x, y, { m: t % 3 === 0 ? 4 : undefined }).state;
    expect(tf.memory().numTensors).toBe(before);
    // intact after an error
    expect(() => samStep(setup, state, x, tf.tensor1d([0, 1], 'int32'))).toThrow();
    expect(state.params.dense0.W.isDisposed).toBe(false);
    disposeTree(state.params);
    disposeState(state.optState);
    tf.dispose([x, y]);
  });

  it('bad input: typed errors naming the argument', () => {
    const { x, y } = batch(4, 5);
    const setup = { model, loss, optimizer: sam(sgd({ learningRate: 0.1 })) };
    const state = initTrainState(setup, 0);
    expect(() => samStep(setup, state, x, y, { m: 0 })).toThrow(/m must be/);
    expect(() => samStep(setup, null as never, x, y)).toThrow(/state must be/);
    expect(() => samStep(setup, state, [1, 2] as never, y)).toThrow(/x must be a tf.Tensor/);
    expect(() => samStep(null as never, state, x, y)).toThrow(/setup/);
    disposeTree(state.params);
    disposeState(state.optState);
    tf.dispose([x, y]);
  });
});
