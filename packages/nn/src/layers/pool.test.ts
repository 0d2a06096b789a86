import { Rng } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { avgPool, maxPool } from './pool';

const rng = new Rng('pool');

beforeAll(async () => {
  await ready();
});

describe('maxPool', () => {
  it('equals tf.maxPool and routes the gradient to the window maximum (no ties)', () => {
    const x = normalTensor(rng, [2, 6, 4, 3]) as tf.Tensor4D;
    const dy = normalTensor(rng, [2, 3, 2, 3]);
    tf.tidy(() => {
      expect(Array.from(maxPool(x, 2).dataSync())).toEqual(
        Array.from(tf.maxPool(x, 2, 2, 'valid').dataSync()),
      );
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxPool(a as tf.Tensor4D, 2), dy)))(x);
      const ref = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), dy)))(
        x,
      );
      expect(Array.from(g.dataSync(), (u) => u + 0)).toEqual(Array.from(ref.dataSync(), (u) => u + 0));
    });
    tf.dispose([x, dy]);
  });

  it('drops the rows and columns that do not fill a window, like tf.maxPool valid', () => {
    const x = normalTensor(rng, [1, 5, 7, 2]) as tf.Tensor4D;
    tf.tidy(() => {
      const y = maxPool(x, 2);
      expect(y.shape).toEqual([1, 2, 3, 2]);
      expect(Array.from(y.dataSync())).toEqual(Array.from(tf.maxPool(x, 2, 2, 'valid').dataSync()));
    });
    x.dispose();
  });

  it('shares the gradient equally among tied maxima', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 1, 0, 1], [1, 2, 2, 1]);
      const g = tf.grad((a: tf.Tensor) => tf.sum(maxPool(a as tf.Tensor4D, 2)))(x);
      const v = Array.from(g.dataSync());
      expect(v.map((u) => Math.round(u * 3))).toEqual([1, 1, 0, 1]);
    });
  });

  it('can be differentiated twice (the stock MaxPoolGrad cannot)', () => {
    const x = normalTensor(rng, [1, 4, 4, 2]) as tf.Tensor4D;
    const v = normalTensor(rng, [1, 4, 4, 2]);
    tf.tidy(() => {
      // f = Σ maxPool(x)²: Hv = 2·mask·(mask·v) per window, i.e. 2·v at the argmax entries
      const f = (a: tf.Tensor) => tf.sum(tf.square(maxPool(a as tf.Tensor4D, 2)));
      const g = tf.grad(f);
      const hv = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(g(a), v)))(x);
      const mask = tf.grad((a: tf.Tensor) => tf.sum(maxPool(a as tf.Tensor4D, 2)))(x);
      const expected = tf.mul(tf.mul(mask, v), 2);
      const a = hv.dataSync();
      const b = expected.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    });
    tf.dispose([x, v]);
  });
});

describe('avgPool', () => {
  it('equals tf.avgPool', () => {
    const x = normalTensor(rng, [2, 4, 6, 3]) as tf.Tensor4D;
    tf.tidy(() => {
      const a = avgPool(x, 2).dataSync();
      const b = tf.avgPool(x, 2, 2, 'valid').dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 6);
    });
    x.dispose();
  });
});
