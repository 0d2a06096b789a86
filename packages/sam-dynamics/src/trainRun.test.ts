import { expectSameBits } from '@descent/testkit';
import { Rng } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import {
  type Dataset,
  disposeState,
  disposeTree,
  flattenTree,
  mlp,
  sgd,
  softmaxCrossEntropyLoss,
} from '@descent/nn';
import { sam } from './sam';
import { switchSchedule } from './switchSchedule';
import { trainRun } from './trainRun';

beforeAll(async () => {
  await ready();
});

const model = mlp({ sizes: [4, 8, 3] });
const loss = softmaxCrossEntropyLoss;

/** Three Gaussian blobs in 4-D. */
function blobs(n: number, seed: number): Dataset {
  const rng = new Rng(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const noise = normalTensor(rng.fold('x'), [n, 4], 0, 0.8);
  const centers = tf.tensor2d([2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0], [3, 4]);
  const y = tf.tensor1d(labels, 'int32');
  const x = tf.tidy(() => tf.add(noise, tf.gather(centers, y)));
  tf.dispose([noise, centers]);
  return { x, y };
}

describe('trainRun: switch schedules over a whole run', () => {
  it('SGD→SAM for the last epoch: SAM steps only there, 2 gradient evaluations each, the escape curve starts at 0', () => {
    const data = blobs(48, 1);
    const perEpoch = 3; // 48 / 16
    const schedule = switchSchedule({ epochs: 3, stepsPerEpoch: perEpoch, at: { lastEpochs: 1 } });
    const setup = {
      model,
      loss,
      optimizer: sam(sgd({ learningRate: 0.1, momentum: 0.9 }), { rho: 0.05, schedule }),
    };
    const before = tf.memory().numTensors;
    const r = trainRun(setup, data, { epochs: 3, batchSize: 16, seed: 2, escape: true, validation: data });
    expect(r.history.map((h) => h.samSteps)).toEqual([0, 0, 3]);
    expect(r.evaluations).toBe(6 + 2 * 3);
    expect(r.stopReason).toBe('maxSteps');
    expect(r.steps).toBe(9);
    expect(r.escape?.switchStep).toBe(6);
    expect(r.escape?.distance[0]).toBe(0);
    expect(
      Array.from(r.escape?.distance ?? [])
        .slice(1)
        .every((d) => d > 0),
    ).toBe(true);
    expect(r.escape?.distance).toHaveLength(4);
    expect(r.history[2].validationAccuracy).toBeGreaterThan(0.5);
    disposeTree(r.params);
    disposeState(r.optState);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([data.x, data.y]);
  });

  it('determinism: the same seed gives the same bits; another seed does not', () => {
    const data = blobs(32, 2);
    const run = (seed: number) => {
      const setup = { model, loss, optimizer: sam(sgd({ learningRate: 0.1 }), { rho: 0.1, mode: 'asam' }) };
      const r = trainRun(setup, data, {
        epochs: 2,
        batchSize: 8,
        seed,
        adversarial: { attack: { epsilon: 0.1, steps: 2 } },
      });
      const w = flattenTree(r.params);
      disposeTree(r.params);
      disposeState(r.optState);
      return w;
    };
    expectSameBits(run(5), run(5));
    expect(Array.from(run(5))).not.toEqual(Array.from(run(6)));
    tf.dispose([data.x, data.y]);
  });

  it('late adversarial training: PGD steps only after the switch; momentum reset vs keep differ', () => {
    const data = blobs(32, 3);
    const go = (momentumAtSwitch: 'keep' | 'reset') => {
      const schedule = switchSchedule({
        epochs: 2,
        stepsPerEpoch: 2,
        at: { lastEpochs: 1 },
        momentumAtSwitch,
      });
      const setup = { model, loss, optimizer: sgd({ learningRate: 0.1, momentum: 0.9 }) };
      const r = trainRun(setup, data, {
        epochs: 2,
        batchSize: 16,
        adversarial: { attack: { epsilon: 0.2, steps: 3, norm: 'l2' }, schedule },
      });
      expect(r.history.map((h) => h.adversarialSteps)).toEqual([0, 2]);
      expect(r.evaluations).toBe(4 + 2 * 3);
      const w = flattenTree(r.params);
      disposeTree(r.params);
      disposeState(r.optState);
      return w;
    };
    expect(Array.from(go('keep'))).not.toEqual(Array.from(go('reset')));
    tf.dispose([data.x, data.y]);
  });

  it('a callback can stop the run; a schedule for another budget is refused', () => {
    const data = blobs(32, 4);
    const setup = { model, loss, optimizer: sgd({ learningRate: 0.1 }) };
    const r = trainRun(setup, data, { epochs: 5, batchSize: 16, onEpoch: (h) => h.epoch < 1 });
    expect(r.stopReason).toBe('callback');
    expect(r.history).toHaveLength(2);
    disposeTree(r.params);
    disposeState(r.optState);
    const wrong = switchSchedule({ totalSteps: 100, at: { step: 50 } });
    const samSetup = { model, loss, optimizer: sam(sgd({ learningRate: 0.1 }), { schedule: wrong }) };
    expect(() => trainRun(samSetup, data, { epochs: 2, batchSize: 16 })).toThrow(
      /schedule.totalSteps must equal the run's budget of 4 steps/,
    );
    expect(() => trainRun(setup, data, { epochs: 2, batchSize: 16, escape: true })).toThrow(
      /escape: true needs a switch schedule/,
    );
    expect(() => trainRun(setup, data, { epochs: 2, batchSize: 16, escape: { from: 5 } })).toThrow(
      /escape.from/,
    );
    const control = trainRun(setup, data, { epochs: 2, batchSize: 16, escape: { from: 2 } });
    expect(control.escape?.distance).toHaveLength(3);
    disposeTree(control.params);
    disposeState(control.optState);
    expect(() => trainRun(setup, data, { epochs: 0, batchSize: 16 })).toThrow(/epochs/);
    expect(() => trainRun(setup, { x: data.x } as never, { epochs: 1, batchSize: 16 })).toThrow(/data/);
    tf.dispose([data.x, data.y]);
  });

  it('divergence stops the run with stopReason diverged and a live state', () => {
    const data = blobs(32, 5);
    const setup = { model, loss, optimizer: sgd({ learningRate: 1e6 }) };
    const r = trainRun(setup, data, { epochs: 20, batchSize: 16 });
    expect(r.stopReason).toBe('diverged');
    expect(r.params.dense0.W.isDisposed).toBe(false);
    disposeTree(r.params);
    disposeState(r.optState);
    tf.dispose([data.x, data.y]);
  });
});
