/**
 * @descent/tensor/tf: the tfjs layer of descent. Importing it registers tfjs-core's gradients
 * and chained ops and the wasm and cpu backends (`ready()` selects one); it adds autodiff on
 * flat float64 vectors and named tensors, Hessian-vector products, the second-derivative-safe
 * ops, tensor versions of the core's kernels and MMD, and tensors from `Matrix` and `Rng`.
 * Needs the peer dependencies `@tensorflow/tfjs-core`, `@tensorflow/tfjs-backend-wasm` and
 * `@tensorflow/tfjs-backend-cpu` (^4.22.0).
 * @packageDocumentation
 */
export * from './backend';
export * from './autodiff';
export * from './derivativeChecks';
export * from './safeOps';
export * from './kernels';
export * from './mmd';
export * from './tensors';
export { withTapeCleanup } from './tape';
export * from './fastMatMul';
