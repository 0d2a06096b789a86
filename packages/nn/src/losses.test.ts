import { Rng, ShapeError, ValueError } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { accuracy, logisticLoss, meanSquaredError, softmaxCrossEntropyLoss } from './losses';

beforeAll(async () => {
  await ready();
});

const rng = new Rng('losses');

describe('losses', () => {
  it('softmax cross-entropy equals tf.losses.softmaxCrossEntropy for ids and one-hot labels', () => {
    const logits = normalTensor(rng, [5, 4], 0, 3);
    const ids = tf.tensor1d([0, 3, 2, 2, 1], 'int32');
    tf.tidy(() => {
      const oh = tf.oneHot(ids, 4);
      const want = tf.losses.softmaxCrossEntropy(oh, logits).dataSync()[0];
      expect(softmaxCrossEntropyLoss(logits, ids).dataSync()[0]).toBeCloseTo(want, 6);
      expect(softmaxCrossEntropyLoss(logits, tf.cast(oh, 'float32')).dataSync()[0]).toBeCloseTo(want, 6);
      expect(softmaxCrossEntropyLoss(logits, ids, { reduction: 'sum' }).dataSync()[0]).toBeCloseTo(
        5 * want,
        5,
      );
      // next-token shape: [B, T, V] logits, [B, T] ids
      const l3 = tf.reshape(logits, [1, 5, 4]);
      expect(softmaxCrossEntropyLoss(l3, tf.reshape(ids, [1, 5])).dataSync()[0]).toBeCloseTo(want, 6);
    });
    tf.dispose([logits, ids]);
  });

  it('ignoreIndex leaves positions out (padding targets of next-token prediction), any id value, exact HVP', () => {
    const logits = normalTensor(rng, [2, 3, 4], 0, 2);
    const ids = tf.tensor2d([1, 0, -1, 3, -1, -1], [2, 3], 'int32');
    tf.tidy(() => {
      const kept = tf.gather(tf.reshape(logits, [6, 4]), tf.tensor1d([0, 1, 3], 'int32'));
      const want = softmaxCrossEntropyLoss(kept, tf.tensor1d([1, 0, 3], 'int32')).dataSync()[0];
      expect(softmaxCrossEntropyLoss(logits, ids, { ignoreIndex: -1 }).dataSync()[0]).toBeCloseTo(want, 6);
      const sum = softmaxCrossEntropyLoss(logits, ids, { ignoreIndex: -1, reduction: 'sum' }).dataSync()[0];
      expect(sum).toBeCloseTo(3 * want, 5);
      // an ignored id inside [0, C) (e.g. the pad id 0) is left out too
      const ids0 = tf.tensor2d([1, 2, 0, 3, 0, 0], [2, 3], 'int32');
      const want0 = softmaxCrossEntropyLoss(kept, tf.tensor1d([1, 2, 3], 'int32')).dataSync()[0];
      expect(softmaxCrossEntropyLoss(logits, ids0, { ignoreIndex: 0 }).dataSync()[0]).toBeCloseTo(want0, 6);
      // the gradient at ignored positions is zero
      const g = tf.grad((z: tf.Tensor) => softmaxCrossEntropyLoss(z, ids, { ignoreIndex: -1 }))(logits);
      expect(Array.from(tf.slice(tf.reshape(g, [6, 4]), [2, 0], [1, 4]).dataSync())).toEqual([0, 0, 0, 0]);
      expect(() => softmaxCrossEntropyLoss(logits, ids)).toThrow(/got -1 at index 2/);
      expect(() => softmaxCrossEntropyLoss(logits, ids, { ignoreIndex: 0.5 })).toThrow(/ignoreIndex must be an integer/);
      expect(() => softmaxCrossEntropyLoss(logits, tf.zeros([2, 3, 4]), { ignoreIndex: -1 })).toThrow(/ignoreIndex needs int32/);
    });
    tf.dispose([logits, ids]);
  });

  it('logistic loss is softplus(z) − y·z, stable at large |z|', () => {
    tf.tidy(() => {
      const z = tf.tensor1d([-100, -1, 0, 2, 100]);
      const y = tf.tensor1d([0, 1, 1, 0, 1]);
      const per = [0, Math.log1p(Math.E), Math.log(2), 2 + Math.log1p(Math.exp(-2)), 0];
      expect(logisticLoss(z, y, { reduction: 'sum' }).dataSync()[0]).toBeCloseTo(
        per.reduce((a, b) => a + b),
        4,
      );
      expect(logisticLoss(tf.reshape(z, [5, 1]), y).dataSync()[0]).toBeCloseTo(
        per.reduce((a, b) => a + b) / 5,
        5,
      );
      expect(() => logisticLoss(z, tf.tensor1d([0, 1, 2, 0, 1]))).toThrow(/0 or 1/);
    });
  });

  it('mean squared error is the mean of squared differences', () => {
    tf.tidy(() => {
      const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const b = tf.tensor2d([0, 2, 5, 4], [2, 2]);
      expect(meanSquaredError(a, b).dataSync()[0]).toBeCloseTo(5 / 4, 6);
      expect(meanSquaredError(a, b, { reduction: 'sum' }).dataSync()[0]).toBeCloseTo(5, 6);
      expect(() => meanSquaredError(a, tf.zeros([4]))).toThrow(ShapeError);
    });
  });

  it('accuracy counts arg-max hits', () => {
    tf.tidy(() => {
      const logits = tf.tensor2d([1, 0, 0, 0, 2, 1, 0, 0, 3, 5, 1, 1], [4, 3]);
      expect(accuracy(logits, tf.tensor1d([0, 1, 2, 1], 'int32'))).toBe(0.75);
      expect(accuracy(logits, tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3))).toBe(1);
    });
  });

  it('reject bad labels with typed errors naming labels', () => {
    tf.tidy(() => {
      const logits = tf.zeros([2, 3]);
      expect(() => softmaxCrossEntropyLoss(logits, tf.tensor1d([0, 3], 'int32'))).toThrow(ValueError);
      expect(() => softmaxCrossEntropyLoss(logits, tf.tensor1d([0, 3], 'int32'))).toThrow(
        /labels must be class ids in \[0, 2\], got 3/,
      );
      expect(() => softmaxCrossEntropyLoss(logits, tf.tensor1d([0, 1, 2], 'int32'))).toThrow(ShapeError);
      expect(() => softmaxCrossEntropyLoss(logits, tf.zeros([2, 4]))).toThrow(ShapeError);
      expect(() => softmaxCrossEntropyLoss(logits, [0, 1] as never)).toThrow(/labels must be a tf.Tensor/);
      expect(() =>
        softmaxCrossEntropyLoss(logits, tf.tensor1d([0, 1], 'int32'), { reduction: 'none' as never }),
      ).toThrow(/reduction/);
    });
  });
});
