import { checkDamagedBlobs, expectSameBits } from '@descent/testkit';
import { DescentError, Rng, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import type { Dataset } from './data';
import { softmaxCrossEntropyLoss } from './losses';
import { mlp } from './models/mlp';
import { adam, adamw } from './optim/adam';
import { kernelsOnly } from './optim/scale';
import { sgd } from './optim/sgd';
import { type FitOptions, Trainer } from './trainer';
import { disposeTree, flattenTree } from './tree';

beforeAll(async () => {
  await ready();
});

function blobs(n: number, seed: number, noise = 0.6): Dataset {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = 2 * Math.cos((2 * Math.PI * c) / 3) + noise * rng.normal();
    x[2 * i + 1] = 2 * Math.sin((2 * Math.PI * c) / 3) + noise * rng.normal();
  }
  return { x: tf.tensor2d(x, [n, 2]), y: tf.tensor1d(y, 'int32') };
}

const setup = () => ({
  model: mlp({ sizes: [2, 16, 3] }),
  loss: softmaxCrossEntropyLoss,
  optimizer: adamw({ learningRate: 0.02, weightDecay: 0.01, weightDecayFilter: kernelsOnly }),
});

describe('Trainer', () => {
  let train: Dataset;
  let test: Dataset;
  beforeAll(() => {
    train = blobs(200, 1);
    test = blobs(150, 2);
  });
  afterAll(() => tf.dispose([train.x, train.y, test.x, test.y]));

  it('fits with seeded minibatches, records one history entry per epoch, and leaks nothing', () => {
    const trainer = new Trainer(setup(), { seed: 3 });
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const r = trainer.fit(train, {
      batchSize: 32,
      epochs: 4,
      validation: test,
      onStep: (p) => void seen.push(p.step),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(r.stopReason).toBe('maxSteps');
    expect(r.steps).toBe(4 * 7);
    expect(r.evaluations).toBe(28);
    expect(seen).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    expect(r.history.map((h) => [h.step, h.epoch])).toEqual([
      [7, 0],
      [14, 1],
      [21, 2],
      [28, 3],
    ]);
    expect(r.history[3].loss).toBeLessThan(r.history[0].loss);
    expect(r.history[3].validationAccuracy).toBeGreaterThan(0.9);
    expect(trainer.evaluate(test).accuracy).toBe(r.history[3].validationAccuracy);
    trainer.dispose();
    expect(() => trainer.step).toThrow(/disposed/);
  });

  it('does not grow the tensor count or bytes over 2000 steps', () => {
    const t = new Trainer(
      {
        model: mlp({ sizes: [2, 3] }),
        loss: softmaxCrossEntropyLoss,
        optimizer: adam({ learningRate: 0.01 }),
      },
      { seed: 5 },
    );
    t.fit(train, { batchSize: 50, maxSteps: 10 });
    const before = tf.memory();
    const r = t.fit(train, { batchSize: 50, maxSteps: 2000 });
    const after = tf.memory();
    expect(r.steps).toBe(2000);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    t.dispose();
  });

  it('resumes bit for bit from a checkpoint (JSON text), mid-epoch', () => {
    const a = new Trainer(setup(), { seed: 'resume' });
    a.fit(train, { batchSize: 32, maxSteps: 17 });
    const b = new Trainer(setup(), { seed: 'resume' });
    b.fit(train, { batchSize: 32, maxSteps: 10 });
    const text = JSON.stringify(b.toJSON());
    b.dispose();
    const c = Trainer.fromJSON(text, setup());
    expect(c.step).toBe(10);
    c.fit(train, { batchSize: 32, maxSteps: 7 });
    expectSameBits(Array.from(flattenTree(c.params)), Array.from(flattenTree(a.params)), 'parameters');
    expectSameBits(
      JSON.parse(JSON.stringify(c.toJSON())),
      JSON.parse(JSON.stringify(a.toJSON())),
      'checkpoints',
    );
    a.dispose();
    c.dispose();
  });

  it('stops on the callback, on the time budget and on divergence, keeping a consistent state', () => {
    const t = new Trainer(setup(), { seed: 1 });
    const r1 = t.fit(train, { batchSize: 32, epochs: 10, onStep: (p) => p.step < 5 });
    expect(r1.stopReason).toBe('callback');
    expect(t.step).toBe(5);
    // the old callback name is a typed error naming the new one (issue 11 vocabulary), before any step
    const old = { batchSize: 32, epochs: 1, onProgress: () => undefined } as unknown as FitOptions;
    expect(() => t.fit(train, old)).toThrow(/onProgress was renamed onStep/);
    expect(t.step).toBe(5);
    const r2 = t.fit(train, { batchSize: 32, epochs: 1000, maxTimeMs: 50 });
    expect(r2.stopReason).toBe('maxTime');
    expect(r2.steps).toBeGreaterThan(0);
    t.dispose();
    const wild = new Trainer(
      {
        model: mlp({ sizes: [2, 16, 3] }),
        loss: softmaxCrossEntropyLoss,
        optimizer: sgd({ learningRate: 1e30 }),
      },
      { seed: 0 },
    );
    const r3 = wild.fit(train, { batchSize: 32, epochs: 5 });
    expect(r3.stopReason).toBe('diverged');
    expect(flattenTree(wild.params).every(Number.isFinite)).toBe(true);
    wild.dispose();
  });

  it('keeps the last completed step and leaks nothing when the progress callback throws', () => {
    const t = new Trainer(setup(), { seed: 2 });
    const before = tf.memory().numTensors;
    expect(() =>
      t.fit(train, {
        batchSize: 32,
        epochs: 3,
        onStep: (p) => {
          if (p.step === 4) throw new Error('user callback failed');
        },
      }),
    ).toThrow('user callback failed');
    expect(t.step).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    const w = Array.from(flattenTree(t.params));
    const ref = new Trainer(setup(), { seed: 2 });
    ref.fit(train, { batchSize: 32, maxSteps: 4 });
    expect(w).toEqual(Array.from(flattenTree(ref.params)));
    t.dispose();
    ref.dispose();
  });

  it('starts from given parameters (copied) and validates them against the model', () => {
    const s = setup();
    const p = s.model.init(9);
    const t = new Trainer(s, { params: p });
    expect(Array.from(flattenTree(t.params))).toEqual(Array.from(flattenTree(p)));
    t.fit(train, { maxSteps: 1 });
    expect(p.dense0.W.isDisposed).toBe(false);
    t.dispose();
    const wrong = mlp({ sizes: [2, 8, 3] }).init(0);
    expect(() => new Trainer(s, { params: wrong })).toThrow(/shape/);
    disposeTree(p);
    disposeTree(wrong);
  });

  it('rejects damaged checkpoints with typed errors naming the field', () => {
    const s = {
      model: mlp({ sizes: [2, 3] }),
      loss: softmaxCrossEntropyLoss,
      optimizer: adam({ learningRate: 0.01 }),
    };
    const t = new Trainer(s, { seed: 4 });
    t.fit(train, { maxSteps: 2 });
    const blob = JSON.parse(JSON.stringify(t.toJSON()));
    t.dispose();
    const before = tf.memory().numTensors;
    const report = checkDamagedBlobs({
      blob,
      fromJSON: (json) => Trainer.fromJSON(json, s),
      probe: (obj: Trainer) => {
        const w = Array.from(flattenTree(obj.params));
        obj.dispose();
        return w;
      },
    });
    expect(report.tried).toBeGreaterThan(50);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => Trainer.fromJSON({ ...blob, type: 'Other' }, s)).toThrow(DescentError);
    expect(() => Trainer.fromJSON({ ...blob, step: -1 }, s)).toThrow(/step/);
    expect(() => new Trainer(s, { seed: Number.NaN })).toThrow(ValueError);
  });
});
