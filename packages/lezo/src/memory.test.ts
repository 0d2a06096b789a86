/**
 * Memory (the notes' §5.2 test 11): a ZO step needs the forward pass's activations plus a few
 * copies of the largest active tensor, never a copy of the model; a first-order step needs at
 * least the gradients.
 */
import {
  type Dataset,
  type ParamTree,
  adam,
  disposeTree,
  mlp,
  objective,
  softmaxCrossEntropyLoss,
  treeSize,
} from '@descent/nn';
import { ready, tf } from '@descent/tensor/tf';
import { FirstOrder } from './firstOrder';
import { measureMemory, measureStep } from './memory';
import { teacherData } from './testing/fixtures';
import { LeZO, MeZO } from './zoSgd';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [32, 96, 96, 96, 96, 96, 96, 3] }); // 7 groups, 48 k parameters
let data: Dataset;
let params0: ParamTree;
beforeAll(() => {
  data = teacherData(16, 32, 4);
  params0 = model.init(0);
});
afterAll(() => {
  tf.dispose([data.x, data.y]);
  disposeTree(params0);
});

const f = () => objective(model, softmaxCrossEntropyLoss, data.x, data.y);
const largestBytes = 96 * 96 * 4;

describe('measureMemory', () => {
  it('bounds a ZO step by the forward pass plus three copies of the largest tensor; FO needs the gradients', async () => {
    const forward = await measureMemory(() => tf.tidy(() => f()(params0).dataSync()[0]));
    const modelBytes = treeSize(params0) * 4;
    for (const opt of [
      new MeZO(params0, { learningRate: 1e-3 }),
      new LeZO(params0, { learningRate: 1e-3, keep: 1 }),
      new MeZO(params0, { learningRate: 1e-3, weightDecay: 0.1 }),
    ]) {
      opt.stepOn(f()); // warm up
      const m = await measureStep(opt, f());
      expect(m.result.step).toBe(1);
      expect(m.newTensors).toBe(0);
      expect(m.newBytes).toBe(0);
      expect(m.liveBytes).toBeGreaterThanOrEqual(2 * modelBytes); // params0 and the optimizer's copy
      expect(m.peakBytes).toBeLessThanOrEqual(forward.peakBytes + 3 * largestBytes);
      expect(m.peakBytes).toBeLessThan(modelBytes);
      expect(m.hostBytes).toBe(largestBytes);
      opt.dispose();
    }
    const fo = new FirstOrder(params0, { optimizer: adam({ learningRate: 1e-3 }) });
    fo.stepOn(f());
    const m = await measureStep(fo, f());
    expect(m.newTensors).toBe(0);
    expect(m.hostBytes).toBe(0);
    expect(m.peakBytes).toBeGreaterThanOrEqual(modelBytes);
    expect(Number.isFinite(m.rssBytes) && m.rssBytes > 0).toBe(true);
    fo.dispose();
  });

  it('rejects a non-function, a non-optimizer and a diverging objective with typed errors', async () => {
    await expect(measureMemory(3 as never)).rejects.toThrow(/fn must be a function/);
    await expect(measureStep({} as never, f())).rejects.toThrow(/optimizer must be a StepOptimizer/);
    const opt = new MeZO(params0, { learningRate: 1e-3 });
    await expect(measureStep(opt, 'abc' as never)).rejects.toThrow(/f must be a function/);
    await expect(measureStep(opt, () => tf.scalar(Number.NaN))).rejects.toMatchObject({ argument: 'f' });
    expect(opt.step).toBe(0);
    opt.dispose();
  });
});
