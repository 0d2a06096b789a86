/**
 * The tfjs-backed paths of stein-es (`kernelBackend: 'tensor'`, SVGD targets given as
 * `logDensityTensor`), registered by importing `@descent/stein-es/tf`, so that the main entry
 * loads no tfjs.
 * @module
 */
import { NotSupportedError, type TensorLike } from '@descent/tensor';

/** The tensor implementations registered by `@descent/stein-es/tf`. */
export interface TensorHooks {
  /** The RBF repulsion of SV-CMA-ES on float32 tensors. */
  rbfRepulsion(points: ArrayLike<ArrayLike<number>>, h: number): Float64Array[];
  /** The SVGD direction on float32 tensors (n × d row-major). */
  svgdDirection(points: ArrayLike<ArrayLike<number>>, scores: ArrayLike<number>, h: number): Float64Array;
  /** ∇log p at the n × d points `flat` by autodiff of a batched tensor log-density. */
  scores(logDensityTensor: (X: TensorLike) => TensorLike, flat: Float64Array, n: number, d: number): Float64Array;
}

let hooks: TensorHooks | null = null;

/** Registers the tensor implementations (done by `@descent/stein-es/tf`). */
export function registerTensorHooks(h: TensorHooks): void {
  hooks = h;
}

/** The registered tensor implementations, or a {@link NotSupportedError} naming `option`. */
export function tensorHooks(option: string): TensorHooks {
  if (!hooks) {
    throw new NotSupportedError(
      `${option} needs tfjs: add \`import '@descent/stein-es/tf'\` (and await its ready())`,
      option,
    );
  }
  return hooks;
}
