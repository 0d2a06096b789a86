import { type Dataset, type ParamTree, adam, disposeTree, mlp, softmaxCrossEntropyLoss } from '@descent/nn';
import { ready, tf } from '@descent/tensor/tf';
import { fineTune } from './fineTune';
import { FirstOrder } from './firstOrder';
import { teacherData } from './testing/fixtures';
import { LeZO, MeZO } from './zoSgd';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [4, 16, 3] });
const setup = { model, loss: softmaxCrossEntropyLoss };
let train: Dataset;
let test: Dataset;
let params0: ParamTree;
beforeAll(() => {
  train = teacherData(256, 4, 6);
  test = teacherData(128, 4, 106, 6); // same teacher, other inputs
  params0 = model.init(0);
});
afterAll(() => {
  tf.dispose([train.x, train.y, test.x, test.y]);
  disposeTree(params0);
});

describe('fineTune', () => {
  it('records steps and training time to a target accuracy and stops there when asked', () => {
    const fo = new FirstOrder(params0, { optimizer: adam({ learningRate: 0.02 }) });
    const n0 = tf.memory().numTensors;
    const r = fineTune(fo, setup, train, {
      maxSteps: 300,
      batchSize: 32,
      validation: test,
      evalEvery: 10,
      targetAccuracy: 0.8,
      stopAtTarget: true,
    });
    expect(tf.memory().numTensors).toBe(n0);
    expect(r.stopReason).toBe('ftarget');
    expect(r.stepsToTarget).not.toBeNull();
    expect(r.steps).toBe(r.stepsToTarget);
    expect((r.stepsToTarget as number) % 10).toBe(0);
    expect(r.finalAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(r.history[0].step).toBe(0);
    expect(r.history[r.history.length - 1].validationAccuracy).toBe(r.finalAccuracy);
    expect(r.timeToTargetMs as number).toBeLessThanOrEqual(r.timeMs);
    expect(r.timings.forwardMs).toBeGreaterThan(0);
    expect(r.evaluations).toBe(r.steps);
    fo.dispose();
  });

  it('feeds every optimizer the same seeded batches and sums the step timings', () => {
    const a = new MeZO(params0, { learningRate: 0.01, seed: 1 });
    const b = new LeZO(params0, { learningRate: 0.01, seed: 1, drop: 0 });
    const ra = fineTune(a, setup, train, { maxSteps: 20, seed: 'batches' });
    const rb = fineTune(b, setup, train, { maxSteps: 20, seed: 'batches' });
    expect(rb.lastLoss).toBe(ra.lastLoss);
    expect(ra.stopReason).toBe('maxSteps');
    expect(ra.steps).toBe(20);
    expect(ra.timings.perturbMs + ra.timings.forwardMs + ra.timings.updateMs).toBeLessThanOrEqual(
      ra.timings.totalMs + 1e-6,
    );
    expect(Number.isNaN(ra.finalAccuracy)).toBe(true); // no validation data
    a.dispose();
    b.dispose();
  });

  it('ends a diverging run with stopReason diverged, and stops on the callback', () => {
    const zo = new MeZO(params0, { learningRate: 1e30, eps: 1 });
    const n0 = tf.memory().numTensors;
    const r = fineTune(zo, setup, train, { maxSteps: 50 });
    expect(r.stopReason).toBe('diverged');
    expect(r.steps).toBeLessThan(50);
    expect(tf.memory().numTensors).toBe(n0);
    zo.dispose();
    const zo2 = new MeZO(params0, { learningRate: 1e-3 });
    const r2 = fineTune(zo2, setup, train, { maxSteps: 50, onStep: (s) => s.step < 4 });
    expect(r2.stopReason).toBe('callback');
    expect(r2.steps).toBe(5);
    zo2.dispose();
  });

  it('rejects bad input naming the argument', () => {
    const zo = new MeZO(params0, { learningRate: 1e-3 });
    expect(() => fineTune(zo, setup, train, {} as never)).toThrow(/maxSteps is required/);
    expect(() => fineTune(zo, setup, train, { maxSteps: 5, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => fineTune(zo, setup, train, { maxSteps: 5, targetAccuracy: 2 })).toThrow(/targetAccuracy/);
    expect(() => fineTune(zo, setup, train, { maxSteps: 5, validation: { x: 1 } as never })).toThrow(
      /validation/,
    );
    expect(() => fineTune({} as never, setup, train, { maxSteps: 5 })).toThrow(
      /optimizer must be a StepOptimizer/,
    );
    expect(() => fineTune(zo, { model } as never, train, { maxSteps: 5 })).toThrow(/setup/);
    expect(() => fineTune(zo, setup, { x: train.x } as never, { maxSteps: 5 })).toThrow(/data/);
    zo.dispose();
  });
});
