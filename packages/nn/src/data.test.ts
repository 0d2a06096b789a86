import { ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { batchesPerEpoch, epochBatches, takeRows, trainTestSplit } from './data';

beforeAll(async () => {
  await ready();
});

describe('seeded minibatches', () => {
  it('each epoch is a partition of the examples, a pure function of (seed, epoch)', () => {
    const b = epochBatches(103, 10, 'seed', 2);
    expect(b).toHaveLength(11);
    expect(b[10]).toHaveLength(3);
    const all = b.flatMap((x) => Array.from(x)).sort((p, q) => p - q);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(epochBatches(103, 10, 'seed', 2).map((x) => Array.from(x))).toEqual(b.map((x) => Array.from(x)));
    expect(Array.from(epochBatches(103, 10, 'seed', 3)[0])).not.toEqual(Array.from(b[0]));
    expect(Array.from(epochBatches(103, 10, 'other', 2)[0])).not.toEqual(Array.from(b[0]));
    expect(epochBatches(103, 10, 'seed', 0, { dropLast: true })).toHaveLength(10);
    expect(Array.from(epochBatches(5, 2, 0, 0, { shuffle: false })[1])).toEqual([2, 3]);
    expect(batchesPerEpoch(10, 4)).toBe(3);
    expect(() => batchesPerEpoch(3, 4, true)).toThrow(/batchSize/);
    expect(() => epochBatches(10, 0, 0, 0)).toThrow(ValueError);
  });

  it('takeRows gathers examples and trainTestSplit gives disjoint seeded splits', () => {
    const data = {
      x: tf.tensor2d(
        Array.from({ length: 20 }, (_, i) => i),
        [10, 2],
      ),
      y: tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'int32'),
    };
    const before = tf.memory().numTensors;
    const r = takeRows(data, [3, 3, 9]);
    expect(Array.from(r.x.dataSync())).toEqual([6, 7, 6, 7, 18, 19]);
    expect(Array.from(r.y.dataSync())).toEqual([3, 3, 9]);
    tf.dispose([r.x, r.y]);
    expect(() => takeRows(data, [10])).toThrow(/indices/);
    const { train, test } = trainTestSplit(data, 0.2, 1);
    expect(test.y.shape).toEqual([2]);
    expect(train.y.shape).toEqual([8]);
    const ids = [...Array.from(train.y.dataSync()), ...Array.from(test.y.dataSync())].sort((a, b) => a - b);
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const again = trainTestSplit(data, 0.2, 1);
    expect(Array.from(again.test.y.dataSync())).toEqual(Array.from(test.y.dataSync()));
    tf.dispose([train.x, train.y, test.x, test.y, again.train.x, again.train.y, again.test.x, again.test.y]);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => trainTestSplit(data, 1.5, 0)).toThrow(/testFraction/);
    expect(() => takeRows({ x: data.x, y: tf.zeros([3]) }, [0])).toThrow(ShapeError);
    tf.dispose([data.x, data.y]);
  });
});
