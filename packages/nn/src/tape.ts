/**
 * `withTapeCleanup` (N's fix for the tape tfjs 4.22 abandons when a function throws inside
 * `tf.grad`) now lives in the shared tf layer, where tensor's own autodiff uses it too.
 * @internal
 * @module
 */
export { withTapeCleanup } from '@descent/tensor/tf';
