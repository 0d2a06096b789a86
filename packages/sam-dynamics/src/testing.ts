/**
 * Test helpers: a quadratic objective over a one-tensor parameter tree with its float64 oracle.
 * @internal
 * @module
 */
import type { ParamTree, TreeObjective } from '@descent/nn';
import { tf } from './tf';

/** ½ wᵀAw over `{ q: { w: [d] } }` with a symmetric A (row-major), plus float64 helpers. */
export function quadraticTree(A: number[][]) {
  const d = A.length;
  let At: tf.Tensor | null = null; // made on first use (after the backend is ready)
  const f: TreeObjective = (p) =>
    tf.tidy(() => {
      At ??= tf.keep(tf.tensor2d(A.flat(), [d, d]));
      return tf.mul(
        0.5,
        tf.sum(tf.mul(p.q.w, tf.reshape(tf.matMul(At, tf.reshape(p.q.w, [d, 1])), [d]))),
      ) as tf.Scalar;
    });
  const matvec = (v: ArrayLike<number>) => A.map((row) => row.reduce((s, a, j) => s + a * v[j], 0));
  const params = (w: number[]): ParamTree => ({ q: { w: tf.tensor1d(w) } });
  return { f, matvec, params, d, dispose: () => At?.dispose() };
}

/** Euclidean norm. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
