import { Rng, ShapeError } from '@descent/tensor';
import { normalTensor, ready, tf } from '@descent/tensor/tf';
import { fastMatMul } from './fastMatMul';

beforeAll(async () => {
  await ready();
});

const rng = new Rng('matMul');

function close(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  const x = a.dataSync();
  const y = b.dataSync();
  expect(x.length).toBe(y.length);
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  for (let i = 0; i < x.length; i++)
    expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

describe('fastMatMul', () => {
  it('equals tf.matMul forward and in both gradients (rank 2 and rank 3)', () => {
    for (const [sa, sb] of [
      [
        [5, 7],
        [7, 3],
      ],
      [
        [4, 5, 6],
        [4, 6, 2],
      ],
    ]) {
      const a = normalTensor(rng, sa);
      const b = normalTensor(rng, sb);
      const dy = normalTensor(rng, [...sa.slice(0, -1), sb[sb.length - 1]]);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        close(fastMatMul(a, b), tf.matMul(a, b));
        const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(fastMatMul(x, y), dy)))([
          a,
          b,
        ]);
        const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), dy)))([
          a,
          b,
        ]);
        close(ga, ra);
        close(gb, rb);
      });
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([a, b, dy]);
    }
  });

  it('has exact second derivatives: the Hessian of ½‖XW‖² along V is XᵀXV', () => {
    const X = normalTensor(rng, [6, 4]);
    const W = normalTensor(rng, [4, 3]);
    const V = normalTensor(rng, [4, 3]);
    tf.tidy(() => {
      const g = tf.grad((w: tf.Tensor) => tf.mul(0.5, tf.sum(tf.square(fastMatMul(X, w)))));
      const hv = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(g(w), V)))(W);
      close(hv, tf.matMul(tf.matMul(X, X, true, false), V), 1e-5);
    });
    tf.dispose([X, W, V]);
  });

  it('rejects mismatched shapes with a ShapeError naming b', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([4, 2]);
    expect(() => fastMatMul(a, b)).toThrow(ShapeError);
    expect(() => fastMatMul(a, b)).toThrow(/inner dimensions/);
    expect(() => fastMatMul(a, tf.zeros([3]) as tf.Tensor)).toThrow(/rank/);
    tf.dispose([a, b]);
  });
});
