import { ShapeError, ValueError } from '@descent/tensor';
import { ready, tf } from '@descent/tensor/tf';
import { batchesPerEpoch, disposeDataset, epochBatches, takeRows, toDataset, trainTestSplit } from './data';

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

describe('toDataset (typed arrays, e.g. @descent/datasets ClassificationData, to tensors)', () => {
  it('float features, images and int32 token ids keep their values and dtypes', () => {
    const before = tf.memory().numTensors;
    const x = Float32Array.from({ length: 2 * 8 }, (_, i) => i / 10);
    const y = Int32Array.from([3, 1]);
    const flat = toDataset({ n: 2, x, features: 8, y, imageShape: [2, 2, 2] });
    expect(flat.x.shape).toEqual([2, 8]);
    expect(flat.y.dtype).toBe('int32');
    expect(Array.from(flat.x.dataSync())).toEqual(Array.from(x));
    const img = toDataset({ n: 2, x, y, imageShape: [2, 2, 2] }, { images: true });
    expect(img.x.shape).toEqual([2, 2, 2, 2]);
    const tok = toDataset({ n: 2, x: Int32Array.from([1, 2, 3, 4, 5, 6]), features: 3, y });
    expect(tok.x.dtype).toBe('int32');
    expect(tok.x.shape).toEqual([2, 3]);
    [flat, img, tok].forEach(disposeDataset);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('bad input is a typed error naming the field', () => {
    const y = Int32Array.from([0, 1]);
    expect(() => toDataset({ n: 2, x: new Float32Array(5), y })).toThrow(ShapeError);
    expect(() => toDataset({ n: 2, x: [1, 2] as unknown as Float32Array, y })).toThrow(/data.x must be a Float32Array/);
    expect(() => toDataset({ n: 2, x: new Float32Array(4), y: Int32Array.from([0]) })).toThrow(/data.y must have n = 2/);
    expect(() => toDataset({ n: 2, x: new Float32Array(4), y }, { images: true })).toThrow(/imageShape/);
    expect(() => toDataset(null as never)).toThrow(ValueError);
  });
});
