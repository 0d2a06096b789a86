import {
  type Dataset,
  type ParamTree,
  adam,
  disposeState,
  disposeTree,
  initTrainState,
  mlp,
  objective,
  softmaxCrossEntropyLoss,
  sgd,
  trainStep,
} from '@descent/nn';
import { ready, tf } from '@descent/tensor/tf';
import { FirstOrder } from './firstOrder';
import { batchOf, sameBits, teacherData, treeValues } from './testing/fixtures';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [5, 8, 3] });
let data: Dataset;
let params0: ParamTree;
beforeAll(() => {
  data = teacherData(64, 5, 5);
  params0 = model.init(2);
});
afterAll(() => {
  tf.dispose([data.x, data.y]);
  disposeTree(params0);
});

describe('FirstOrder', () => {
  it('is @descent/nn trainStep bit for bit behind the step interface (SGD, Adam)', () => {
    for (const make of [
      () => sgd({ learningRate: 0.1, momentum: 0.9 }),
      () => adam({ learningRate: 1e-2 }),
    ]) {
      const fo = new FirstOrder(params0, { optimizer: make(), name: 'FO' });
      const setup = { model, loss: softmaxCrossEntropyLoss, optimizer: make() };
      let state = initTrainState(setup, 0);
      disposeTree(state.params);
      state = { ...state, params: fo.snapshot() };
      const n0 = tf.memory().numTensors;
      for (let t = 0; t < 5; t++) {
        const b = batchOf(data, 8 * t, 8);
        const r = fo.stepOn(objective(model, softmaxCrossEntropyLoss, b.x, b.y));
        const s = trainStep(setup, state, b.x, b.y);
        state = s.state;
        expect(r.loss).toBe(s.loss);
        expect(r.step).toBe(t);
        expect(r.timings.perturbMs).toBe(0);
        tf.dispose([b.x, b.y]);
      }
      expect(tf.memory().numTensors).toBe(n0);
      expect(sameBits(treeValues(fo.params), treeValues(state.params))).toBe(true);
      expect(fo.step).toBe(5);
      fo.dispose();
      disposeTree(state.params);
      disposeState(state.optState);
    }
  });

  it('rejects bad input naming the argument', () => {
    expect(() => new FirstOrder(params0, {} as never)).toThrow(/optimizer must be a TreeTransformation/);
    expect(
      () => new FirstOrder(params0, { optimizer: sgd({ learningRate: 0.1 }), name: 3 as never }),
    ).toThrow(/name/);
    expect(() => new FirstOrder(null as never, { optimizer: sgd({ learningRate: 0.1 }) })).toThrow(/params/);
    const fo = new FirstOrder(params0, { optimizer: sgd({ learningRate: 0.1 }) });
    expect(() => fo.stepOn('x' as never)).toThrow(/f must be a function/);
    fo.dispose();
    expect(() => fo.stepOn(() => tf.scalar(0))).toThrow(/disposed/);
  });
});
