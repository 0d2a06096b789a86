/**
 * SphericalOnlineSGD as a serialisable streaming learner (issue 11): versioned blobs that continue
 * bit for bit after JSON, validated fromJSON (damaged blobs give typed errors naming the field,
 * never NaN predictions), and the learnOne/predictOne protocol.
 */
import { Rng, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { checkDamagedBlobs, checkRoundTrip, fc } from '@descent/testkit';
import { MultiIndexTarget } from './multiIndexTarget';
import { SphericalOnlineSGD } from './sphericalOnlineSGD';

const target = new MultiIndexTarget({ d: 5, P: 2, seed: 'teacher' });

function learner(args: { seed: number | string; m: number; loss: 'squared' | 'correlation'; steps: number }) {
  const net = new SphericalOnlineSGD({
    target,
    m: args.m,
    loss: args.loss,
    seed: args.seed,
    schedule: [
      { steps: 4, learningRate: 0.01, batch: 3 },
      { steps: 30, learningRate: 0.002 },
    ],
  });
  net.run(target, { maxSteps: args.steps, checkEvery: 1000 });
  return net;
}

const probe = new Rng('probe').normalArray(4 * 5);

describe('SphericalOnlineSGD serialisation', () => {
  it('random states → toJSON → JSON text → fromJSON continue bit for bit', () => {
    checkRoundTrip({
      arbitrary: fc.record({
        seed: fc.oneof(fc.integer(), fc.string({ maxLength: 6 })),
        m: fc.integer({ min: 1, max: 4 }),
        loss: fc.constantFrom('squared' as const, 'correlation' as const),
        steps: fc.nat(8),
      }),
      make: learner,
      fromJSON: SphericalOnlineSGD.fromJSON,
      advance: (net) => {
        net.run(target, { maxSteps: 3, checkEvery: 1000 });
        const rows = [0, 1, 2, 3].map((i) => probe.subarray(5 * i, 5 * i + 5));
        return [Array.from(net.W.data), rows.map((x) => net.predictOne(x)), net.learnOne(rows[0], 0.5)];
      },
    });
  });

  it('damaged blobs are typed errors naming the field, or sound learners (never NaN predictions)', () => {
    const report = checkDamagedBlobs({
      blob: learner({ seed: 3, m: 2, loss: 'squared', steps: 5 }).toJSON(),
      fromJSON: SphericalOnlineSGD.fromJSON,
      probe: (net) => [net.predictOne([0.1, 0.2, 0.3, 0.4, 0.5]), Array.from(net.W.data)],
    });
    expect(report.tried).toBeGreaterThan(100);
  });

  it('the issue-11 case: a non-numeric entry of W is a ValueError naming W[i], not NaN predictions', () => {
    const blob = JSON.parse(JSON.stringify(learner({ seed: 1, m: 2, loss: 'squared', steps: 2 }).toJSON()));
    blob.W[3] = 'abc';
    expect(() => SphericalOnlineSGD.fromJSON(blob)).toThrow(ValueError);
    expect(() => SphericalOnlineSGD.fromJSON(blob)).toThrow(/W\[3\] must be a finite number/);
    blob.W[3] = 0;
    blob.version = 2;
    expect(() => SphericalOnlineSGD.fromJSON(blob)).toThrow(/version must be 1/);
    expect(() => SphericalOnlineSGD.fromJSON(null)).toThrow(ValueError);
  });
});

describe('SphericalOnlineSGD as a StreamingLearner', () => {
  it('learnOne predicts before the update, then equals stepOn on a batch of one', () => {
    const a = learner({ seed: 7, m: 3, loss: 'squared', steps: 4 });
    const b = SphericalOnlineSGD.fromJSON(a.toJSON());
    const x = [0.3, -1, 0.5, 2, 0.1];
    const before = a.predictOne(x);
    const report = a.learnOne(x, 1.5);
    expect(report.prediction).toBe(before);
    expect(report.loss).toBeCloseTo((before - 1.5) ** 2, 14);
    b.stepOn([x], [1.5]);
    expect(Array.from(a.W.data)).toEqual(Array.from(b.W.data));
    expect(a.predictOne(x)).toBe(a.predict([x])[0]);
  });
  it('labels may be rank-1 tensors; bad inputs are typed errors naming x or y', async () => {
    await ready();
    const net = learner({ seed: 2, m: 2, loss: 'correlation', steps: 0 });
    const copy = SphericalOnlineSGD.fromJSON(net.toJSON());
    const X = [
      [1, 0, 0, 0, 0],
      [0, 1, 0, 0, 0],
    ];
    const yt = tf.tensor1d([0.5, -0.5]);
    net.stepOn(X, yt);
    yt.dispose();
    copy.stepOn(X, [0.5, -0.5]);
    expect(Array.from(net.W.data)).toEqual(Array.from(copy.W.data).map((v) => expect.closeTo(v, 7)));
    expect(() => net.learnOne([1, 2], 0)).toThrow(/x must have length 5/);
    expect(() => net.learnOne([1, 2, 3, 4, 5], Number.NaN)).toThrow(/y must be/);
    expect(() => net.stepOn(X, [1])).toThrow(/y must have length 2/);
  });
});
