/**
 * @descent/robust-phase/tf: the tfjs part of robust-phase. Importing it enables
 * `products: 'float32-tensor'` (a resident float32 tensor on the active tfjs backend) in every
 * solver; tensor inputs (A, y as `tf.Tensor`) work without it. Re-exports `ready` so that one
 * import sets up the backend.
 * @packageDocumentation
 */
import { registerTensorOperator } from '../measurementOperator';
import { TensorOperator } from './tensorOperator';

registerTensorOperator((A) => new TensorOperator(A));

export { TensorOperator };
export { type BackendInfo, type ReadyOptions, backendInfo, ready } from '@descent/tensor/tf';
