/**
 * The tensor path (nn model, nn training, tensor PGD) against the float64 reference: the same
 * numbers up to float32 rounding, and no tensor leaks.
 */
import { ready, tf } from '@descent/tensor/tf';
import { robustAccuracyCurve } from '../attacks';
import { makeClusterData } from '../clusterData';
import { trainGD } from '../fullBatchGD';
import { fromParamTree, nnModel, toParamTree, trainGDTensor } from './nnTwoLayer';
import { robustAccuracyTensor } from './tensorAttack';
import { binaryReLU, binaryReadout, multiClassReLU } from '../twoLayerReLU';

beforeAll(async () => {
  await ready();
});

const k = 6;
const d = 48;
const { train, test } = makeClusterData({ k, d, nTrain: 120, nTest: 60, seed: 5 });

describe('tensor path (@descent/nn) vs float64 reference', () => {
  it.each([
    ['binary', binaryReLU({ d, m: 3 })],
    ['multi-class', multiClassReLU({ d, k, h: 2 })],
  ] as const)('%s: model output, and 60 GD steps, agree to float32 precision', (_, spec) => {
    const p0 = spec.init(3);
    const model = nnModel(spec);
    const tree = model.init(3);
    const back = fromParamTree(spec, tree);
    for (let q = 0; q < p0.W.length; q++) expect(back.W[q]).toBeCloseTo(Math.fround(p0.W[q]), 12);
    const out = tf.tidy(() => model.apply(tree, tf.tensor2d(Float32Array.from(test.X), [60, d])).dataSync());
    const ref = spec.apply(p0, test.X);
    for (let q = 0; q < ref.length; q++)
      expect(Math.abs(out[q] - ref[q])).toBeLessThan(1e-5 * (1 + Math.abs(ref[q])));
    tf.dispose(Object.values(tree.hidden));
    const before = tf.memory().numTensors;
    const a = trainGD(spec, p0, train, { learningRate: 0.05, maxSteps: 60, historyEvery: 20 });
    const b = trainGDTensor(spec, p0, train, { learningRate: 0.05, maxSteps: 60, historyEvery: 20 });
    expect(tf.memory().numTensors).toBe(before);
    expect(b.history.map((h) => h.step)).toEqual(a.history.map((h) => h.step));
    b.history.forEach((h, i) => {
      expect(h.loss).toBeCloseTo(a.history[i].loss, 4);
      expect(h.accuracy).toBe(a.history[i].accuracy);
    });
    let scale = 0;
    let diff = 0;
    for (let q = 0; q < a.params.W.length; q++) {
      scale = Math.max(scale, Math.abs(a.params.W[q]));
      diff = Math.max(diff, Math.abs(a.params.W[q] - b.params.W[q]));
    }
    expect(diff / scale).toBeLessThan(1e-4);
  });

  it('tensor PGD gives the float64 robust accuracies (same random starts) and leaks nothing', () => {
    const spec = multiClassReLU({ d, k });
    const { params } = trainGD(spec, spec.init(1), train, { learningRate: 0.05, maxSteps: 100 });
    const radii = [0, 2, 3, 4, 6];
    for (const mode of ['sum', 'max'] as const) {
      const rho = binaryReadout(spec, train.positive, mode);
      const ref = robustAccuracyCurve(spec, params, rho, test.X, test.y, { radii, steps: 10, seed: 2 });
      const before = tf.memory().numTensors;
      const got = robustAccuracyTensor(spec, params, rho, test.X, test.y, { radii, steps: 10, seed: 2 });
      expect(tf.memory().numTensors).toBe(before);
      // float32 vs float64 iterates can differ on a row sitting on the decision boundary
      got.forEach((v, i) => {
        expect(Math.abs(v - ref[i])).toBeLessThanOrEqual(2 / 60);
      });
    }
  });

  it('rejects bad input', () => {
    const spec = binaryReLU({ d, m: 1 });
    expect(() => nnModel({} as never)).toThrow(/spec must be a TwoLayerReLU/);
    expect(() => nnModel(spec).apply({ hidden: {} } as never, tf.zeros([1, d]))).toThrow(/params must be/);
    expect(() => toParamTree(spec, { W: new Float64Array(3), b: new Float64Array(2) })).toThrow(/params.W/);
    expect(() => trainGDTensor(spec, spec.init(0), train, { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => trainGDTensor(spec, spec.init(0), train, { lr: 1 } as never)).toThrow(/lr is not an option/);
    expect(() =>
      robustAccuracyTensor(spec, spec.init(0), binaryReadout(spec), test.X, test.y, { radii: [-1] }),
    ).toThrow(/radii\[0\]/);
  });
});
