/**
 * Matrix product whose gradient uses explicit transposes.
 *
 * Why: on the wasm backend, `tf.matMul` with `transposeA`/`transposeB` is about 13× slower than
 * an explicit `tf.transpose` followed by a plain product at training shapes ([128,784]ᵀ·[128,128]:
 * 11.6 ms against 0.34 + 0.55 ms, tfjs 4.22), and tfjs's own MatMul gradient uses the flags, so
 * it dominates every stock training step. Here the gradients are
 *
 *   ∂L/∂A = dY · Bᵀ,   ∂L/∂B = Aᵀ · dY
 *
 * with `Bᵀ`, `Aᵀ` materialised by `tf.transpose`, each product again {@link fastMatMul}, so
 * nested gradients (Hessian-vector products) are fast and exact too.
 * @module
 */
import { NotSupportedError, ShapeError, ValueError, describe } from '@descent/tensor';
import { tf } from './backend';

type T = tf.Tensor;

function swapLast(x: T): T {
  const r = x.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return tf.transpose(x, perm);
}

/**
 * The product is a kernel of its own, `DescentFastMatMul`, registered per backend on first use as
 * the backend's own `BatchMatMul` without transpose flags, with its gradient (registered on first use).
 * Unlike a `tf.customGrad` (whose gradient function computes every input's gradient), a registered
 * gradient is evaluated per input on demand, so ∂L/∂x of a first layer (the data) is never
 * computed.
 */
const KERNEL = 'DescentFastMatMul';

let gradientRegistered = false;

function ensureKernel(): void {
  if (!gradientRegistered) {
    tf.registerGradient({
      kernelName: KERNEL,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy: T | T[], saved: T[]) => {
        const [a, b] = saved;
        const g = dy as T;
        return { a: () => impl(g, swapLast(b)), b: () => impl(swapLast(a), g) };
      },
    });
    gradientRegistered = true;
  }
  const backendName = tf.getBackend();
  if (tf.getKernel(KERNEL, backendName)) return;
  const base = tf.getKernel('BatchMatMul', backendName);
  if (!base) throw new NotSupportedError(`the ${backendName} backend has no BatchMatMul kernel`, 'backend');
  tf.registerKernel({
    kernelName: KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }) =>
      base.kernelFunc({ inputs, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo,
  });
}

function impl(a: T, b: T): T {
  ensureKernel();
  return tf.engine().runKernel(KERNEL, { a, b } as unknown as tf.NamedTensorMap, {}) as T;
}

/**
 * `a · b` for rank-2 tensors ([m,k]·[k,n]) or rank-3 batches with the same batch size
 * ([s,m,k]·[s,k,n]), with gradients computed by explicit transposes (fast on wasm) and
 * differentiable to any order. Use it instead of `tf.matMul` in anything you differentiate.
 *
 * ```ts
 * const y = fastMatMul(x, W); // [batch, in]·[in, out]
 * ```
 */
export function fastMatMul<R extends T>(a: R, b: T): R {
  if (!(a instanceof tf.Tensor)) throw new ShapeError(`a must be a tf.Tensor, got ${describe(a)}`, 'a');
  if (!(b instanceof tf.Tensor)) throw new ShapeError(`b must be a tf.Tensor, got ${describe(b)}`, 'b');
  if (a.isDisposed) throw new ValueError('a is a disposed tensor', 'a');
  if (b.isDisposed) throw new ValueError('b is a disposed tensor', 'b');
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3)) {
    throw new ShapeError(
      `a and b must both be rank 2 or both rank 3, got ranks ${a.rank} and ${b.rank}`,
      'b',
    );
  }
  if (a.rank === 3 && a.shape[0] !== b.shape[0]) {
    throw new ShapeError(`b must have batch size ${a.shape[0]} (that of a), got ${b.shape[0]}`, 'b');
  }
  if (a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw new ShapeError(
      `inner dimensions must agree: a is [${a.shape}], b is [${b.shape}] (need b.shape[${b.rank - 2}] = ${a.shape[a.rank - 1]})`,
      'b',
    );
  }
  return impl(a, b) as R;
}
